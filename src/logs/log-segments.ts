/**
 * Resumed and appended runs. A log whose steps go back (Keras' CSVLogger with append=True starting
 * again at epoch 0, a run resumed from an earlier checkpoint) holds more than one run: each time the
 * training steps, or the evaluation steps, go back, a new segment starts. A step logged again (an
 * epoch summary at the epoch's last step, TensorBoard's final evaluation written twice, a duplicated
 * record) is the same point: its values are merged into the earlier record, the later ones winning.
 * analyze judges the last segment unless told otherwise (`--segment all|last|N`).
 */
import { DataError } from '../errors.js';
import type { LogRow } from './log-row.js';

export interface LogSegment {
  /** 1-based, in file order. */
  index: number;
  firstLine: number;
  lastLine: number;
  firstStep: number;
  lastStep: number;
  rows: number;
}

/** `last` (the default), `all` (every segment, one after another in file order), or a segment's 1-based number. */
export type SegmentChoice = 'all' | 'last' | number;

export function splitSegments(rows: readonly LogRow[]): LogRow[][] {
  const segments: LogRow[][] = [];
  let current: LogRow[] = [];
  let lastTraining = Number.NEGATIVE_INFINITY;
  let lastEvaluation = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const goesBack =
      (row.loss !== undefined && row.step < lastTraining) || (row.valLoss !== undefined && row.step < lastEvaluation);
    if (goesBack && current.length > 0) {
      segments.push(current);
      current = [];
      lastTraining = lastEvaluation = Number.NEGATIVE_INFINITY;
    }
    const repeats =
      (row.loss !== undefined && row.step === lastTraining) ||
      (row.valLoss !== undefined && row.step === lastEvaluation);
    const earlier = repeats ? current.findLastIndex((candidate) => candidate.step === row.step) : -1;
    if (earlier >= 0) current[earlier] = mergeRows(current[earlier]!, row);
    else current.push(row);
    if (row.loss !== undefined) lastTraining = row.step;
    if (row.valLoss !== undefined) lastEvaluation = row.step;
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** One point logged twice: the later record's values win, per-variable records are merged. */
function mergeRows(earlier: LogRow, later: LogRow): LogRow {
  const defined = Object.fromEntries(Object.entries(later).filter(([, value]) => value !== undefined));
  return {
    ...earlier,
    ...defined,
    line: earlier.line,
    variableGradNorms: { ...earlier.variableGradNorms, ...later.variableGradNorms },
    updateRatios: { ...earlier.updateRatios, ...later.updateRatios },
    ...(earlier.activations === undefined && later.activations === undefined
      ? {}
      : { activations: { ...earlier.activations, ...later.activations } }),
  };
}

export function describeSegments(segments: readonly LogRow[][]): LogSegment[] {
  return segments.map((rows, index) => {
    const { lowest, highest } = stepRange(rows);
    return {
      index: index + 1,
      firstLine: rows[0]!.line,
      lastLine: rows.at(-1)!.line,
      firstStep: lowest,
      lastStep: highest,
      rows: rows.length,
    };
  });
}

/**
 * A loop, not Math.min(...steps): a million arguments overflow the call stack. One pass for both
 * ends: each pass over a million rows is a cache miss per row.
 */
function stepRange(rows: readonly LogRow[]): { lowest: number; highest: number } {
  let lowest = Number.POSITIVE_INFINITY;
  let highest = Number.NEGATIVE_INFINITY;
  for (const { step } of rows) {
    if (step < lowest) lowest = step;
    if (step > highest) highest = step;
  }
  return { lowest, highest };
}

/**
 * The rows to judge. `all` lays the segments end to end, each shifted to start one step after the
 * one before ended, so that the series stay in step order: the run as it happened in time.
 */
export function selectSegment(file: string, segments: readonly LogRow[][], choice: SegmentChoice): LogRow[] {
  if (choice === 'last') return resumedRun(segments);
  if (choice !== 'all') {
    const segment = segments[choice - 1];
    if (segment === undefined)
      throw new DataError(
        `${file}: --segment ${choice}: the log has ${segments.length} segment${segments.length === 1 ? '' : 's'} (runs whose steps go back start a new one). Pass 1 to ${segments.length}, last or all.`,
      );
    return segment;
  }
  const joined: LogRow[] = [];
  let offset = 0;
  for (const segment of segments) {
    const { lowest, highest } = stepRange(segment);
    const shift = joined.length === 0 ? 0 : offset + 1 - lowest;
    for (const row of segment) joined.push({ ...row, step: row.step + shift });
    offset = highest + shift;
  }
  return joined;
}

/**
 * The last segment as the run it resumed: a segment that starts past the first step of the run
 * before it (a run resumed from a checkpoint at that step) follows that run's rows before its
 * first step; the earlier run's rows at and after it were orphaned by the resume. TensorBoard's
 * EventAccumulator reads a restart so (`purge_orphaned_data`: events at or after the step of a
 * restart are discarded, the ones before kept). A segment that starts at or before the run
 * before it (a fresh run, CSVLogger appending from epoch 0) is its own run.
 */
function resumedRun(segments: readonly LogRow[][]): LogRow[] {
  let run: LogRow[] = [];
  for (const segment of segments) {
    const first = stepRange(segment).lowest;
    const before = run.length === 0 ? first : stepRange(run).lowest;
    run = first > before ? [...run.filter((row) => row.step < first), ...segment] : [...segment];
  }
  return run;
}

/**
 * What the last segment took from the runs it resumed (resumedRun): the step it resumes at and how
 * many earlier rows are judged with it; null when it is judged alone.
 */
export function resumedRows(segments: readonly LogRow[][]): { step: number; rows: number } | null {
  const last = segments.at(-1) ?? [];
  const rows = resumedRun(segments).length - last.length;
  return rows > 0 ? { step: stepRange(last).lowest, rows } : null;
}
