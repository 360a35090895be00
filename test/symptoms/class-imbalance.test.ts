import { describe, expect, it } from 'vitest';
import type { DataSummary } from '../../src/data/summary.js';
import { IMBALANCE_RATIO_LIMIT, classImbalance } from '../../src/symptoms/class-imbalance.js';
import { formatNumber } from '../../src/util/format.js';
import { BOSTON_MEDV, IRIS_SPECIES, input, labelColumn, onlyFinding, repeat, targetColumns } from './data-summary.js';

/** A multilabel target of `rows` rows where each tag is on in the given number of rows (first rows first). */
const tags = (rows: number, positives: Readonly<Record<string, number>>) => {
  const names = Object.keys(positives);
  return targetColumns(
    names,
    Array.from({ length: rows }, (_, row) => names.map((name) => (row < positives[name]! ? 1 : 0))),
  );
};

interface TriggerRow {
  name: string;
  data: Partial<DataSummary>;
  majority: { label: string; count: number };
  minority: { label: string; count: number };
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'credit card fraud: 284315 legitimate vs 492 fraud',
    data: { task: 'binary', ...labelColumn({ 0: 284315, 1: 492 }, 'Class') },
    majority: { label: '0', count: 284315 },
    minority: { label: '1', count: 492 },
  },
  {
    name: 'ratio just past the limit',
    data: { task: 'binary', ...labelColumn({ 0: IMBALANCE_RATIO_LIMIT * 20 + 1, 1: 20 }, 'y') },
    majority: { label: '0', count: IMBALANCE_RATIO_LIMIT * 20 + 1 },
    minority: { label: '1', count: 20 },
  },
  {
    name: 'binary text labels, minority first alphabetically',
    data: { task: 'binary', ...labelColumn({ churn: 30, stay: 970 }, 'status') },
    majority: { label: 'stay', count: 970 },
    minority: { label: 'churn', count: 30 },
  },
  {
    name: 'multiclass: the largest over the smallest of three classes',
    data: { task: 'multiclass', ...labelColumn({ 0: 100, 1: 500, 2: 20 }, 'class') },
    majority: { label: '1', count: 500 },
    minority: { label: '2', count: 20 },
  },
  {
    name: 'one-hot columns: counts come from each column',
    data: {
      task: 'multiclass',
      ...targetColumns(
        ['cat', 'dog', 'bird'],
        [...repeat(600, [1, 0, 0]), ...repeat(340, [0, 1, 0]), ...repeat(15, [0, 0, 1])],
      ),
    },
    majority: { label: 'cat', count: 600 },
    minority: { label: 'bird', count: 15 },
  },
  {
    name: 'multilabel: a rare tag against the rows without it',
    data: { task: 'multilabel', ...tags(1000, { sports: 400, rare: 5, tech: 300 }) },
    majority: { label: 'not rare', count: 995 },
    minority: { label: 'rare', count: 5 },
  },
  {
    name: 'multilabel: a tag on in almost every row',
    data: { task: 'multilabel', ...tags(1000, { common: 990, sports: 400 }) },
    majority: { label: 'common', count: 990 },
    minority: { label: 'not common', count: 10 },
  },
];

const mustNotTrigger: { name: string; data: Partial<DataSummary> }[] = [
  { name: 'Iris 50/50/50', data: { task: 'multiclass', ...IRIS_SPECIES } },
  { name: 'Pima diabetes 500/268', data: { task: 'binary', ...labelColumn({ 0: 500, 1: 268 }, 'Outcome') } },
  {
    name: 'ratio exactly at the limit',
    data: { task: 'binary', ...labelColumn({ 0: IMBALANCE_RATIO_LIMIT * 20, 1: 20 }, 'y') },
  },
  {
    name: 'regression target',
    data: { task: 'regression', targetStats: [BOSTON_MEDV], classes: [{ label: 'medv', count: 1 }] },
  },
  { name: 'a single class (left to data-constant-column)', data: { task: 'binary', ...labelColumn({ 1: 500 }, 'y') } },
  {
    name: 'a one-hot class that never occurs does not count as the minority',
    data: {
      task: 'multiclass',
      ...targetColumns(['a', 'b', 'never'], [...repeat(50, [1, 0, 0]), ...repeat(40, [0, 1, 0])]),
    },
  },
  {
    name: 'multilabel tags that are balanced enough',
    data: { task: 'multilabel', ...tags(1000, { sports: 400, tech: 91, politics: 909 }) },
  },
  {
    name: 'multilabel tags never or always on (left to data-constant-column)',
    data: { task: 'multilabel', ...tags(100, { never: 0, always: 100, half: 50 }) },
  },
];

describe('class-imbalance', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ data, majority, minority }) => {
      const finding = onlyFinding(classImbalance.detect(input(data)));
      const ratio = majority.count / minority.count;

      expect(finding.symptom).toBe('class-imbalance');
      expect(finding.severity).toBe('warning');
      expect(finding.columns).toEqual(data.targetStats!.map((stats) => stats.name));
      expect(finding.evidence).toMatchObject({ measured: ratio, threshold: IMBALANCE_RATIO_LIMIT });
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      expect(finding.message).toContain(`imbalanced ${formatNumber(ratio)}:1`);
      expect(finding.message).toContain(`${majority.label} has ${majority.count} rows`);
      expect(finding.message).toContain(`${minority.label} only ${minority.count}`);
      expect(finding.fixes).toEqual([]);
      expect(finding.advice).toMatch(/weight|resample/i);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ data }) => {
      expect(classImbalance.detect(input(data))).toEqual([]);
    });
  });
});
