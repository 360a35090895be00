/**
 * Losses of a run that scales its regression target (data.normalizeTarget) are in scaled units;
 * comparing them with an unscaled baseline, or reporting them, needs the original units.
 */
import { mean } from '../util/stats.js';

/**
 * The factor from a loss on a scaled target to the original units: the squared scale for MSE, the
 * scale for MAE (averaged over target columns); 1 when nothing is scaled; null where no factor
 * converts (Huber, log-cosh: not homogeneous in the scale).
 */
export function originalUnitsFactor(lossName: string, targetScale: readonly number[] | null): number | null {
  if (targetScale === null) return 1;
  if (lossName === 'meanSquaredError') return mean(targetScale.map((scale) => scale * scale));
  if (lossName === 'meanAbsoluteError') return mean(targetScale);
  return null;
}

/** What to multiply a run's losses by to compare them across runs: its factor, or 1 where none converts. */
export function comparableLossFactor(trace: { lossName: string; targetScale: readonly number[] | null }): number {
  return originalUnitsFactor(trace.lossName, trace.targetScale) ?? 1;
}
