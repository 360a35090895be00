/**
 * A noisy logged loss with no trend over the whole run (symptom `plateau`, thresholds for logs), for
 * not-learning.ts. Its flat rule reads medians of tenths of the run and calls a loss that never fell
 * 5% below its first tenth flat; mini-batch losses logged per step scatter so widely (0.23 to 0.81
 * around 0.5) that some tenth's median always lands 5% low by chance, and a run that learned nothing
 * reads as one that learned. A trend test asks the right question of such a series: do later losses
 * tend to lie below earlier ones more than noise would make them? The Mann-Kendall test
 * (mann-kendall.ts) reads ranks only, so the scatter's size does not matter, and a run that learns,
 * however slowly, gives a large negative z over tens of points. A series with neither a significant
 * fall nor a significant rise (a rise is lr-too-high's divergence) learned nothing.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { accuracyGain } from './accuracy-gain.js';
import type { Detection } from './finding.js';
import { lossesRise } from './losses-rise-together.js';
import { MIN_TREND_POINTS, TREND_Z_5_PERCENT, trendZ } from './mann-kendall.js';
import { beginsAtRunStart, flatSeries, learningRateNearZero, roseAboveStart } from './not-learning-signals.js';
import { finitePoints } from './signals.js';

/** The finding when the training loss has no downward trend over the whole run; null otherwise. */
export function noLossTrend(trace: ProbeTrace, stepUnit: string): Detection | null {
  const points = finitePoints(trace.step, trace.loss);
  if (points.length < MIN_TREND_POINTS) return null;
  const losses = points.map((point) => point.loss);
  const z = trendZ(losses);
  if (Math.abs(z) >= TREND_Z_5_PERCENT || fellBeforeSecondPoint(losses) || roseAboveStart(losses)) return null;
  if (learnedElsewhere(trace)) return null;
  const nearZeroRate = learningRateNearZero(trace);
  const steps = points.map((point) => point.step);
  const fromStart = !nearZeroRate && beginsAtRunStart(steps);
  return {
    severity: nearZeroRate || fromStart ? 'critical' : 'warning',
    confidence: nearZeroRate ? 0.9 : fromStart ? 0.7 : 0.6,
    step: steps[0]!,
    evidence: {
      measured: z,
      threshold: -TREND_Z_5_PERCENT,
      what: `Mann-Kendall z of the ${losses.length} logged training losses (a fall needs z at or below the threshold)`,
    },
    message:
      `The training loss shows no downward trend over the whole run (${losses.length} logged losses, ${stepUnit} ${steps[0]!} to ${steps.at(-1)!}, from ${formatNumber(losses[0]!)} to ${formatNumber(losses.at(-1)!)}): ` +
      `a Mann-Kendall test gives z = ${formatNumber(z)}, where a fall at the 5% level needs ${formatNumber(-TREND_Z_5_PERCENT)} or lower; later losses lie below earlier ones no more often than noise makes them. ` +
      flatCause(nearZeroRate, fromStart, stepUnit, steps[0]!),
  };
}

/**
 * The first logged loss lies above every loss of the run's second half: the run fell from it before
 * its second logged point (a fine-tune that converges within the first logging interval). The rank
 * test weighs that one early point as little as any other, so it is read here.
 */
function fellBeforeSecondPoint(losses: readonly number[]): boolean {
  return losses[0]! > Math.max(...losses.slice(Math.floor(losses.length / 2)));
}

/**
 * Signs of learning the training loss does not show: a validation loss that fell a window's progress
 * (not-learning-signals.ts's flatSeries) or falls by the same trend test, an accuracy that clearly rose
 * (accuracy-gain.ts); or both losses rose together, lr-too-high's divergence (losses-rise-together.ts).
 */
export function learnedElsewhere(trace: ProbeTrace): boolean {
  const validation = trace.valLoss.filter(Number.isFinite);
  const validationFell =
    flatSeries(validation)?.flat === false ||
    (validation.length >= MIN_TREND_POINTS && trendZ(validation) <= -TREND_Z_5_PERCENT);
  return validationFell || accuracyGain(trace, ['validation', 'training']) !== null || lossesRise(trace) !== null;
}

/** Why a logged loss that never fell learned nothing, or why the log cannot say. */
export function flatCause(nearZeroRate: boolean, fromStart: boolean, stepUnit: string, first: number): string {
  if (nearZeroRate)
    return 'The logged learning rate never exceeded 1e-6: the weights barely move, nothing is being learned. Raise it (an LR range test finds one).';
  if (fromStart)
    return `The log begins with its run (${stepUnit} ${first}, its first interval), so the run was not resumed from a converged checkpoint: it learned nothing. Check that labels match inputs and that inputs are scaled, then the learning rate (an LR range test finds one).`;
  return 'Either the run learns nothing, or it began already converged (a resumed or fine-tuned run); a log does not say which. Give --chance-loss to judge it against chance.';
}
