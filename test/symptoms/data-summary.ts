/**
 * Builders for the data detectors' input: a ColumnStats from a name, mean and std, label columns
 * computed by the real ColumnAccumulator, a DataSummary from overrides, and real datasets' column
 * statistics (Boston housing, Iris) for realistic rows.
 */
import { expect } from 'vitest';
import { ColumnAccumulator, type ColumnStats } from '../../src/data/column-stats.js';
import type { ClassCount, DataSummary } from '../../src/data/summary.js';
import type { DataCheckInput } from '../../src/symptoms/data-input.js';
import type { Finding } from '../../src/symptoms/finding.js';

const DEFAULT_ROWS = 100;

/** A column of `count` finite values with this mean and std; min/max two stds either side. */
export function column(stats: Pick<ColumnStats, 'name' | 'mean' | 'std'> & Partial<ColumnStats>): ColumnStats {
  const { mean, std } = stats;
  return {
    count: DEFAULT_ROWS,
    nonFinite: 0,
    min: mean - 2 * std,
    max: mean + 2 * std,
    distinct: std === 0 ? 1 : DEFAULT_ROWS,
    distinctCapped: false,
    integer: false,
    ...stats,
  };
}

/** A column with no finite value at all (every cell missing), as ColumnAccumulator reports it. */
export function missingColumn(name: string, rows = DEFAULT_ROWS): ColumnStats {
  return statsOf(
    name,
    Array.from({ length: rows }, () => Number.NaN),
  );
}

/** The exact statistics the data scan computes for these values. */
export function statsOf(name: string, values: readonly number[]): ColumnStats {
  const accumulator = new ColumnAccumulator(name);
  for (const value of values) accumulator.add(value);
  return accumulator.summary();
}

/** A DataSummary: a small, clean regression dataset unless overridden. */
export function summary(overrides: Partial<DataSummary> = {}): DataSummary {
  const featureStats = overrides.featureStats ?? [column({ name: 'x', mean: 0, std: 1 })];
  return {
    file: 'data.csv',
    rows: DEFAULT_ROWS,
    features: featureStats.length,
    task: 'regression',
    taskSource: 'config',
    normalize: 'none',
    normalizeTarget: 'none',
    targetStats: [column({ name: 'y', mean: 0, std: 1 })],
    textLabels: false,
    binaryTargetRows: 0,
    oneHotRows: 0,
    ...overrides,
    featureStats,
  };
}

/** The detector input for a summary built from overrides, with the model's output units when given. */
export function input(overrides: Partial<DataSummary> = {}, outputUnits?: number): DataCheckInput {
  return { data: summary(overrides), ...(outputUnits === undefined ? {} : { outputUnits }) };
}

type TargetFields = Pick<
  DataSummary,
  'rows' | 'targetStats' | 'classes' | 'textLabels' | 'binaryTargetRows' | 'oneHotRows'
>;

/**
 * A single label column from each label's row count, summarized as the scan does: numeric labels
 * get numeric statistics, text labels ("setosa") none; 0/1 rows count as binary, 1s as one-hot.
 */
export function labelColumn(counts: Readonly<Record<string, number>>, name = 'label'): TargetFields {
  const entries = Object.entries(counts);
  const textLabels = entries.some(([label]) => Number.isNaN(Number(label)));
  const values = textLabels
    ? []
    : entries.flatMap(([label, count]) => Array.from({ length: count }, () => Number(label)));
  const classes: ClassCount[] = entries
    .map(([label, count]) => ({ label, count }))
    .sort((a, b) =>
      textLabels ? (a.label < b.label ? -1 : a.label > b.label ? 1 : 0) : Number(a.label) - Number(b.label),
    );
  const rows = entries.reduce((sum, [, count]) => sum + count, 0);
  return {
    rows,
    targetStats: [statsOf(name, values)],
    classes,
    textLabels,
    binaryTargetRows: values.filter((value) => value === 0 || value === 1).length,
    oneHotRows: values.filter((value) => value === 1).length,
  };
}

/** `times` copies of one target row, for building multi-column targets. */
export function repeat(times: number, row: readonly number[]): number[][] {
  return Array.from({ length: times }, () => [...row]);
}

/** Several target columns (one-hot or multilabel) from their rows, summarized as the scan does. */
export function targetColumns(names: readonly string[], rows: readonly (readonly number[])[]): TargetFields {
  const targetStats = names.map((name, k) =>
    statsOf(
      name,
      rows.map((row) => row[k] ?? Number.NaN),
    ),
  );
  const binary = rows.filter((row) => row.every((value) => value === 0 || value === 1));
  return {
    rows: rows.length,
    targetStats,
    classes: targetStats.map((stats) => ({ label: stats.name, count: Math.round(stats.mean * stats.count) })),
    textLabels: false,
    binaryTargetRows: binary.length,
    oneHotRows: binary.filter((row) => row.filter((value) => value === 1).length === 1).length,
  };
}

/** The one finding a detector returned. */
export function onlyFinding(findings: Finding[]): Finding {
  expect(findings).toHaveLength(1);
  return findings[0]!;
}

/**
 * Boston housing (Harrison & Rubinfeld 1978, 506 rows): the real mean and population std of every
 * column, as convdoc's scan computes them.
 */
export const BOSTON_ROWS = 506;
export const BOSTON_FEATURES: ColumnStats[] = [
  column({ name: 'crim', mean: 3.6135, std: 8.593, min: 0.00632, max: 88.9762, distinct: 504 }),
  column({ name: 'zn', mean: 11.3636, std: 23.2994, min: 0, max: 100, distinct: 26 }),
  column({ name: 'indus', mean: 11.1368, std: 6.8536, min: 0.46, max: 27.74, distinct: 76 }),
  column({ name: 'chas', mean: 0.0692, std: 0.2537, min: 0, max: 1, distinct: 2, integer: true }),
  column({ name: 'nox', mean: 0.5547, std: 0.1158, min: 0.385, max: 0.871, distinct: 81 }),
  column({ name: 'rm', mean: 6.2846, std: 0.7019, min: 3.561, max: 8.78, distinct: 446 }),
  column({ name: 'age', mean: 68.5749, std: 28.121, min: 2.9, max: 100, distinct: 356 }),
  column({ name: 'dis', mean: 3.795, std: 2.1036, min: 1.1296, max: 12.1265, distinct: 412 }),
  column({ name: 'rad', mean: 9.5494, std: 8.6987, min: 1, max: 24, distinct: 9, integer: true }),
  column({ name: 'tax', mean: 408.2372, std: 168.3705, min: 187, max: 711, distinct: 66, integer: true }),
  column({ name: 'ptratio', mean: 18.4555, std: 2.1628, min: 12.6, max: 22, distinct: 46 }),
  column({ name: 'b', mean: 356.674, std: 91.2046, min: 0.32, max: 396.9, distinct: 357 }),
  column({ name: 'lstat', mean: 12.6531, std: 7.134, min: 1.73, max: 37.97, distinct: 455 }),
].map((stats) => ({ ...stats, count: BOSTON_ROWS }));
export const BOSTON_MEDV: ColumnStats = {
  ...column({ name: 'medv', mean: 22.5328, std: 9.188, min: 5, max: 50, distinct: 229 }),
  count: BOSTON_ROWS,
};

/** Iris (Fisher 1936, 150 rows): the four measurements and the 50/50/50 species labels. */
export const IRIS_FEATURES: ColumnStats[] = [
  column({ name: 'sepal_length', mean: 5.8433, std: 0.8253, min: 4.3, max: 7.9 }),
  column({ name: 'sepal_width', mean: 3.0573, std: 0.4344, min: 2, max: 4.4 }),
  column({ name: 'petal_length', mean: 3.758, std: 1.7594, min: 1, max: 6.9 }),
  column({ name: 'petal_width', mean: 1.1993, std: 0.7597, min: 0.1, max: 2.5 }),
].map((stats) => ({ ...stats, count: 150 }));
export const IRIS_SPECIES = labelColumn({ setosa: 50, versicolor: 50, virginica: 50 }, 'species');
