/**
 * What the data checks and reports know about a dataset: plain, serializable numbers (no rows), so
 * the diagnostic engine can judge them without reading the file again.
 */
import type { Normalization, Task } from '../config/schema.js';
import type { ColumnStats } from './column-stats.js';
import type { TableScan } from './scan.js';
import type { TaskSource } from './task.js';
import { shapeSize } from '../util/shape.js';

export interface ClassCount {
  label: string;
  count: number;
}

export interface DataSummary {
  file: string;
  rows: number;
  /** Values per example (feature columns of a table); `featureStats` may be fewer, per channel of an image. */
  features: number;
  task: Task;
  taskSource: TaskSource;
  /** What the run does to the features today (`data.normalize`). */
  normalize: Normalization;
  /** What the run does to a regression target (`data.normalizeTarget`). */
  normalizeTarget: Normalization;
  featureStats: ColumnStats[];
  targetStats: ColumnStats[];
  /**
   * Classification only: each class and how many rows carry it. For one column, its labels (text,
   * or numeric class ids); for several columns, each column's count of ones.
   */
  classes?: ClassCount[];
  /** Whether a single label column holds text ("setosa") rather than numbers. */
  textLabels: boolean;
  /** Rows whose target cells are all 0/1, and those with exactly one 1; see TableScan. */
  binaryTargetRows: number;
  oneHotRows: number;
}

export function summarize(
  scan: TableScan,
  task: Task,
  taskSource: TaskSource,
  normalize: Normalization,
  normalizeTarget: Normalization = 'none',
): DataSummary {
  return {
    file: scan.file,
    rows: scan.rows,
    features: exampleValues(scan),
    task,
    taskSource,
    normalize,
    normalizeTarget,
    featureStats: scan.features,
    targetStats: scan.targets,
    ...(task === 'regression' ? {} : { classes: classCounts(scan) }),
    textLabels: scan.textLabels,
    binaryTargetRows: scan.binaryTargetRows,
    oneHotRows: scan.oneHotRows,
  };
}

/** Values per example: a table's feature columns, or the size of an array's example. */
export function exampleValues(scan: TableScan): number {
  return scan.exampleShape === undefined ? scan.featureNames.length : shapeSize(scan.exampleShape);
}

function classCounts(scan: TableScan): ClassCount[] {
  if (scan.targetNames.length > 1) {
    return scan.targets.map((column) => ({ label: column.name, count: Math.round(column.mean * column.count) }));
  }
  const entries = [...(scan.labelCounts ?? new Map<string, number>())];
  const numeric = !scan.textLabels;
  entries.sort(([a], [b]) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  return entries.map(([label, count]) => ({ label, count }));
}
