import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector } from './finding.js';
import { describePlanEnd, planEnd, stepsToReach, type PlanEnd } from './projection.js';
import {
  kernelUpdateMedians,
  LEARNED_FRACTION_OF_CHANCE,
  type LossLevels,
  lossLevels,
  PROGRESS_PER_WINDOW,
} from './signals.js';

/**
 * DeepDiagnosis flags lr·‖ΔW‖/‖W‖ below 1e-5; the trace's update ratio is already ‖Δw‖/‖w‖ of
 * the applied update, so it is compared directly. SageMaker Debugger's bound (1e-8) is for runs of
 * many thousands of steps: at 1e-8 a 300-step probe moves the weights by 3e-6 of their norm, which
 * nothing can see, and at 1e-6 by at most 3e-4, which is still no learning. A probe needs the
 * DeepDiagnosis bound. The median over the probe is used, so a few large steps do not hide it.
 */
export const UPDATE_RATIO_LIMIT = 1e-5;
/** SageMaker Debugger's own lower bound: below it the weights are frozen for any run length: critical. */
export const UPDATE_RATIO_CRITICAL = 1e-8;
/**
 * TheDeepChecker requires the loss to fall by at least 5% per window; a probe is judged as one
 * window: from the start of the probe to its end (medians of a tenth of the span at each end).
 */
export const MIN_PROGRESS = PROGRESS_PER_WINDOW;
/**
 * The early part of the probe whose median update must be tiny too: a low learning rate shrinks
 * updates from the first step on, while updates that start healthy and die out (a saturating output,
 * vanishing gradients) shrink only later, and that is not the learning rate's fault.
 */
export const EARLY_FRACTION = 0.1;
/** Fewer steps than this cannot tell slow progress from none: five per tenth of the probe. */
export const MIN_STEPS = 50;

/**
 * Too few steps to judge progress: under MIN_STEPS, unless they are the whole planned run. Then
 * nothing is a slice: where the loss ends is where the user's run ends, however short it is.
 */
export function tooShortToJudge(trace: ProbeTrace): boolean {
  const wholePlan = trace.plan !== undefined && trace.stepsRun >= trace.plan.steps;
  return trace.stepsRun < MIN_STEPS && !wholePlan;
}
/** Rule 2 judges the pace where the trace ends: its second half, as plateau does. */
const LATE_FROM = 0.5;
/**
 * Above twice the chance level a loss that climbed there is not slow but wrong (a diverged start):
 * lr-too-high judges it, as plateau leaves it to other detectors (its FAR_ABOVE_CHANCE). One that
 * started there and has only fallen since is judged by its pace (see fallingSinceStart).
 */
const PACE_MAX_OF_CHANCE = 2;
/** A loss already below half the chance level that stops moving has converged, not stalled. */
export const CONVERGED_FRACTION_OF_CHANCE = 0.5;

export interface TinyUpdates {
  /** The largest median update ratio over every kernel, early and over the whole probe. */
  largest: number;
  variable: string;
}

/**
 * The updates of every layer are tiny from the start: the largest kernel median update ratio,
 * early or over the whole probe, stays below UPDATE_RATIO_LIMIT. Null otherwise, and null when a
 * kernel receives no update at all: a zero gradient is not a learning-rate problem.
 */
export function tinyUpdates(trace: ProbeTrace): TinyUpdates | null {
  const early = kernelUpdateMedians(trace, 0, EARLY_FRACTION);
  const whole = kernelUpdateMedians(trace);
  const medians = whole.flatMap(({ variable, median }, index) => {
    const first = early[index]!.median;
    return Number.isFinite(median)
      ? [{ variable, median: Number.isFinite(first) ? Math.max(first, median) : median }]
      : [];
  });
  if (medians.length === 0 || medians.some(({ median }) => median === 0)) return null;
  const largest = medians.reduce((a, b) => (b.median > a.median ? b : a));
  return largest.median < UPDATE_RATIO_LIMIT ? { largest: largest.median, variable: largest.variable } : null;
}

export const lrTooLow = defineDetector({
  id: 'lr-too-low',
  description:
    'The loss falls far too slowly for the planned run: every layer moves by a tiny fraction of its weights per step, or at its present pace the run ends still near the chance-level loss.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss', 'update_ratio/<variable>'],
  detect({ trace }: DynamicsInput) {
    if (tooShortToJudge(trace) || trace.stoppedEarly === 'nan-loss') return [];
    const levels = lossLevels(trace);
    if (levels === null) return [];
    const end = planEnd(trace);
    const tiny = tinyUpdates(trace);
    if (tiny !== null && levels.progress < MIN_PROGRESS) return tinyUpdateFindings(trace, tiny, levels, end);
    return tooSlowForPlanFindings(trace, end);
  },
});

/** Rule 1 (DeepDiagnosis): tiny updates from the first step on and a loss that barely falls. */
function tinyUpdateFindings(trace: ProbeTrace, tiny: TinyUpdates, levels: LossLevels, end: PlanEnd | null) {
  const chance = trace.chanceLoss;
  if (chance !== null && chance > 0 && levels.end < CONVERGED_FRACTION_OF_CHANCE * chance) return [];
  // A longer plan that the optimistic projection carries past the learned line will get there.
  if (chance !== null && end?.kind === 'projected' && end.low < LEARNED_FRACTION_OF_CHANCE * chance) return [];
  const learnedNothing = chance !== null && levels.end >= chance;
  // Tiny updates and no progress are a stronger case than rule 2's falling loss: the same end of
  // the planned run (a whole recording is measured there) that makes rule 2 critical makes this one.
  const unlearned = endsUnlearned(end, chance);
  const critical = tiny.largest < UPDATE_RATIO_CRITICAL || learnedNothing || unlearned;
  const rate = trace.learningRate.find(Number.isFinite);
  return [
    {
      severity: critical ? ('critical' as const) : ('warning' as const),
      confidence: confidenceFromMargin(UPDATE_RATIO_LIMIT, tiny.largest),
      step: levels.endStep,
      evidence: {
        measured: tiny.largest,
        threshold: UPDATE_RATIO_LIMIT,
        what: `largest median update/weight ratio ‖Δw‖/‖w‖ over every kernel (${tiny.variable}), measured`,
      },
      message:
        `Every layer's weights move by at most ${formatNumber(tiny.largest)} of their norm per step (median ‖Δw‖/‖w‖, largest at ${tiny.variable}), ` +
        `below the ${formatNumber(UPDATE_RATIO_LIMIT)} limit, and ${progressText(levels)}` +
        `${learnedNothing ? `, still at or above the chance-level loss ${formatNumber(chance)}` : ''}. ` +
        (end !== null && (end.planned || unlearned) ? `${describePlanEnd(end, chance)} ` : '') +
        (unlearned
          ? `Above ${formatNumber(LEARNED_FRACTION_OF_CHANCE)}x the chance-level loss a run has not learned. `
          : '') +
        `The learning rate${rate === undefined ? '' : ` (${formatNumber(rate)})`} is too low: raise it (an LR range test finds the right one).`,
    },
  ];
}

/**
 * Rule 2: the loss still falls, but at its present pace the planned run ends at or above the
 * learned line (LEARNED_FRACTION_OF_CHANCE of the chance loss). Critical when that is measured, or
 * when even the optimistic end of the projection stays there; a warning when only the central one does.
 */
function tooSlowForPlanFindings(trace: ProbeTrace, end: PlanEnd | null) {
  const chance = trace.chanceLoss;
  const late = lossLevels(trace, LATE_FROM);
  if (end === null || chance === null || !(chance > 0) || late === null || late.progress < MIN_PROGRESS) return [];
  const line = LEARNED_FRACTION_OF_CHANCE * chance;
  if (end.loss < line || (late.start > PACE_MAX_OF_CHANCE * chance && !fallingSinceStart(trace, late))) return [];
  const sure = endsUnlearned(end, chance);
  const needed = stepsToReach(end, line);
  return [
    {
      severity: sure ? ('critical' as const) : ('warning' as const),
      confidence: Math.round((sure ? 0.8 : 0.6) * 100) / 100,
      step: end.lastStep,
      evidence: {
        measured: end.loss / chance,
        threshold: LEARNED_FRACTION_OF_CHANCE,
        what: `${end.series} loss at the planned run's end (step ${end.planSteps}) as a fraction of the chance-level loss, ${end.kind}`,
      },
      message:
        `The ${late.series} loss still falls (${progressText(late)}), but too slowly for the planned run: ${describePlanEnd(end, chance)} ` +
        `${needed === null ? '' : `At this pace it would need about ${formatNumber(needed)} steps to learn (reach ${formatNumber(LEARNED_FRACTION_OF_CHANCE)}x chance). `}` +
        'Raise the learning rate (an LR range test finds the right one) or plan a longer run.',
    },
  ];
}
/**
 * The loss the pace is judged from is no higher than the first reading of the same series, read
 * before any update in a probe (step 0's batch loss, the validation at step 0): a loss far above
 * chance that the initialization put there and the run has only brought down since (y = 5x fitted
 * from weights near 0) is slow, not diverged. A mismatched loss or target that keeps it there is a
 * config or data finding, which the report ranks first. Like with like: a validation loss sits
 * above the training loss by the generalization gap (Goodfellow, Bengio & Courville 2016, "Deep
 * Learning", §5.2), more so when the validation rows are scaled with their own statistics, so a
 * validation level read against the first training loss would take that gap for a climb.
 */
function fallingSinceStart(trace: ProbeTrace, late: LossLevels): boolean {
  const first = late.series === 'validation' ? trace.valLoss.find(Number.isFinite) : trace.loss[0];
  return first !== undefined && Number.isFinite(first) && late.start <= first;
}

/**
 * The planned run ends without having learned (above LEARNED_FRACTION_OF_CHANCE of the chance
 * loss): measured there, or even the optimistic end of the projection stays above the line.
 */
function endsUnlearned(end: PlanEnd | null, chance: number | null): boolean {
  return end !== null && chance !== null && chance > 0 && end.low >= LEARNED_FRACTION_OF_CHANCE * chance;
}

function progressText(levels: LossLevels): string {
  const change =
    levels.progress >= 0
      ? `fell ${formatNumber(levels.progress * 100)}%`
      : `rose ${formatNumber(-levels.progress * 100)}%`;
  return `the ${levels.series} loss ${change} from step ${levels.startStep} to step ${levels.endStep} (${formatNumber(levels.start)} to ${formatNumber(levels.end)}; progress limit ${formatNumber(MIN_PROGRESS * 100)}%)`;
}
