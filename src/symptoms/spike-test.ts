/**
 * Whether one logged loss is a spike above its recent level (thresholds for logs): shared by the
 * recovered spikes of loss-spikes.ts and the blow-up that never recovers of loss-blow-up.ts. A
 * spike must be one whatever the printed values were before the logger rounded them.
 */
import { median } from '../util/stats.js';
import { exceedsWhenRounded, seriesResolution } from './printed-resolution.js';

/** For logs: the recent level is the median of this many losses before a point. */
export const SPIKE_WINDOW = 10;
/** For logs: a spike is at least this many times the recent level... */
export const SPIKE_FACTOR = 2;
/**
 * ...and this many robust deviations above it (1.4826 x the median change from one loss to the next, in log
 * space), so that the spread of
 * mini-batch losses near zero (a factor of 10 between batches is common) is not a spike.
 */
const SPIKE_DEVIATIONS = 6;
/**
 * For logs: the noise is measured over up to this many losses before a point, not only the
 * SPIKE_WINDOW the level comes from. A median of 9 changes is itself uncertain: the MAD's efficiency
 * is 37% (Rousseeuw & Croux, JASA 1993), a relative standard error of about 1.16/sqrt(n), 39% for 9
 * changes and 12% for 99, and a per-step log of 10,000 points has a thousand 10-point windows, some
 * calm by chance: a batch at 2.7x a calm stretch's median was a "spike" though a twentieth of that
 * run's steps sit at 2x their recent median (log 292, post hoc).
 */
const NOISE_WINDOW = 100;

/** The recent level and how many times it the loss at `index` is, when that loss is a spike; else null. */
export function spikeAt(losses: readonly number[], index: number): { level: number; factor: number } | null {
  const recent = losses.slice(index - SPIKE_WINDOW, index).filter((value) => Number.isFinite(value) && value > 0);
  const value = losses[index]!;
  if (index < SPIKE_WINDOW || recent.length < SPIKE_WINDOW || !(value > 0) || !Number.isFinite(value)) return null;
  const level = median(recent);
  // The factor first: most points fail it, and the noise over NOISE_WINDOW points costs a sort.
  if (value < SPIKE_FACTOR * level) return null;
  const spread = logNoise(losses.slice(Math.max(0, index - NOISE_WINDOW), index));
  if (Math.log(value / level) < SPIKE_DEVIATIONS * spread) return null;
  // A jump of a digit or two where the log rounds (HF's 4 decimals at a loss of 1e-4) is no spike.
  if (!exceedsWhenRounded(value, level, SPIKE_FACTOR, seriesResolution([...recent, value]))) return null;
  return { level, factor: value / level };
}

/**
 * 1.4826 x the median change from one positive finite loss to the next, in log space: point-to-point
 * changes measure the noise without the trend a falling loss adds to a spread around its median.
 */
function logNoise(losses: readonly number[]): number {
  const logs = losses.filter((value) => Number.isFinite(value) && value > 0).map(Math.log);
  return 1.4826 * median(logs.slice(1).map((log, k) => Math.abs(log - logs[k]!)));
}
