import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber, plural } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import { gradientBlowUp } from './exploding-gradients.js';
import { blowUpFinding } from './loss-blow-up.js';
import { DIVERGENCE_CRITICAL, DIVERGENCE_RATIO, WINDOW_FRACTION } from './divergence-limits.js';
import { median } from '../util/stats.js';
import { endsDiverged, frozenThere } from './lr-too-high-ends-diverged.js';
import { earlyDivergenceFinding } from './lr-too-high-early-divergence.js';
import { validationEndsAtBest } from './validation-ends-best.js';
import { neverBackFinding, neverBackText, riseNeverUndone } from './lr-too-high-never-back.js';
import { risingTrend, risingTrendText, type RisingTrend } from './lr-too-high-rising-trend.js';
import { TREND_Z_5_PERCENT } from './mann-kendall.js';
import {
  describeOvershoot,
  finiteLossSteps,
  firstUpdateOvershoot,
  hasRecurrentLayer,
  layerOf,
  nonFiniteLossName,
  OVERSHOOT_UPDATE_RATIO,
  overshootCause,
  windowMedians,
} from './signals.js';

/**
 * The starting level: the median of the first steps, a candidate minimum that a spike in the first
 * window cannot raise.
 */
const START_STEPS = 5;
/**
 * A loss that has fallen below a tenth of the chance-level loss (or of its starting level when the
 * chance level is unknown) is near its floor, where mini-batch noise is large relative to the loss
 * (a cross-entropy of 0.005 becomes 0.04 on one hard batch, 8x): the minimum it is compared with is
 * raised to that floor. Adam at lr 0.3 on Iris ends at 6.5x its minimum of 0.006, 0.04 of chance,
 * and has learned; SGD at lr 5 ends at 0.5 from 0.08 and has not.
 */
export const FLOOR_FRACTION = 0.1;
/** Fewer finite losses than this cannot show a rise. */
const MIN_LOSSES = 2;
/** How much a recurrent gradient explosion, the better explanation, lowers the confidence. */
const EXPLAINED_BY_EXPLOSION = 0.5;
/** How much a loss that is falling again at the end lowers the confidence. */
const RECOVERING = 0.8;
/**
 * A learning rate that grew by more than this between the loss's minimum and the divergence was
 * raised into it (a warmup that ends too high, a cyclic or step-up schedule): the message says so.
 * 1.5 keeps the noise of adaptive schedules (plateau, cosine restarts near their top) out.
 */
export const LR_RAISED_FACTOR = 1.5;

interface Divergence {
  ratio: number;
  /** The level the loss ends at (the last window's median) and where that window starts. */
  end: number;
  endIndex: number;
  /** The running minimum it is compared with, where it was seen, and the floor that may replace it. */
  minimum: number;
  minimumIndex: number;
  floor: number;
  /** The first index from which a window's level was twice the running minimum; -1 if none. */
  firstPast: number;
  window: number;
  /** The highest window level after the minimum. */
  peak: number;
  /** The loss has come back down to at most 1/DIVERGENCE_RATIO of its peak: a blow-up it recovers from. */
  recovering: boolean;
  /** The window medians the ratio was read from. */
  levels: number[];
}

/** How far the smoothed loss ends above its running minimum (over the steps with a finite loss). */
function divergence(trace: ProbeTrace): Divergence | null {
  const span = finiteLossSteps(trace);
  if (span < MIN_LOSSES) return null;
  const losses = trace.loss.slice(0, span);
  const window = Math.max(1, Math.round(span * WINDOW_FRACTION));
  const levels = windowMedians(losses, window);
  if (levels.length < 2) return null;
  const lastStart = (levels.length - 1) * window;
  const startCount = Math.max(1, Math.min(START_STEPS, lastStart));
  const start = median(losses.slice(0, startCount));
  let minimum = start;
  let minimumIndex = 0;
  const chance = trace.chanceLoss;
  const floor = FLOOR_FRACTION * (chance !== null && chance > 0 ? chance : start);
  let firstPast = -1;
  let peak = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < levels.length; k++) {
    const level = levels[k]!;
    if (k > 0 && firstPast < 0 && level >= DIVERGENCE_RATIO * Math.max(minimum, floor)) firstPast = k * window;
    if (k < levels.length - 1 && level < minimum)
      [minimum, minimumIndex, peak] = [level, k * window, Number.NEGATIVE_INFINITY];
    else peak = Math.max(peak, level);
  }
  if (!(minimum > 0) || !Number.isFinite(floor)) return null;
  const end = levels.at(-1)!;
  return {
    ratio: end / Math.max(minimum, floor),
    end,
    endIndex: lastStart,
    minimum,
    minimumIndex,
    floor,
    firstPast,
    window,
    peak,
    recovering: end * DIVERGENCE_RATIO <= peak,
    levels,
  };
}

export const lrTooHigh = defineDetector({
  id: 'lr-too-high',
  description:
    'The loss rises instead of falling (to twice its minimum or more, ' +
    'often until it overflows to NaN): ' +
    'each step overshoots the minimum it aims at because the learning rate is too high.',
  fixes: ['lr-schedule'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step', lossCurve = 'training' }: DynamicsInput) {
    // A logged blow-up that never recovers is judged where it happened, before the windows smooth it away.
    const blowUp = origin === 'log' ? blowUpFinding(trace, stepUnit) : null;
    if (blowUp !== null) return [blowUp];
    // A logged validation loss still at its best at the end says the weights did not diverge (validation-ends-best.ts).
    const measured = origin === 'log' && validationEndsAtBest(trace) ? null : divergence(trace);
    // A logged rise never undone is the run's result even under twice the minimum (lr-too-high-never-back.ts).
    const neverBack = origin === 'log' ? riseNeverUndone(trace) : null;
    if (measured === null || !(measured.ratio >= DIVERGENCE_RATIO)) {
      if (neverBack !== null) return [neverBackFinding(trace, neverBack, stepUnit)];
      // A validation loss standing in for the training loss rises by overfitting (overfitting-validation-only.ts).
      const rising = origin === 'log' && lossCurve === 'training' ? risingTrend(trace) : null;
      if (rising !== null) return [risingTrendFinding(trace, rising)];
      const overshoot = overshootFinding(trace);
      // A probe whose first steps diverged and came back ends under twice its start (lr-too-high-early-divergence.ts).
      return overshoot.length > 0 || origin !== 'probe' ? overshoot : earlyDivergenceFinding(trace);
    }
    const span = finiteLossSteps(trace);
    const nan = span < trace.loss.length || trace.stoppedEarly === 'nan-loss';
    const stepAt = (index: number) => trace.step[index] ?? index;
    const { confidence, caveats } = certainty(trace, measured, span, nan);
    const level =
      measured.window === 1
        ? `${nan ? 'its last finite value' : 'its last value'}`
        : `its level over the last ${plural(measured.window, 'step')} (median)`;
    const firstPast = measured.firstPast >= 0 ? measured.firstPast : measured.endIndex;
    const overflow = nan
      ? `, and then the loss became ${nonFiniteLossName(trace, span)} at step ${trace.nanStep ?? stepAt(span)}`
      : '';
    const against =
      measured.floor > measured.minimum ? `a tenth of the ${floorName(trace)} loss` : 'its running minimum';
    const endedRising = origin === 'log' && endsDiverged(trace, measured);
    const ended = endedRising || neverBack !== null;
    return [
      {
        severity: nan || ended || measured.ratio >= DIVERGENCE_CRITICAL ? 'critical' : 'warning',
        confidence: Math.round(confidence * 100) / 100,
        step: stepAt(firstPast),
        evidence: {
          measured: measured.ratio,
          threshold: DIVERGENCE_RATIO,
          what: `training loss at the end (${level}) over ${against}`,
        },
        message:
          'The training loss diverged: ' +
          `${level} ${formatNumber(measured.end)} (from step ${stepAt(measured.endIndex)}) ` +
          `is ${formatNumber(measured.ratio)}x ${referenceText(trace, measured)}, ` +
          `past the ${formatNumber(DIVERGENCE_RATIO)}x divergence limit from step ${stepAt(firstPast)}${overflow}. ` +
          (endedRising ? endedText(trace) : neverBack !== null ? neverBackText(neverBack, trace, stepUnit) : '') +
          learningRateEffect(trace, measured.minimumIndex, firstPast) +
          (caveats.length > 0 ? `Less certain: ${caveats.join('; ')}. ` : '') +
          'Lower the learning rate (an LR range test finds one) and decay it.',
      },
    ];
  },
});

/** A logged training loss that rose as a trend, the run's one witness, under the 2x limit (lr-too-high-rising-trend.ts). */
function risingTrendFinding(trace: ProbeTrace, rising: RisingTrend): Detection {
  return {
    severity: 'critical',
    confidence: confidenceFromMargin(rising.z, TREND_Z_5_PERCENT),
    step: trace.step[0] ?? 0,
    evidence: {
      measured: rising.z,
      threshold: TREND_Z_5_PERCENT,
      what: `Mann-Kendall z of the ${rising.count} logged training losses (a rise needs z at or above the threshold)`,
    },
    message: risingTrendText(rising) + 'Lower the learning rate (an LR range test finds one) and decay it.',
  };
}

/**
 * A loss that jumped at the first update and stayed there shows no rise in windows, but an update
 * larger than the weights (signals.ts OVERSHOOT_UPDATE_RATIO) says the rate threw them away: critical.
 */
function overshootFinding(trace: ProbeTrace): Detection[] {
  const overshoot = firstUpdateOvershoot(trace);
  if (overshoot === null) return [];
  return [
    {
      severity: 'critical',
      confidence: confidenceFromMargin(overshoot.median, OVERSHOOT_UPDATE_RATIO),
      layer: layerOf(overshoot.variable),
      step: trace.step[0] ?? 0,
      evidence: {
        measured: overshoot.median,
        threshold: OVERSHOOT_UPDATE_RATIO,
        what: 'median over kernels of the first update ‖Δw‖/‖w‖',
      },
      message:
        `The first update moved the weights by more than their own size: ${describeOvershoot(overshoot)}, ` +
        `${Number.isFinite(overshoot.median) ? `the median kernel by ${formatNumber(overshoot.median)}x` : 'most kernels overflowed'} ` +
        `(limit ${formatNumber(OVERSHOOT_UPDATE_RATIO)}x), ` +
        `and the loss went from ${formatNumber(overshoot.before)} to ${formatNumber(overshoot.after)} ` +
        `by step ${trace.step[overshoot.afterIndex] ?? overshoot.afterIndex}. ${overshootCause(trace)}`,
    },
  ];
}

/** How sure the divergence is the learning rate's doing: less when the loss recovers or an explosion explains it. */
function certainty(
  trace: ProbeTrace,
  measured: Divergence,
  span: number,
  nan: boolean,
): { confidence: number; caveats: string[] } {
  const blowUp = gradientBlowUp(trace, span);
  const explained = hasRecurrentLayer(trace) && (blowUp.growth !== null || blowUp.nonFinite.length > 0);
  let confidence = confidenceFromMargin(measured.ratio, DIVERGENCE_RATIO);
  const caveats: string[] = [];
  if (measured.recovering && !nan) {
    confidence *= RECOVERING;
    caveats.push(`the loss has come back down from its peak ${formatNumber(measured.peak)}`);
  }
  if (explained) {
    confidence *= EXPLAINED_BY_EXPLOSION;
    caveats.push(
      'a gradient explosion in a recurrent layer explains the rise (see exploding-gradients: clipping first)',
    );
  }
  return { confidence, caveats };
}

/** Why a logged divergence is critical whatever its factor (lr-too-high-ends-diverged.ts). */
function endedText(trace: ProbeTrace): string {
  const validation = trace.valLoss.some(Number.isFinite) ? ', and the validation loss ended at twice its best too' : '';
  const how = frozenThere(trace.loss)
    ? 'its last losses identical there (frozen: weights that no longer change cannot bring it back)'
    : 'the last the highest, the loss rising from the minimum on (a Mann-Kendall trend)';
  return `The run ended diverged: its last two windows both stand at twice its running minimum or more, ${how}${validation}. `;
}

/** Which loss a tenth of is the floor: the chance-level loss when known, else the starting loss. */
function floorName(trace: ProbeTrace): string {
  return trace.chanceLoss !== null && trace.chanceLoss > 0 ? 'chance-level' : 'starting';
}

/** What the end of the run is compared with: a tenth of the chance-level (or starting) loss, or the running minimum. */
function referenceText(trace: ProbeTrace, measured: Divergence): string {
  if (measured.floor <= measured.minimum) {
    const step = trace.step[measured.minimumIndex] ?? measured.minimumIndex;
    return `its running minimum ${formatNumber(measured.minimum)} (step ${step})`;
  }
  return (
    `a tenth of the ${floorName(trace)} loss, ${formatNumber(measured.floor)} ` +
    `(its minimum ${formatNumber(measured.minimum)} is below that, where mini-batch noise dominates)`
  );
}

/**
 * What the learning rate did before the divergence, when the run recorded it (a probe always; a
 * log with an `lr` column): raised into it, or constant at what value. Empty when unrecorded.
 */
export function learningRateEffect(trace: DynamicsInput['trace'], minimumIndex: number, divergedIndex: number): string {
  const before = trace.learningRate[minimumIndex];
  const at = trace.learningRate[divergedIndex];
  if (before === undefined || at === undefined || !Number.isFinite(before) || !Number.isFinite(at) || !(before > 0))
    return '';
  const stepAt = (index: number) => trace.step[index] ?? index;
  if (at > LR_RAISED_FACTOR * before)
    return (
      `The learning rate had been raised from ${formatNumber(before)} (step ${stepAt(minimumIndex)}) ` +
      `to ${formatNumber(at)} (step ${stepAt(divergedIndex)}): the loss diverged as it climbed. `
    );
  return trace.learningRate.slice(0, divergedIndex + 1).every((rate) => rate === at)
    ? `The learning rate was ${formatNumber(at)} throughout. `
    : '';
}
