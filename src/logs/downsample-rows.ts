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
  // Buckets as index ranges: a copy of each bucket and of each of its columns cost more than the judgment.
  for (let start = 0; start < rows.length; start += size)
    buckets.push(bucketRow(rows, start, Math.min(start + size, rows.length)));
  return buckets;
}

type Quantity = 'loss' | 'valLoss' | 'learningRate' | 'gradNorm' | 'accuracy' | 'valAccuracy' | 'valScore' | 'wallTime';
const QUANTITIES: readonly Quantity[] = [
  'loss',
  'valLoss',
  'learningRate',
  'gradNorm',
  'accuracy',
  'valAccuracy',
  'valScore',
  'wallTime',
];

/** One row for the bucket rows[start, end): its last step, each quantity's mean (or its first non-finite value). */
function bucketRow(rows: readonly LogRow[], start: number, end: number): LogRow {
  const row: LogRow = {
    line: rows[start]!.line,
    step: rows[end - 1]!.step,
    variableGradNorms: NO_VARIABLES,
    updateRatios: NO_VARIABLES,
  };
  for (const quantity of QUANTITIES) {
    const value = combine(rows, start, end, quantity);
    if (value !== undefined) row[quantity] = value;
  }
  if (row.valScore !== undefined) row.scoreName = rows.slice(start, end).find((one) => one.scoreName)?.scoreName;
  // Activation samples are taken on one batch each: the bucket keeps its last, as it keeps its last step.
  for (let index = end - 1; index >= start; index--) {
    const { activations } = rows[index]!;
    if (activations === undefined) continue;
    row.activations = activations;
    break;
  }
  return row;
}

function combine(rows: readonly LogRow[], start: number, end: number, quantity: Quantity): number | undefined {
  let sum = 0;
  let count = 0;
  for (let index = start; index < end; index++) {
    const value = rows[index]![quantity];
    if (value === undefined) continue;
    if (!Number.isFinite(value)) return value;
    sum += value;
    count++;
  }
  return count === 0 ? undefined : sum / count;
}
