/**
 * A loss curve in one line of block characters, for terminals and logs. Steps are averaged into at
 * most `width` buckets; a curve spanning orders of magnitude is drawn on a log scale so its shape
 * stays visible; non-finite values (a NaN tail) are drawn as `×`.
 */
import { mean } from '../util/stats.js';
import { needsLogScale } from './log-scale.js';

const BLOCKS = '▁▂▃▄▅▆▇█';

export function sparkline(values: readonly number[], width = 40): string {
  const buckets = bucketMeans(values, width);
  const finiteBuckets = buckets.filter(Number.isFinite);
  if (finiteBuckets.length === 0) return '×'.repeat(buckets.length);
  const low = Math.min(...finiteBuckets);
  const high = Math.max(...finiteBuckets);
  const logScale = needsLogScale(low, high);
  const scale = (value: number) => (logScale ? Math.log(value) : value);
  const range = scale(high) - scale(low);
  return buckets
    .map((value) => {
      if (!Number.isFinite(value)) return '×';
      const level = range === 0 ? 0 : Math.round(((scale(value) - scale(low)) / range) * (BLOCKS.length - 1));
      return BLOCKS[level];
    })
    .join('');
}

function bucketMeans(values: readonly number[], width: number): number[] {
  const count = Math.min(width, values.length);
  return Array.from({ length: count }, (_, bucket) => {
    const slice = values.slice(
      Math.floor((bucket * values.length) / count),
      Math.floor(((bucket + 1) * values.length) / count),
    );
    return slice.some((value) => !Number.isFinite(value)) ? Number.NaN : mean(slice);
  });
}
