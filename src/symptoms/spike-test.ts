/**
 * Whether one logged loss is a spike above its recent level (thresholds for logs): shared by the
 * recovered spikes of loss-spikes.ts and the blow-up that never recovers of loss-blow-up.ts. A
 * spike must be one whatever the printed values were before the logger rounded them. A burst of
 * several losses in a row (burstAt) is a spike the recovered spikes of loss-spikes.ts count too.
 */
import { median } from '../util/stats.js';
import { exceedsWhenRounded, seriesResolution } from './printed-resolution.js';

/** For logs: the recent level is the median of this many losses before a point. */
export const SPIKE_WINDOW = 10;
/** For logs: a spike is at least this many times the recent level... */
export const SPIKE_FACTOR = 2;
/** For logs: a loss within this factor of its recent level is back at that level (a spike recovered). */
export const RECOVERED_FACTOR = 1.5;
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
/**
 * For logs: a jump the run's losses make routinely is its noise, not a spike. The robust noise above
 * (a median of changes) is blind to a minority of the points by design (the MAD's 50% breakdown point,
 * Rousseeuw & Croux 1993): a classifier's batch losses are often two populations, most batches near
 * zero and now and then one that holds a hard or mislabelled example (log 255 ends with nine batches
 * in ten at 0.0007 and the tenth at 0.64-0.74, each a thousand times its recent median). When this
 * many of the NOISE_WINDOW losses before a point, one in twenty (the 5% a test leaves to chance), were
 * already SPIKE_FACTOR above their own recent level, a jump of that size is what the run's losses do
 * at that time. Rarer spikes, the pattern loss-spikes.ts warns of, are counted until they become that
 * common. Only recovered spikes are judged so: a blow-up that never recovers (loss-blow-up.ts) is
 * judged by the level the run ends at, which no batch population explains.
 */
const ROUTINE_JUMPS = 5;
/**
 * For logs: a burst, losses that stay SPIKE_FACTOR above the level before them for this many points in
 * a row, is judged by their mean, whose noise is the one-point noise over the square root of their
 * number (the standard error of a mean): five points at 2.7x a level whose points wander 17% from one
 * to the next are no chance, though none of them alone clears SPIKE_DEVIATIONS (log 306, post hoc: the
 * loss holds 9-11.5 for five points from step 840, over a level of 4.3). Two points in a row are left to
 * the one-point test: one bad batch and the step that follows it, whose update still carries that
 * batch's gradient in the optimizer's moments, are two high points of one event. Chosen post hoc with
 * the 353 logs of bench/logs in view: bursts of three or more points are found in eight, five of them
 * labelled unstable or diverging; two points would add a healthy run's 2.6x two-point bump as a second
 * spike (log 34, whose finding would become a false warning).
 */
const MIN_BURST_POINTS = 3;

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
 * The recent level and how many times it the highest loss of a burst starting at `index` stands, when
 * the losses from `index` on stay SPIKE_FACTOR above that level for MIN_BURST_POINTS or more in a
 * row and their mean (in log space) clears the noise a mean of that many points has; else null.
 */
export function burstAt(losses: readonly number[], index: number): { level: number; factor: number } | null {
  if (index < SPIKE_WINDOW) return null;
  const recent = losses.slice(index - SPIKE_WINDOW, index).filter((value) => Number.isFinite(value) && value > 0);
  if (recent.length < SPIKE_WINDOW) return null;
  const level = median(recent);
  let end = index;
  while (end < losses.length && Number.isFinite(losses[end]!) && losses[end]! >= SPIKE_FACTOR * level) end++;
  const burst = losses.slice(index, end);
  if (burst.length < MIN_BURST_POINTS) return null;
  const mean = Math.exp(burst.reduce((sum, value) => sum + Math.log(value), 0) / burst.length);
  const spread = logNoise(losses.slice(Math.max(0, index - NOISE_WINDOW), index));
  if (Math.log(mean / level) < (SPIKE_DEVIATIONS * spread) / Math.sqrt(burst.length)) return null;
  if (!exceedsWhenRounded(mean, level, SPIKE_FACTOR, seriesResolution([...recent, ...burst]))) return null;
  return { level, factor: Math.max(...burst) / level };
}

/** Whether ROUTINE_JUMPS or more of the NOISE_WINDOW losses before `index` stood SPIKE_FACTOR above their own recent level. */
export function routineJump(losses: readonly number[], index: number): boolean {
  let jumps = 0;
  for (let k = Math.max(SPIKE_WINDOW, index - NOISE_WINDOW); k < index && jumps < ROUTINE_JUMPS; k++) {
    const recent = losses.slice(k - SPIKE_WINDOW, k).filter((value) => Number.isFinite(value) && value > 0);
    if (recent.length > 0 && losses[k]! >= SPIKE_FACTOR * median(recent)) jumps++;
  }
  return jumps >= ROUTINE_JUMPS;
}

/**
 * 1.4826 x the median change from one positive finite loss to the next, in log space: point-to-point
 * changes measure the noise without the trend a falling loss adds to a spread around its median.
 */
function logNoise(losses: readonly number[]): number {
  const logs = losses.filter((value) => Number.isFinite(value) && value > 0).map(Math.log);
  return 1.4826 * median(logs.slice(1).map((log, k) => Math.abs(log - logs[k]!)));
}
