/**
 * Where the planned run ends: the loss at the plan's last step, measured when the trace covers the
 * plan and projected when it is a shorter slice (a 300-step probe of a 20,000-step run).
 *
 * The projection fits a power law, log L = a + b·log t, to the smoothed second half of the trace:
 * neural losses fall close to a power law in steps over long stretches (Kaplan et al. 2020, "Scaling
 * laws for neural language models", §5; Hestness et al. 2017), and a line in log-log space needs no
 * asymptote to be guessed. It has no floor, so it is the optimistic reading of a falling loss: a
 * run that does not reach its goal even on it is judged slow with some confidence. A rising tail is
 * not extrapolated (the divergence detectors judge it): its projection is its last level.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { fitLine, median } from '../util/stats.js';

/** The smoothed tail is the trace from this fraction of its steps on: the early transient is left out. */
const TAIL_FROM = 0.5;
/** Training losses are smoothed as medians of windows of this fraction of the trace (TheDeepChecker judges windows, not batches). */
const WINDOW_FRACTION = 0.05;
/** Fewer validation losses than this in the tail, and the training loss is fitted instead. */
const MIN_VALIDATION_POINTS = 5;
/** The interval is the slope ± this many standard errors: about 95% for a normal error. */
const INTERVAL_STANDARD_ERRORS = 2;

export interface PlanEnd {
  /** `measured`: the trace reached the plan's last step; `projected`: extrapolated from a shorter trace. */
  kind: 'measured' | 'projected';
  series: 'validation' | 'training';
  /** The plan's last step (the trace's own when it has no plan: then the trace is the whole run). */
  planSteps: number;
  planned: boolean;
  /** The smoothed loss where the trace ends, and that step. */
  lastStep: number;
  last: number;
  /** The loss at the plan's end: the central estimate, and its interval (equal to it when measured). */
  loss: number;
  low: number;
  high: number;
  /** The fitted log-log slope b (0 when not falling), and the line's intercept through the last level. */
  slope: number;
  intercept: number;
}

/** Null when the trace holds too few finite losses to fit. */
export function planEnd(trace: ProbeTrace): PlanEnd | null {
  const points = tailPoints(trace);
  if (points.length < 3 || points.some(({ loss }) => !(loss > 0))) return null;
  const fit = fitLine(
    points.map(({ step }) => Math.log(step + 1)),
    points.map(({ loss }) => Math.log(loss)),
  );
  if (!Number.isFinite(fit.slope)) return null;
  const last = points.at(-1)!;
  const planSteps = Math.max(trace.plan?.steps ?? 0, trace.stepsRun);
  // Anchored at the last smoothed level, so a noisy intercept does not move where the projection starts.
  const slope = Math.min(0, fit.slope);
  const anchored = {
    series: points.series,
    planSteps,
    planned: trace.plan !== undefined,
    lastStep: last.step,
    last: last.loss,
    slope,
  };
  const intercept = Math.log(last.loss) - slope * Math.log(last.step + 1);
  if (planSteps <= trace.stepsRun)
    return { kind: 'measured', ...anchored, intercept, loss: last.loss, low: last.loss, high: last.loss };
  const span = Math.log(planSteps) - Math.log(last.step + 1);
  const error = Number.isFinite(fit.slopeStandardError) ? INTERVAL_STANDARD_ERRORS * fit.slopeStandardError : 0;
  const at = (b: number) => last.loss * Math.exp(Math.min(0, b) * span);
  return {
    kind: 'projected',
    ...anchored,
    intercept,
    loss: at(fit.slope),
    low: at(fit.slope - error),
    high: at(fit.slope + error),
  };
}

/**
 * The step at which the central curve reaches `target`, from the trace's last level; null when the
 * loss is not falling. It says how long the run would need at its present pace.
 */
export function stepsToReach(end: PlanEnd, target: number): number | null {
  if (end.last <= target) return end.lastStep + 1;
  if (!(end.slope < 0)) return null;
  return Math.ceil(Math.exp((Math.log(target) - end.intercept) / end.slope));
}

type TailPoints = { step: number; loss: number }[] & { series: 'validation' | 'training' };

/** The smoothed tail: validation losses when there are enough, else window medians of the training loss. */
function tailPoints(trace: ProbeTrace): TailPoints {
  const fromStep = TAIL_FROM * trace.stepsRun;
  const validation = trace.evalStep.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.valLoss[index]) ? [{ step, loss: trace.valLoss[index]! }] : [],
  );
  if (validation.length >= MIN_VALIDATION_POINTS) return Object.assign(validation, { series: 'validation' as const });
  const size = Math.max(1, Math.round(trace.stepsRun * WINDOW_FRACTION));
  const training: { step: number; loss: number }[] = [];
  const tail = trace.step.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.loss[index]) ? [{ step, loss: trace.loss[index]! }] : [],
  );
  for (let start = 0; start < tail.length; start += size) {
    const window = tail.slice(start, start + size);
    const middle = window[Math.floor(window.length / 2)]!;
    training.push({ step: middle.step, loss: median(window.map(({ loss }) => loss)) });
  }
  return Object.assign(training, { series: 'training' as const });
}

/** One sentence for a finding: where the planned run ends and whether that was measured or projected. */
export function describePlanEnd(end: PlanEnd, chance: number | null): string {
  const ofChance = chance !== null && chance > 0 ? ` (${formatNumber(end.loss / chance)}x the chance-level loss)` : '';
  return end.kind === 'measured'
    ? `Measured at the ${end.planned ? "planned run's" : "run's"} end (step ${end.planSteps}): ${end.series} loss ${formatNumber(end.loss)}${ofChance}.`
    : `Projected to the planned run's end (step ${end.planSteps}, from ${end.lastStep + 1} probed steps, power law on the smoothed ${end.series} loss): ` +
        `${formatNumber(end.loss)}${ofChance}, interval ${formatNumber(end.low)} to ${formatNumber(end.high)}.`;
}
