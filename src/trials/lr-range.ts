/**
 * The learning-rate range test, the analysis half (pure: numbers in, numbers out; the tfjs sweep is
 * src/probe/lr-sweep.ts). Leslie Smith's test (Cyclical Learning Rates for Training Neural Networks,
 * WACV 2017, §3.3) as fastai's `lr_find` runs it: train a fresh model for ~100 steps while the rate
 * grows exponentially from 1e-7 to 10, record the loss of every step, stop once it blows up, and read
 * a starting rate off the smoothed curve.
 *
 * The rules, each with its constant below:
 * 1. Smoothing: bias-corrected exponential moving average, beta 0.98 (fastai, Lightning).
 * 2. Stop/cut: at the first non-finite loss, or once the smoothed loss passes 4× its best
 *    (fastai, Lightning). Nothing after the cut is read.
 * 3. Burn-in: the first 10% of the sweep is skipped (fastai, Lightning) and the average restarts
 *    after it; suggestions come from the second 10% on, once the restarted average has settled.
 * 4. Did it descend at all? Running medians of the raw loss must fall ≥ 30% and ≥ 2 noise σ.
 * 5. Steepest descent: the most negative least-squares slope of the smoothed loss against
 *    log10(rate) over ±6 steps, up to where the raw loss bottoms out.
 * 6. Valley: fastai's `valley` on the smoothed loss over the same range.
 * 7. They agree when within 3× (Smith's 3–4× span of a trainable band).
 * 8. Suggested: the valley, else the steepest descent; for a planned run no longer than the sweep,
 *    the log-midpoint of the two when they disagree (see SHORT_RUN_RULE); at most a tenth of the
 *    rate where the sweep diverged (fastai's one-decade margin).
 * 9. Schedule: cosine decay from it over the run; a 5% linear warmup when the loss spiked before it.
 *
 * The finders people use fail in two known ways, and this one is built and tested against both:
 *
 * - An early spike. At 1e-7 the weights barely move, so the first steps are batch noise; a noisy
 *   batch there makes a steep "descent" right after it. Lightning's steepest-gradient suggestion
 *   picked it (Lightning-AI/pytorch-lightning#1767, "can be tricked by spikes early in the
 *   process"; the fix, #1801, skips the first 10 points). Skipping points is not enough with an
 *   exponential moving average: a spike at step 5 still has a weight of 2.6% in the average at step
 *   30 (beta 0.98), so a 50× spike more than doubles it, and its decay reads as a descent. Here the
 *   burn-in is cut off completely: the moving average restarts after it, and neither the
 *   suggestions nor the divergence stop see anything from before it.
 * - A NaN tail. Once the loss overflows, Lightning's np.gradient(...).argmin() returned the NaN's
 *   index (Lightning-AI/pytorch-lightning#1850, fixed in #1862 by dropping NaNs) and fastai's
 *   suggestions went wild (fastai/fastai#3476, fixed in #3477). Here the curve is cut at the first
 *   non-finite loss, and anything after it, even finite values, is never read; and both searches
 *   end where the raw loss bottoms out, so the climb before an overflow cannot move them either.
 *
 * The steepest point of a moving average lags the raw curve (at beta 0.98 it averages the last ~50
 * steps), so it sits near the bottom of the raw descent: the bolder of the two. The valley starts on
 * the plateau and is the more conservative, which is why it is the default, as in fastai.
 */

import {
  BURN_IN_FRACTION,
  burnInSteps,
  createDivergenceMonitor,
  DIVERGENCE_FACTOR,
  exceeds,
  type SweepStop,
} from '../probe/lr-sweep-rules.js';
import { formatRate, formatWholePercent as formatPercent } from '../util/format.js';
import { leastSquaresSlope, median } from '../util/stats.js';

/**
 * Rates within this factor of each other count as agreeing. Smith (2017, §3.3) sets the low bound of
 * a cyclical schedule at 1/3 or 1/4 of the high one: rates a factor of 3 apart sit in the same
 * trainable band. It is also about the resolution of the sweep (half a decade, ~6 of 100 steps).
 */
export const AGREEMENT_FACTOR = 3;

/**
 * The suggestion stays at or below one tenth of the rate where the sweep diverged: fastai's
 * `minimum` suggestion is one tenth of the minimum-loss rate, "the minimum before divergence"
 * (fastai/callback/schedule.py); a tenth of the divergence rate is the same margin, one decade.
 */
const DIVERGENCE_MARGIN = 10;

/**
 * Whether the loss fell at all, judged on the raw losses (the moving average lags by tens of steps at
 * beta 0.98 and shows a fraction of a real drop). The lowest median of `burnIn` consecutive losses
 * in the window must be below the median of the window's first `burnIn` losses by both
 * - MIN_RELATIVE_DROP of that level, and
 * - MIN_DROP_IN_NOISE × the batch-to-batch noise (σ = 1.4826·MAD of successive differences / √2).
 * Measured over 10 seeds of the examples (wasm): real descents (Boston/SGD, iris/SGD, iris/Adam)
 * drop 58–89% and 3.5–27 σ; flat runs (sigmoid output on a regression target, one-unit softmax,
 * saturated 10-layer sigmoid stack, exploding RNN) at most 22%. The thresholds sit between.
 */
const MIN_RELATIVE_DROP = 0.3;
const MIN_DROP_IN_NOISE = 2;

/**
 * Half-width of the window of the steepest-slope fit, as a fraction of the planned steps: ±6 steps
 * of 100, about ±half a decade on the default range. A least-squares slope over 13 points, not a
 * difference of neighbours: the difference of a moving average that has seen few samples is as
 * steep as a real descent (the Lightning spike failure, moved to the window's start).
 */
const SLOPE_HALF_WINDOW_FRACTION = 0.06;

/**
 * A raw loss above twice the median of the losses before it is a spike; a spike before the
 * suggested rate earns a warmup.
 */
const SPIKE_FACTOR = 2;

export interface LrRangeInput {
  learningRate: readonly number[];
  loss: readonly number[];
  /** Steps the sweep planned (default: the steps recorded); the burn-in and windows are fractions of it. */
  stepsPlanned?: number;
  /** The optimizer steps of the run the rate is for, when known (see SHORT_RUN_RULE). */
  runSteps?: number;
}

/**
 * The start for a planned run no longer than the sweep itself, when the steepest descent and the
 * valley disagree: their midpoint on a log scale (the geometric mean). The valley is the
 * conservative start of fastai's default: it sits where the smoothed loss only begins to fall, and
 * the sweep needed its remaining steps, at ever larger rates, to finish the descent; a run of many
 * epochs recovers that at the valley's rate, one shorter than the sweep cannot (Smith & Topin 2019,
 * "Super-convergence": the shorter the budget, the larger the rate it needs). The steepest point of
 * the moving average lags toward higher rates (see the file comment), so it overshoots: a rate the
 * sweep reached only after its earlier steps had trained the model. Between two estimates biased in
 * opposite directions by unknown factors, the log-midpoint is the least-committed choice on the
 * sweep's log scale, and stays inside Smith's trainable band (2017, §3.3: from where the loss
 * starts to fall to where it falls fastest).
 */
const SHORT_RUN_RULE = 'the midpoint (geometric mean) of the valley and the steepest descent';

export interface LrRangeAnalysis {
  /** Rate of the steepest descent of the smoothed loss against log10(rate); null without a real descent. */
  steepest: number | null;
  /** fastai's valley rate; null without a real descent. */
  valley: number | null;
  /** Both found and within AGREEMENT_FACTOR of each other. */
  agree: boolean;
  /** The rate to start training at; null when the sweep does not support one (`reason` says why). */
  suggested: number | null;
  /** One or two sentences: how the suggestion was chosen, or why there is none. */
  reason: string;
  /**
   * The smoothed loss of every analysed step: indices before the cut (the first non-finite loss or
   * the divergence stop, excluded). The moving average restarts at `window.burnIn`.
   */
  smoothed: number[];
  /**
   * Analysed steps: [burnIn, cut). Suggestions come from [start, cut), start = 2 × burnIn: the
   * restarted average needs about as many samples again before its slope means anything.
   */
  window: { burnIn: number; start: number; cut: number };
  /**
   * Step indices of the points above, for plots; null where the rate is null. `bottom` is the middle
   * of the lowest running median of the raw loss: the descent ends there, and both searches stop
   * at the end of that block, so what happens after the loss has bottomed out (the climb, a NaN
   * tail, the lag of the moving average into the climb) cannot move them.
   */
  indices: { steepest: number | null; valley: number | null; suggested: number | null; bottom: number | null };
  /** Where the sweep diverged (non-finite loss, or the smoothed loss over 4× its best), if it did. */
  divergence: { index: number; learningRate: number; cause: SweepStop } | null;
  /** A raw loss spike (SPIKE_FACTOR) before the suggested rate, at its step; null if none. */
  spike: number | null;
}

/** The analysis of a sweep. Pure; reads nothing after the first non-finite loss. */
export function analyzeLrRange(input: LrRangeInput): LrRangeAnalysis {
  const curve = cutCurve(input);
  const { start, cut } = curve.window;
  if (cut - start < 2 * curve.halfWindow + 1) return noSuggestion(curve, tooShortReason(curve));
  const descent = measureDescent(curve);
  if (!isClearDescent(descent)) return noSuggestion(curve, noDescentReason(curve, descent));
  return suggest(curve, descent.lowestBlock);
}

/** The part of a sweep the analysis reads: the steps before the cut, smoothed, and its windows. */
interface Curve {
  learningRate: readonly number[];
  /** The raw losses before the cut. */
  raw: number[];
  smoothed: number[];
  window: LrRangeAnalysis['window'];
  /** Half-width of the steepest-slope fit, in steps. */
  halfWindow: number;
  divergence: LrRangeAnalysis['divergence'];
  /** The run the rate is for is no longer than the sweep (SHORT_RUN_RULE). */
  shortRun: boolean;
}

/** The lowest running median of the raw loss, against the window's first block and the batch noise. */
interface Descent {
  startLevel: number;
  noise: number;
  drop: number;
  /** Where the block of the lowest median starts. */
  lowestBlock: number;
}

function cutCurve({ learningRate, loss, stepsPlanned = loss.length, runSteps }: LrRangeInput): Curve {
  if (learningRate.length !== loss.length)
    throw new RangeError(
      `learningRate has ${learningRate.length} values and loss ${loss.length}; they pair up step by step`,
    );
  const burnIn = burnInSteps(stepsPlanned);
  // Replaying the sweep's stop rule cuts where the sweep stopped, and at the first non-finite loss
  // for curves recorded elsewhere (where the run may have gone on after it).
  const monitor = createDivergenceMonitor(burnIn);
  const smoothed: number[] = [];
  let divergence: LrRangeAnalysis['divergence'] = null;
  for (let index = 0; index < loss.length; index++) {
    const { smoothed: value, stop } = monitor.observe(loss[index]!);
    if (stop !== null) {
      divergence = { index, learningRate: learningRate[index]!, cause: stop };
      break;
    }
    smoothed.push(value);
  }
  const cut = smoothed.length;
  return {
    learningRate,
    raw: loss.slice(0, cut),
    smoothed,
    window: { burnIn, start: 2 * burnIn, cut },
    halfWindow: Math.max(1, Math.round(stepsPlanned * SLOPE_HALF_WINDOW_FRACTION)),
    divergence,
    shortRun: runSteps !== undefined && runSteps <= stepsPlanned,
  };
}

function measureDescent({ raw, window: { burnIn, cut } }: Curve): Descent {
  const startLevel = median(raw.slice(burnIn, 2 * burnIn));
  const noise =
    (1.4826 * median(raw.slice(burnIn + 1).map((value, index) => Math.abs(value - raw[burnIn + index]!)))) / Math.SQRT2;
  let lowestLevel = Number.POSITIVE_INFINITY;
  let lowestBlock = burnIn;
  for (let index = burnIn; index + burnIn <= cut; index++) {
    const level = median(raw.slice(index, index + burnIn));
    if (level < lowestLevel) [lowestLevel, lowestBlock] = [level, index];
  }
  return { startLevel, noise, drop: startLevel - lowestLevel, lowestBlock };
}

function isClearDescent({ startLevel, noise, drop }: Descent): boolean {
  return drop > 0 && drop >= MIN_RELATIVE_DROP * Math.abs(startLevel) && drop >= MIN_DROP_IN_NOISE * noise;
}

/** The steepest descent and the valley up to the lowest block, the suggestion from them and its cap. */
function suggest(curve: Curve, lowestBlock: number): LrRangeAnalysis {
  const { learningRate, smoothed, window, divergence } = curve;
  const { burnIn, start, cut } = window;
  // The searches end with the lowest block (see `indices.bottom`).
  const searchEnd = lowestBlock + burnIn;
  const steepestIndex = steepestDescent(curve, searchEnd);
  const valleyIndex = fastaiValley(smoothed, start, searchEnd);
  const chosenIndex = valleyIndex ?? steepestIndex;
  if (chosenIndex === null)
    return noSuggestion(
      curve,
      `the loss fell, but the smoothed curve has no descent after the warm-up (${rateAt(curve, start)} ` +
        `on)${divergedNote(curve)}.`,
    );
  const steepest = steepestIndex === null ? null : learningRate[steepestIndex]!;
  const valley = valleyIndex === null ? null : learningRate[valleyIndex]!;
  const agree =
    steepest !== null && valley !== null && Math.max(steepest, valley) / Math.min(steepest, valley) <= AGREEMENT_FACTOR;
  const cap = divergenceCap(divergence);
  const { chosen, rule } = startingPoint(curve, { steepest, valley, agree }, learningRate[chosenIndex]!);
  const suggested = Math.min(chosen, cap);
  const suggestedIndex = nearestIndex(learningRate, suggested, cut);
  const clamp =
    chosen > cap
      ? ' Capped at a tenth of the rate where the sweep diverged ' +
        `(${formatRate(divergence!.learningRate)}), from ${formatRate(chosen)}.`
      : '';
  return {
    steepest,
    valley,
    agree,
    suggested,
    reason: `${formatRate(suggested)} from ${rule}.${agreementNote(steepest, valley, agree, curve.shortRun)}${clamp}`,
    smoothed,
    window,
    indices: {
      steepest: steepestIndex,
      valley: valleyIndex,
      suggested: suggestedIndex,
      bottom: lowestBlock + Math.floor(burnIn / 2),
    },
    divergence,
    spike: firstSpike(curve.raw, suggestedIndex),
  };
}

/**
 * The rate to start from, before the divergence cap, and the rule that chose it: the valley (else
 * the steepest descent, `fallback`), or SHORT_RUN_RULE for a short run where the two disagree.
 */
function startingPoint(
  { shortRun }: Curve,
  { steepest, valley, agree }: { steepest: number | null; valley: number | null; agree: boolean },
  fallback: number,
): { chosen: number; rule: string } {
  if (shortRun && steepest !== null && valley !== null && !agree)
    return { chosen: Math.sqrt(steepest * valley), rule: `${SHORT_RUN_RULE}, for a run no longer than the sweep` };
  if (valley !== null)
    return { chosen: fallback, rule: `fastai's valley rule (half-way along the longest descent of the smoothed loss)` };
  return { chosen: fallback, rule: 'the steepest descent of the smoothed loss (no valley was found)' };
}

/**
 * The centre of the most negative slope of the smoothed loss against log10(rate), before
 * `searchEnd`; null if none falls.
 */
function steepestDescent({ learningRate, smoothed, window, halfWindow }: Curve, searchEnd: number): number | null {
  const { burnIn, start, cut } = window;
  const logRate = learningRate.map((rate) => Math.log10(rate));
  let steepestIndex: number | null = null;
  let steepestSlope = 0;
  for (let center = Math.max(start, burnIn + halfWindow); center < searchEnd && center + halfWindow < cut; center++) {
    const [from, to] = [center - halfWindow, center + halfWindow + 1];
    const slope = leastSquaresSlope(logRate.slice(from, to), smoothed.slice(from, to));
    if (slope < steepestSlope) [steepestIndex, steepestSlope] = [center, slope];
  }
  return steepestIndex;
}

function noSuggestion({ smoothed, window, divergence }: Curve, reason: string): LrRangeAnalysis {
  return {
    steepest: null,
    valley: null,
    agree: false,
    suggested: null,
    reason,
    smoothed,
    window,
    indices: { steepest: null, valley: null, suggested: null, bottom: null },
    divergence,
    spike: null,
  };
}

/** Why a sweep too short to fit a slope in (or one that diverged that early) has no suggestion. */
function tooShortReason(curve: Curve): string {
  const { start, cut } = curve.window;
  if (curve.divergence === null)
    return (
      `too few steps to analyse (${cut}; at least ${start + 2 * curve.halfWindow + 1} are needed): ` +
      'run a longer sweep.'
    );
  const early = `the sweep diverged ${cut} steps in${divergedNote(curve)}, before a descent could be measured`;
  if (fellInBurnIn(curve)) return `${early}; the loss ${fellOnlyInBurnIn(curve)}`;
  return `${early}: even small rates are too large for this model as it stands; ${tooLowAdvice(curve)}.`;
}

/** Why a sweep whose loss did not clearly fall has no suggestion, with the drop it measured. */
function noDescentReason(curve: Curve, { startLevel, noise, drop }: Descent): string {
  const { burnIn, cut } = curve.window;
  const relative = startLevel === 0 ? 0 : Math.max(0, drop / Math.abs(startLevel));
  const inNoise = noise === 0 ? 0 : Math.max(0, drop / noise);
  const measured =
    `the loss never fell clearly between ${rateAt(curve, burnIn)} and ` +
    `${rateAt(curve, cut - 1)}${divergedNote(curve)}: ` +
    `its lowest running median is ${(relative * 100).toFixed(1)}% (${inNoise.toFixed(1)}× the ` +
    'batch-to-batch noise) below where it started; ' +
    `a descent counts from ${formatPercent(MIN_RELATIVE_DROP)} and ${MIN_DROP_IN_NOISE}×`;
  if (fellInBurnIn(curve)) return `${measured}. It ${fellOnlyInBurnIn(curve)}`;
  if (curve.divergence !== null)
    return (
      `${measured}. No rate below the divergence trains this model: ` +
      'see convdoc diagnose (exploding gradients, scaling).'
    );
  return `${measured}. The learning rate is not what holds this run back: see convdoc diagnose.`;
}

/**
 * The loss fell during the burn-in, out of the analysed window: the median of the burn-in (a
 * median, so one spike does not count) is well above the window's first block.
 */
function fellInBurnIn({ raw, window: { burnIn, cut } }: Curve): boolean {
  return (
    cut >= 2 * burnIn &&
    exceeds(median(raw.slice(0, burnIn)), median(raw.slice(burnIn, 2 * burnIn)), 1 / (1 - MIN_RELATIVE_DROP))
  );
}

function fellOnlyInBurnIn(curve: Curve): string {
  return (
    `fell only in the first ${formatPercent(BURN_IN_FRACTION)} of the sweep (rates up to ` +
    `${rateAt(curve, curve.window.burnIn - 1)}), which the analysis skips: ${tooLowAdvice(curve)}.`
  );
}

function tooLowAdvice(curve: Curve): string {
  return (
    `the rates that train this model lie below the sweep's minimum (${rateAt(curve, 0)}): ` +
    'fix the input or target scaling (convdoc diagnose), or sweep from a lower rate'
  );
}

/** Where and how the sweep diverged, in parentheses after a space; empty when it did not. */
function divergedNote(curve: Curve): string {
  const { divergence } = curve;
  if (divergence === null) return '';
  const cause =
    divergence.cause === 'non-finite'
      ? 'the loss turned non-finite'
      : `the smoothed loss passed ${DIVERGENCE_FACTOR}× its best`;
  return ` (${cause} at ${rateAt(curve, divergence.index)})`;
}

function agreementNote(steepest: number | null, valley: number | null, agree: boolean, shortRun: boolean): string {
  if (steepest === null || valley === null) return '';
  if (agree)
    return (
      ` Steepest descent (${formatRate(steepest)}) and valley (${formatRate(valley)}) ` +
      `agree within ${AGREEMENT_FACTOR}×.`
    );
  const apart = formatFactor(Math.max(steepest, valley) / Math.min(steepest, valley));
  const lag = steepest > valley ? ', and the steepest point of a moving average lags toward higher rates' : '';
  return (
    ` Steepest descent (${formatRate(steepest)}) and valley (${formatRate(valley)}) are ${apart} apart: ` +
    `the descent is broad${lag}; ` +
    (shortRun ? 'the valley is too timid for a run this short.' : 'the valley is the safer start.')
  );
}

function rateAt(curve: Curve, index: number): string {
  return formatRate(curve.learningRate[index]!);
}

/** The highest rate a suggestion may have: DIVERGENCE_MARGIN below where the sweep diverged. */
function divergenceCap(divergence: LrRangeAnalysis['divergence']): number {
  return divergence === null ? Number.POSITIVE_INFINITY : divergence.learningRate / DIVERGENCE_MARGIN;
}

/**
 * fastai's `valley` (fastai/callback/schedule.py, added in fastai#3377): the longest decreasing
 * subsequence of the smoothed loss marks the valley, from `end - length` to its last element; the
 * suggestion is ⌊len/3⌋ + ⌊len/6⌋ along it, about half way in steps. (Write-ups of the method say
 * "two thirds down the valley"; this reproduces fastai's code, which is what fastai users get.)
 * Over [from, to); null when the longest valley has fewer than 2 points.
 */
export function fastaiValley(losses: readonly number[], from: number, to: number): number | null {
  const count = to - from;
  if (count < 2) return null;
  const lengths = new Array<number>(count).fill(1);
  let maxEnd = 0;
  let maxStart = 0;
  for (let i = 1; i < count; i++) {
    for (let j = 0; j < i; j++) {
      if (losses[from + i]! < losses[from + j]! && lengths[i]! < lengths[j]! + 1) lengths[i] = lengths[j]! + 1;
      if (lengths[maxEnd]! < lengths[i]!) {
        maxEnd = i;
        maxStart = maxEnd - lengths[maxEnd]!;
      }
    }
  }
  if (lengths[maxEnd]! < 2) return null;
  const sections = (maxEnd - maxStart) / 3;
  // fastai's index can be -1 (a valley from the first point, of 2 points); Python would read the last point there.
  return from + Math.max(0, maxStart + Math.floor(sections) + Math.floor(sections / 2));
}

/**
 * The first step (from 1, before `until`) whose raw loss is above SPIKE_FACTOR × the median of the
 * losses before it.
 */
function firstSpike(raw: readonly number[], until: number): number | null {
  for (let index = 1; index < Math.min(until, raw.length); index++) {
    if (exceeds(raw[index]!, median(raw.slice(0, index)), SPIKE_FACTOR)) return index;
  }
  return null;
}

/** The index in [0, count) whose rate is nearest `rate` on a log scale. */
function nearestIndex(rates: readonly number[], rate: number, count: number): number {
  let best = 0;
  for (let index = 1; index < count; index++) {
    if (Math.abs(Math.log(rates[index]! / rate)) < Math.abs(Math.log(rates[best]! / rate))) best = index;
  }
  return best;
}

function formatFactor(factor: number): string {
  return `${Number(factor.toPrecision(2))}×`;
}

/**
 * Whether `rate` lies in the band the sweep supports: between the valley and the steepest descent,
 * and under the divergence cap. A configured rate there is kept: the two rules bracket the rates
 * that train about equally well, and moving within the band is churn, not a fix.
 */
export function withinSuggestedBand(
  analysis: Pick<LrRangeAnalysis, 'steepest' | 'valley' | 'divergence'>,
  rate: number,
): boolean {
  const { steepest, valley, divergence } = analysis;
  if (steepest === null || valley === null) return false;
  return rate >= Math.min(steepest, valley) && rate <= Math.min(Math.max(steepest, valley), divergenceCap(divergence));
}
