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
 *
 * A power law in steps always decelerates, so it is the optimistic reading only of a tail that does.
 * A tail whose fall speeds up (a slow start: learning curves from a small or badly scaled start are
 * sigmoidal, a plateau then a rapid drop; Saxe, McClelland & Ganguli 2014, "Exact solutions to the
 * nonlinear dynamics of learning in deep linear networks", §2) is past its power law's reach at once:
 * there the interval's optimistic end is the present linear pace held to the plan's end. Checked
 * against full runs of the bench's healthy controls in docs/full-plan-check.md.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { fitLine, median } from '../util/stats.js';
import { finitePoints } from './signals.js';

/** The smoothed tail is the trace from this fraction of its steps on: the early transient is left out. */
const TAIL_FROM = 0.5;
/** Training losses are smoothed as medians of windows of this fraction of the trace (TheDeepChecker judges windows, not batches). */
const WINDOW_FRACTION = 0.05;
/** Fewer validation losses than this in the tail, and the training loss is fitted instead. */
const MIN_VALIDATION_POINTS = 5;
/** The interval is the slope ± this many standard errors: about 95% for a normal error. */
const INTERVAL_STANDARD_ERRORS = 2;
/**
 * The fall speeds up when the second half of the tail falls faster than the first by more than this
 * many standard errors of the difference of their slopes: the same ~95% as the interval.
 */
const ACCELERATION_STANDARD_ERRORS = 2;
/** Slopes this close (relative) are equal: rounding in a noiseless, straight tail is not a speed-up. */
const SLOPE_ROUNDING = 1e-9;

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
  /**
   * The loss at the plan's end: the central estimate, and its interval (when measured, the noise of
   * the last smoothed reading: ± two standard deviations of its log).
   */
  loss: number;
  low: number;
  high: number;
  /** The fitted log-log slope b (0 when not falling), and the line's intercept through the last level. */
  slope: number;
  intercept: number;
  /** The tail's fall speeds up and `low` is its present linear pace held to the plan's end, below the power law's. */
  accelerating: boolean;
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
    intercept: Math.log(last.loss) - slope * Math.log(last.step + 1),
  };
  if (planSteps <= trace.stepsRun) {
    // The end is one smoothed reading: its interval is its own noise, not a point (seed-robustness.md).
    const noise = Math.exp(INTERVAL_STANDARD_ERRORS * readingNoise(points));
    return {
      kind: 'measured',
      ...anchored,
      accelerating: false,
      loss: last.loss,
      low: last.loss / noise,
      high: last.loss * noise,
    };
  }
  const span = Math.log(planSteps) - Math.log(last.step + 1);
  const error = Number.isFinite(fit.slopeStandardError) ? INTERVAL_STANDARD_ERRORS * fit.slopeStandardError : 0;
  const at = (b: number) => last.loss * Math.exp(Math.min(0, b) * span);
  const powerLow = at(fit.slope - error);
  const linearEnd = acceleratingPaceEnd(points, planSteps);
  const accelerating = linearEnd !== null && linearEnd < powerLow;
  return {
    kind: 'projected',
    ...anchored,
    accelerating,
    loss: at(fit.slope),
    low: accelerating ? linearEnd : powerLow,
    high: at(fit.slope + error),
  };
}

/**
 * The noise of one reading of the smoothed tail, as the standard deviation of its log: from second
 * differences, Var(y[i+1] - 2y[i] + y[i-1]) = 6σ² for independent noise, which a trend that bends
 * slowly (a falling loss) barely enters, unlike the scatter around a fitted line (von Neumann's
 * successive-difference estimator, taken one difference further). With batch-sized windows of a
 * short run a reading is one mini-batch's loss, and a level a few percent past a line is no evidence.
 */
function readingNoise(points: TailPoints): number {
  const logs = points.map(({ loss }) => Math.log(loss));
  const squares = logs.slice(2).map((value, index) => (value - 2 * logs[index + 1]! + logs[index]!) ** 2);
  return squares.length === 0 ? 0 : Math.sqrt(squares.reduce((sum, value) => sum + value, 0) / squares.length / 6);
}

/**
 * Where the tail's present linear pace (its least-squares slope in steps) ends at the plan's last
 * step, not below zero; null unless both halves of the tail fall, measurably, and the second faster.
 */
function acceleratingPaceEnd(points: TailPoints, planSteps: number): number | null {
  const half = Math.floor(points.length / 2);
  if (half < 3) return null;
  const slopeOf = (part: { step: number; loss: number }[]) =>
    fitLine(
      part.map(({ step }) => step),
      part.map(({ loss }) => loss),
    );
  const [first, second, whole] = [slopeOf(points.slice(0, half)), slopeOf(points.slice(half)), slopeOf(points)];
  const spread = Math.hypot(first.slopeStandardError, second.slopeStandardError);
  const speedUp = first.slope - second.slope;
  const speedsUp = speedUp > ACCELERATION_STANDARD_ERRORS * spread && speedUp > SLOPE_ROUNDING * Math.abs(first.slope);
  // The first half already falls measurably: a tail that wandered and then fell is noise around a
  // level, not a slow start.
  const firstFalls = -first.slope > ACCELERATION_STANDARD_ERRORS * first.slopeStandardError;
  if (!speedsUp || !firstFalls || !(whole.slope < 0)) return null;
  const last = points.at(-1)!;
  return Math.max(0, last.loss + whole.slope * (planSteps - last.step));
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
  const validation = finitePoints(trace.evalStep, trace.valLoss, fromStep);
  if (validation.length >= MIN_VALIDATION_POINTS) return Object.assign(validation, { series: 'validation' as const });
  const size = Math.max(1, Math.round(trace.stepsRun * WINDOW_FRACTION));
  const training: { step: number; loss: number }[] = [];
  const tail = finitePoints(trace.step, trace.loss, fromStep);
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
        `${formatNumber(end.loss)}${ofChance}, interval ${formatNumber(end.low)} to ${formatNumber(end.high)}` +
        (end.accelerating ? ' (its fall speeds up, so the low end holds its present linear pace instead)' : '') +
        '.';
}
