import { describe, expect, it } from 'vitest';
import type { DataSummary } from '../../src/data/summary.js';
import { INVALID_ROWS_LIMIT, dataLabelInvalid } from '../../src/symptoms/data-label-invalid.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  IRIS_FEATURES,
  IRIS_SPECIES,
  input,
  labelColumn,
  onlyFinding,
  repeat,
  statsOf,
  targetColumns,
} from './data-summary.js';

/** Class ids 0..n-1 (or from `first`), `count` rows each. */
const ids = (n: number, count = 10, first = 0) =>
  Object.fromEntries(Array.from({ length: n }, (_, k) => [String(first + k), count]));
const ONE_HOT = ['cat', 'dog', 'bird'];
const oneHot = (bad: readonly (readonly number[])[]) =>
  targetColumns(ONE_HOT, [
    ...repeat(40, [1, 0, 0]),
    ...repeat(30, [0, 1, 0]),
    ...repeat(30 - bad.length, [0, 0, 1]),
    ...bad,
  ]);
const TAGS = ['sports', 'politics', 'tech'];
const multiHot = (bad: readonly (readonly number[])[]) =>
  targetColumns(TAGS, [
    ...repeat(50, [1, 0, 1]),
    ...repeat(30, [0, 1, 0]),
    ...repeat(20 - bad.length, [1, 1, 1]),
    ...bad,
  ]);
/** MNIST training-set digit counts. */
const MNIST = { 0: 5923, 1: 6742, 2: 5958, 3: 6131, 4: 5842, 5: 5421, 6: 5918, 7: 6265, 8: 5851, 9: 5949 };

interface TriggerRow {
  name: string;
  data: Partial<DataSummary>;
  outputUnits?: number;
  severity: Severity;
  measured: number;
  threshold: number;
  /**
   * How the measurement crosses the threshold: 'above' for counts of bad rows or labels and for
   * class ids past the last output unit; 'differs' for a label count that must equal two.
   */
  crosses?: 'above' | 'differs';
  /** Text the message must contain: the column, the offending labels or rows. */
  says: string[];
  /** Text the advice must contain. */
  advises: string;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'binary labels 1/2 instead of 0/1',
    data: { task: 'binary', ...labelColumn({ 1: 60, 2: 40 }, 'outcome') },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['outcome holds 1, 2'],
    advises: '(1 → 0, 2 → 1)',
  },
  {
    name: 'binary labels -1/1 (hinge style)',
    data: { task: 'binary', ...labelColumn({ '-1': 50, 1: 50 }, 'y') },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['y holds -1, 1'],
    advises: '(-1 → 0, 1 → 1)',
  },
  {
    name: 'binary task with eight numeric labels lists six and elides the rest',
    data: { task: 'binary', ...labelColumn(ids(8), 'grade') },
    severity: 'critical',
    measured: 6,
    threshold: INVALID_ROWS_LIMIT,
    says: ['grade holds 0, 1, 2, 3, 4, 5, ...'],
    advises: 'data.task: multiclass',
  },
  {
    name: 'multilabel single column holding a 2',
    data: { task: 'multilabel', ...labelColumn({ 0: 50, 1: 40, 2: 10 }, 'tag') },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['tag holds 0, 1, 2'],
    advises: 'Map the labels to 0/1',
  },
  {
    name: 'binary task with three text labels',
    data: { task: 'binary', ...labelColumn({ yes: 50, no: 40, maybe: 10 }, 'answer') },
    severity: 'critical',
    measured: 3,
    threshold: 2,
    says: ['answer has 3: maybe, no, yes'],
    advises: 'data.task: multiclass',
  },
  {
    name: 'binary task with a single text label',
    data: { task: 'binary', ...labelColumn({ spam: 25 }, 'kind') },
    severity: 'critical',
    measured: 1,
    threshold: 2,
    crosses: 'differs',
    says: ['kind has 1: spam'],
    advises: 'two labels',
  },
  {
    name: 'negative class id',
    data: { task: 'multiclass', ...labelColumn({ '-1': 10, 0: 10, 1: 10 }, 'class') },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['whole numbers from 0', 'class holds -1'],
    advises: '0, 1, 2',
  },
  {
    name: 'fractional class ids',
    data: { task: 'multiclass', ...labelColumn({ 0: 10, 0.5: 5, 1: 10, 1.5: 2 }, 'level') },
    severity: 'critical',
    measured: 2,
    threshold: INVALID_ROWS_LIMIT,
    says: ['level holds 0.5, 1.5'],
    advises: '0, 1, 2',
  },
  {
    name: 'class id equal to the output units, just past the last unit',
    data: { task: 'multiclass', ...labelColumn(ids(11), 'digit') },
    outputUnits: 10,
    severity: 'critical',
    measured: 10,
    threshold: 9,
    says: ['Class id 10 is out of range', '10 units', '0 to 9'],
    advises: 'Give the output layer 11 units',
  },
  {
    name: '1-based class ids 1..3 with 3 output units',
    data: { task: 'multiclass', ...labelColumn(ids(3, 10, 1), 'class') },
    outputUnits: 3,
    severity: 'critical',
    measured: 3,
    threshold: 2,
    says: ['Class id 3 is out of range', '3 units'],
    advises: 'subtract 1',
  },
  {
    name: 'red wine quality 3..8 with 6 output units',
    data: { task: 'multiclass', ...labelColumn({ 3: 10, 4: 53, 5: 681, 6: 638, 7: 199, 8: 18 }, 'quality') },
    outputUnits: 6,
    severity: 'critical',
    measured: 8,
    threshold: 5,
    says: ['Class id 8 is out of range', '6 units', '0 to 5'],
    advises: 'Give the output layer 9 units',
  },
  {
    name: '1-based class ids 1..3, output units unknown',
    data: { task: 'multiclass', ...labelColumn(ids(3, 10, 1), 'class') },
    severity: 'warning',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['0 never occur', 'largest id 3', '1-based'],
    advises: 'Subtract 1',
  },
  {
    name: 'gaps in the class ids (0, 1, 3, 5)',
    data: { task: 'multiclass', ...labelColumn({ 0: 10, 1: 10, 3: 10, 5: 10 }, 'class') },
    severity: 'warning',
    measured: 2,
    threshold: INVALID_ROWS_LIMIT,
    says: ['2, 4 never occur', 'largest id 5'],
    advises: 'without gaps',
  },
  {
    name: 'red wine quality 3..8, output units unknown: renumber, not "1-based"',
    data: { task: 'multiclass', ...labelColumn({ 3: 10, 4: 53, 5: 681, 6: 638, 7: 199, 8: 18 }, 'quality') },
    severity: 'warning',
    measured: 3,
    threshold: INVALID_ROWS_LIMIT,
    says: ['3 class ids 0, 1, 2 never occur below the largest id 8.'],
    advises: 'Re-number the classes',
  },
  {
    name: 'class ids in the billions, output units unknown: counted, not listed',
    data: { task: 'multiclass', ...labelColumn({ 0: 5, 1: 5, 5000000000: 5 }, 'account') },
    severity: 'warning',
    measured: 5e9 - 2,
    threshold: INVALID_ROWS_LIMIT,
    says: ['4999999998 class ids 2, 3, 4, 5, 6, 7, ... never occur below the largest id 5000000000'],
    advises: 'Re-number the classes',
  },
  {
    name: 'three text labels for two output units',
    data: { task: 'multiclass', ...labelColumn({ bird: 5, cat: 5, dog: 5 }, 'animal') },
    outputUnits: 2,
    severity: 'critical',
    measured: 2,
    threshold: 1,
    says: ['animal has 3 labels (bird, cat, dog)', 'output layer has 2 units', 'class id 2 is out of range'],
    advises: 'Give the output layer 3 units',
  },
  {
    name: 'one-hot target with one all-zero row, just past the limit',
    data: { task: 'multiclass', ...oneHot([[0, 0, 0]]) },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['1 row of 100', 'not one-hot', 'over 3 columns'],
    advises: 'data.task: multilabel',
  },
  {
    name: 'one-hot target with two classes in a row and a soft label',
    data: {
      task: 'multiclass',
      ...oneHot([
        [1, 1, 0],
        [0.9, 0.1, 0],
      ]),
    },
    severity: 'critical',
    measured: 2,
    threshold: INVALID_ROWS_LIMIT,
    says: ['2 rows of 100', 'not one-hot'],
    advises: 'data.task: multilabel',
  },
  {
    name: 'multilabel columns holding a 2',
    data: { task: 'multilabel', ...multiHot([[2, 0, 1]]) },
    severity: 'critical',
    measured: 1,
    threshold: INVALID_ROWS_LIMIT,
    says: ['1 row of 100', 'other than 0 and 1', 'multilabel'],
    advises: 'data.task: regression',
  },
  {
    name: 'binary task over two columns with soft labels',
    data: { task: 'binary', ...targetColumns(['a', 'b'], [...repeat(97, [1, 0]), ...repeat(3, [0.7, 0.3])]) },
    severity: 'critical',
    measured: 3,
    threshold: INVALID_ROWS_LIMIT,
    says: ['3 rows of 100', 'binary'],
    advises: '0 or 1',
  },
  {
    // Boston housing's medv with three cells written as text ("twenty", "21.5k", "n/a?"): 3 of 100 rows.
    name: 'regression target holding text',
    data: {
      task: 'regression',
      textLabels: true,
      targetStats: [
        statsOf(
          'medv',
          Array.from({ length: 97 }, (_, i) => 5 + (i % 45)),
        ),
      ],
    },
    severity: 'critical',
    measured: 3,
    threshold: INVALID_ROWS_LIMIT,
    says: ['3 rows of 100', 'text in the regression target medv'],
    advises: 'Make every medv value a number',
  },
];

interface QuietRow {
  name: string;
  data: Partial<DataSummary>;
  outputUnits?: number;
}

const mustNotTrigger: QuietRow[] = [
  {
    name: 'regression target, whatever its values',
    data: { task: 'regression', ...labelColumn({ '-3': 5, 1.5: 5, 2: 5 }, 'y') },
  },
  {
    name: 'regression target with missing values but no text (left to data-nan)',
    data: { task: 'regression', targetStats: [statsOf('y', [1, 2, Number.NaN, 4])], rows: 4 },
  },
  {
    name: 'Pima diabetes Outcome 0/1 (500/268)',
    data: { task: 'binary', ...labelColumn({ 0: 500, 1: 268 }, 'Outcome') },
  },
  {
    name: 'breast cancer diagnosis as text, B/M (357/212)',
    data: { task: 'binary', ...labelColumn({ B: 357, M: 212 }, 'diagnosis') },
  },
  { name: 'Iris species as text', data: { task: 'multiclass', ...IRIS_SPECIES, featureStats: IRIS_FEATURES } },
  { name: 'Iris species as text with 3 output units', data: { task: 'multiclass', ...IRIS_SPECIES }, outputUnits: 3 },
  {
    name: 'MNIST digits 0..9 with 10 output units (largest id at the last unit)',
    data: { task: 'multiclass', ...labelColumn(MNIST, 'digit') },
    outputUnits: 10,
  },
  { name: 'class ids 0..2, output units unknown', data: { task: 'multiclass', ...labelColumn(ids(3), 'class') } },
  {
    name: 'class ids 0..2 with more output units than classes',
    data: { task: 'multiclass', ...labelColumn(ids(3), 'class') },
    outputUnits: 5,
  },
  {
    name: 'binary target with only class 1 (left to data-constant-column)',
    data: { task: 'binary', ...labelColumn({ 1: 40 }, 'y') },
  },
  { name: 'one-hot target, every row one-hot', data: { task: 'multiclass', ...oneHot([]) } },
  { name: 'multilabel columns, 0/1 with several ones per row', data: { task: 'multilabel', ...multiHot([]) } },
  { name: 'multilabel single 0/1 column', data: { task: 'multilabel', ...labelColumn({ 0: 70, 1: 30 }, 'tag') } },
];

describe('data-label-invalid', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)(
      '$name',
      ({ data, outputUnits, severity, measured, threshold, crosses = 'above', says, advises }) => {
        const finding = onlyFinding(dataLabelInvalid.detect(input(data, outputUnits)));

        expect(finding.symptom).toBe('data-label-invalid');
        expect(finding.severity).toBe(severity);
        expect(finding.columns).toEqual(data.targetStats!.map((stats) => stats.name));
        expect(finding.evidence).toMatchObject({ measured, threshold });
        if (crosses === 'above') expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
        else expect(finding.evidence.measured).not.toBe(finding.evidence.threshold);
        for (const text of says) expect(finding.message).toContain(text);
        expect(finding.fixes).toEqual([]);
        expect(finding.advice).toContain(advises);
      },
    );
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ data, outputUnits }) => {
      expect(dataLabelInvalid.detect(input(data, outputUnits))).toEqual([]);
    });
  });
});
