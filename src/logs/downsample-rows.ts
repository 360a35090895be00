/**
 * Long logs judged on a summary: a log with more rows than MAX_JUDGED_ROWS is judged on that many
 * means of consecutive rows. TensorBoard does the same for display (it keeps 1,000 points per
 * scalar by default, `--samples_per_plugin scalars=1000`); the detectors judge trends over
 * windows, which 10,000 means of a million steps keep, at a hundredth of the cost, and the report
 * stays readable. A non-finite value is never averaged away: it stands for its whole bucket, so a
 * NaN loss is still found.
 */
import { NO_VARIABLES } from './log-columns.js';
import type { LogRow } from './log-row.js';

const MAX_JUDGED_ROWS = 10_000;

export function downsampleRows(rows: readonly LogRow[], max = MAX_JUDGED_ROWS): readonly LogRow[] {
  if (rows.length <= max) return rows;
  const size = Math.ceil(rows.length / max);
  const buckets: LogRow[] = [];
  for (let start = 0; start < rows.length; start += size) buckets.push(bucketRow(rows.slice(start, start + size)));
  return buckets;
}

type Quantity = 'loss' | 'valLoss' | 'learningRate' | 'gradNorm' | 'accuracy' | 'valAccuracy' | 'wallTime';
const QUANTITIES: readonly Quantity[] = [
  'loss',
  'valLoss',
  'learningRate',
  'gradNorm',
  'accuracy',
  'valAccuracy',
  'wallTime',
];

/** One row for a bucket: its last step, each quantity's mean (or its first non-finite value). */
function bucketRow(bucket: readonly LogRow[]): LogRow {
  const row: LogRow = {
    line: bucket[0]!.line,
    step: bucket.at(-1)!.step,
    variableGradNorms: NO_VARIABLES,
    updateRatios: NO_VARIABLES,
  };
  for (const quantity of QUANTITIES) {
    const value = combine(bucket.map((member) => member[quantity]));
    if (value !== undefined) row[quantity] = value;
  }
  return row;
}

function combine(values: readonly (number | undefined)[]): number | undefined {
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === undefined) continue;
    if (!Number.isFinite(value)) return value;
    sum += value;
    count++;
  }
  return count === 0 ? undefined : sum / count;
}
