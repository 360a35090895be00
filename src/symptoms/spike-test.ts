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

/** The recent level and how many times it the loss at `index` is, when that loss is a spike; else null. */
export function spikeAt(losses: readonly number[], index: number): { level: number; factor: number } | null {
  const recent = losses.slice(index - SPIKE_WINDOW, index).filter((value) => Number.isFinite(value) && value > 0);
  const value = losses[index]!;
  if (index < SPIKE_WINDOW || recent.length < SPIKE_WINDOW || !(value > 0) || !Number.isFinite(value)) return null;
  const level = median(recent);
  const logs = recent.map(Math.log);
  // Point-to-point changes measure the noise without the trend a falling loss adds to a spread around its median.
  const spread = 1.4826 * median(logs.slice(1).map((log, k) => Math.abs(log - logs[k]!)));
  if (value < SPIKE_FACTOR * level || Math.log(value / level) < SPIKE_DEVIATIONS * spread) return null;
  // A jump of a digit or two where the log rounds (HF's 4 decimals at a loss of 1e-4) is no spike.
  if (!exceedsWhenRounded(value, level, SPIKE_FACTOR, seriesResolution([...recent, value]))) return null;
  return { level, factor: value / level };
}
