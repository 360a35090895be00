import { describe, expect, it } from 'vitest';
import type { DataSummary } from '../../src/data/summary.js';
import { CONSTANT_STD, dataConstantColumn } from '../../src/symptoms/data-constant-column.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  BOSTON_FEATURES,
  BOSTON_MEDV,
  BOSTON_ROWS,
  column,
  input,
  labelColumn,
  missingColumn,
  onlyFinding,
  statsOf,
} from './data-summary.js';

const unit = (name: string) => column({ name, mean: 0, std: 1 });
/** A column whose every finite value is `value`. */
const always = (name: string, value: number, count = 100) =>
  statsOf(
    name,
    Array.from({ length: count }, () => value),
  );

interface TriggerRow {
  name: string;
  data: Partial<DataSummary>;
  severity: Severity;
  /** The constant columns, features first, then targets. */
  columns: string[];
  /** Further text the message must contain. */
  says?: string[];
  /** Text the advice must contain: features are left out, targets re-pointed or dropped. */
  advice: string;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'IBM HR attrition: EmployeeCount always 1 and StandardHours always 80',
    data: {
      featureStats: [
        column({ name: 'Age', mean: 36.92, std: 9.13, count: 1470 }),
        always('EmployeeCount', 1, 1470),
        always('StandardHours', 80, 1470),
      ],
      task: 'binary',
      ...labelColumn({ 0: 1233, 1: 237 }, 'Attrition'),
    },
    severity: 'warning',
    columns: ['EmployeeCount', 'StandardHours'],
    says: ['(always 1)', '(always 80)'],
    advice: 'data.features',
  },
  {
    name: 'a constant feature with no scaling is a warning',
    data: { featureStats: [unit('a'), always('flag', 0)] },
    severity: 'warning',
    columns: ['flag'],
    says: ['(always 0)'],
    advice: 'data.features',
  },
  {
    name: 'a constant feature under normalize: standardize leaves it unscaled (a warning: training is unharmed)',
    data: { featureStats: [unit('a'), always('bias', 1)], normalize: 'standardize' },
    severity: 'warning',
    columns: ['bias'],
    says: ['standardize leaves it unscaled', 'divide by zero'],
    advice: 'data.features',
  },
  {
    name: 'a constant feature under normalize: minmax leaves it unscaled',
    data: { featureStats: [always('bias', 2.5), unit('a')], normalize: 'minmax' },
    severity: 'warning',
    columns: ['bias'],
    says: ['(always 2.5)', 'minmax leaves it unscaled'],
    advice: 'data.features',
  },
  {
    name: 'a constant regression target leaves nothing to learn',
    data: { targetStats: [always('y', 3.25)] },
    severity: 'critical',
    columns: ['y'],
    says: ['(always 3.25)', 'The target never changes', 'nothing to learn'],
    advice: 'data.target',
  },
  {
    name: 'a binary target with only the positive class',
    data: { task: 'binary', ...labelColumn({ 1: 40 }, 'churned') },
    severity: 'critical',
    columns: ['churned'],
    says: ['(always 1)', 'The target never changes'],
    advice: 'data.target',
  },
  {
    name: 'two equal values, the fewest that can be constant',
    data: { featureStats: [unit('a'), always('pair', -4, 2)] },
    severity: 'warning',
    columns: ['pair'],
    says: ['(always -4)'],
    advice: 'data.features',
  },
  {
    name: 'constant values beside missing ones',
    data: { featureStats: [unit('a'), statsOf('sparse', [7, Number.NaN, 7, 7, Number.NaN])] },
    severity: 'warning',
    columns: ['sparse'],
    says: ['(always 7)'],
    advice: 'data.features',
  },
  {
    name: 'a text-label target with a single label',
    data: { task: 'multiclass', ...labelColumn({ setosa: 50 }, 'species') },
    severity: 'critical',
    columns: ['species'],
    says: ['species (always setosa)', 'nothing to learn'],
    advice: 'data.target',
  },
  {
    name: 'one column of a one-hot target never set: a warning, not "nothing to learn"',
    data: {
      task: 'multiclass',
      targetStats: [
        always('cat', 0),
        column({ name: 'dog', mean: 0.5, std: 0.5 }),
        column({ name: 'bird', mean: 0.5, std: 0.5 }),
      ],
    },
    severity: 'warning',
    columns: ['cat'],
    says: ['1 target column of 3 never changes', 'cat (always 0)'],
    advice: 'Drop the constant target column',
  },
];

const mustNotTrigger: { name: string; data: Partial<DataSummary> }[] = [
  {
    name: 'Boston housing, every column varies',
    data: { rows: BOSTON_ROWS, featureStats: BOSTON_FEATURES, targetStats: [BOSTON_MEDV] },
  },
  {
    name: 'a single value is not evidence of a constant column',
    data: { rows: 1, featureStats: [always('one', 5, 1)], targetStats: [always('y', 2, 1)] },
  },
  {
    name: 'a column with no finite value (left to data-nan)',
    data: { featureStats: [unit('a'), missingColumn('empty')] },
  },
  {
    name: 'a nearly constant column (std 1e-9) is a scaling question',
    data: { featureStats: [unit('a'), column({ name: 'almost', mean: 1, std: 1e-9 })], normalize: 'standardize' },
  },
  {
    name: 'a rare binary flag (1 in 1000) still varies',
    data: { featureStats: [statsOf('rare', [1, ...Array.from({ length: 999 }, () => 0)])] },
  },
];

describe('data-constant-column', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ data, severity, columns, says = [], advice }) => {
      const finding = onlyFinding(dataConstantColumn.detect(input(data)));

      expect(finding.symptom).toBe('data-constant-column');
      expect(finding.severity).toBe(severity);
      expect(finding.columns).toEqual(columns);
      expect(finding.evidence).toMatchObject({ measured: columns.length, threshold: CONSTANT_STD });
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      for (const text of [...columns, ...says]) expect(finding.message).toContain(text);
      expect(finding.fixes).toEqual([]);
      expect(finding.advice).toContain(advice);
    });

    it.each([
      [1, '1 feature never changes: flag (always 0).'],
      [2, '2 features never change: flag (always 0), bias (always 1).'],
    ])('agrees in number with %i constant feature(s)', (count, message) => {
      const featureStats = [unit('a'), always('flag', 0), always('bias', 1)].slice(0, count + 1);
      expect(onlyFinding(dataConstantColumn.detect(input({ featureStats }))).message).toBe(message);
    });

    it('reports constant features and a constant target as two findings', () => {
      const findings = dataConstantColumn.detect(
        input({ featureStats: [unit('a'), always('flag', 0)], targetStats: [always('y', 1)] }),
      );
      expect(findings.map(({ severity, columns }) => ({ severity, columns }))).toEqual([
        { severity: 'warning', columns: ['flag'] },
        { severity: 'critical', columns: ['y'] },
      ]);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ data }) => {
      expect(dataConstantColumn.detect(input(data))).toEqual([]);
    });
  });
});
