import { describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../src/data/column-stats.js';
import type { DataSummary } from '../../src/data/summary.js';
import { NON_FINITE_LIMIT, dataNan } from '../../src/symptoms/data-nan.js';
import {
  BOSTON_FEATURES,
  BOSTON_MEDV,
  BOSTON_ROWS,
  IRIS_FEATURES,
  IRIS_SPECIES,
  column,
  input,
  missingColumn,
  onlyFinding,
  statsOf,
} from './data-summary.js';

const ROWS = 100;
const unit = (name: string) => column({ name, mean: 0, std: 1 });
/** A unit-scale column of ROWS cells, `nonFinite` of them missing, NaN or infinite. */
const holed = (name: string, nonFinite: number) =>
  column({ name, mean: 0, std: 1, count: ROWS - nonFinite, nonFinite });

interface TriggerRow {
  name: string;
  data: Partial<DataSummary>;
  /** The columns with non-finite values, most first. */
  columns: string[];
  /** How the message counts the first column's values, e.g. "3 of 100". */
  counted: string;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'one missing feature value, just past the limit',
    data: { featureStats: [unit('a'), holed('b', NON_FINITE_LIMIT + 1)] },
    columns: ['b'],
    counted: `${NON_FINITE_LIMIT + 1} of ${ROWS}`,
  },
  {
    name: 'Titanic age: 177 of 891 missing',
    data: {
      rows: 891,
      featureStats: [
        column({ name: 'pclass', mean: 2.309, std: 0.836, count: 891, integer: true }),
        column({ name: 'age', mean: 29.7, std: 14.51, count: 714, nonFinite: 177 }),
        column({ name: 'fare', mean: 32.2, std: 49.67, count: 891 }),
      ],
      targetStats: [column({ name: 'survived', mean: 0.3838, std: 0.4863, count: 891, integer: true })],
      task: 'binary',
    },
    columns: ['age'],
    counted: '177 of 891',
  },
  {
    name: 'missing values in the target only',
    data: {
      rows: BOSTON_ROWS,
      featureStats: BOSTON_FEATURES,
      targetStats: [{ ...BOSTON_MEDV, count: BOSTON_ROWS - 3, nonFinite: 3 }],
    },
    columns: ['medv'],
    counted: `3 of ${BOSTON_ROWS}`,
  },
  {
    name: 'infinite values, counted as the scan counts them',
    data: {
      featureStats: [unit('a'), statsOf('ratio', [1, 2, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3])],
      rows: 5,
    },
    columns: ['ratio'],
    counted: '2 of 5',
  },
  {
    name: 'a feature with no finite value at all',
    data: { featureStats: [unit('a'), missingColumn('empty', ROWS)] },
    columns: ['empty'],
    counted: `${ROWS} of ${ROWS}`,
  },
  {
    name: 'features and target, worst first',
    data: { featureStats: [holed('few', 2), unit('clean'), holed('most', 9)], targetStats: [holed('y', 5)] },
    columns: ['most', 'y', 'few'],
    counted: `9 of ${ROWS}`,
  },
];

const mustNotTrigger: { name: string; data: Partial<DataSummary> }[] = [
  {
    name: 'Boston housing, every value present',
    data: { rows: BOSTON_ROWS, featureStats: BOSTON_FEATURES, targetStats: [BOSTON_MEDV] },
  },
  {
    name: 'Iris with text species labels (text is not a missing value)',
    data: { ...IRIS_SPECIES, featureStats: IRIS_FEATURES, task: 'multiclass' },
  },
  {
    name: 'constant and extreme but finite values',
    data: { featureStats: [column({ name: 'k', mean: 7, std: 0 }), column({ name: 'huge', mean: 1e300, std: 1e300 })] },
  },
  {
    name: 'non-finite counts exactly at the limit',
    data: { featureStats: [holed('a', NON_FINITE_LIMIT)], targetStats: [holed('y', NON_FINITE_LIMIT)] },
  },
];

describe('data-nan', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ data, columns, counted }) => {
      const finding = onlyFinding(dataNan.detect(input(data)));
      const all: ColumnStats[] = [...(data.featureStats ?? []), ...(data.targetStats ?? [])];
      const total = all.reduce((sum, stats) => sum + stats.nonFinite, 0);

      expect(finding.symptom).toBe('data-nan');
      expect(finding.severity).toBe('critical');
      expect(finding.columns).toEqual(columns);
      expect(finding.evidence).toMatchObject({ measured: total, threshold: NON_FINITE_LIMIT });
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      for (const name of columns) expect(finding.message).toContain(name);
      expect(finding.message).toContain(`${columns[0]} (${counted})`);
      expect(finding.fixes).toEqual([]);
      expect(finding.advice).toMatch(/impute|drop/i);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ data }) => {
      expect(dataNan.detect(input(data))).toEqual([]);
    });
  });

  it('names the four worst columns and elides the rest', () => {
    const featureStats = [1, 2, 3, 4, 5].map((holes) => holed(`c${holes}`, holes));
    const finding = onlyFinding(dataNan.detect(input({ featureStats })));
    expect(finding.columns).toEqual(['c5', 'c4', 'c3', 'c2', 'c1']);
    expect(finding.evidence.measured).toBe(15);
    expect(finding.message).toContain('5 columns');
    expect(finding.message).not.toContain('c1 (');
    expect(finding.message).toContain(', ...');
  });
});
