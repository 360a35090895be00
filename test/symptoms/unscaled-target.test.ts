import type { DataSummary } from '../../src/data/summary.js';
import { describe, expect, it } from 'vitest';
import type { Task } from '../../src/config/schema.js';
import type { ColumnStats } from '../../src/data/column-stats.js';
import { rootMeanSquare } from '../../src/symptoms/data-input.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  TARGET_SCALE_CRITICAL,
  TARGET_SCALE_LIMIT,
  TARGET_SPREAD_FLOOR,
  unscaledTarget,
} from '../../src/symptoms/unscaled-target.js';
import { formatNumber } from '../../src/util/format.js';
import { BOSTON_MEDV, column, input, labelColumn, missingColumn, onlyFinding } from './data-summary.js';

/** Just past a threshold: far enough for floating point, close enough to be a boundary. */
const PAST = 1.001;
/** A zero-mean target whose RMS is exactly `rms` (its std). */
const spread = (rms: number, name = 'y') => column({ name, mean: 0, std: rms });

interface TriggerRow {
  name: string;
  targets: ColumnStats[];
  severity: Severity;
  /** 'large': RMS above TARGET_SCALE_LIMIT; 'tiny': std below TARGET_SPREAD_FLOOR. */
  branch: 'large' | 'tiny';
  /** The offending target column. */
  column: string;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'Boston medv in dollars instead of $1000s (RMS 24300)',
    targets: [{ ...BOSTON_MEDV, mean: BOSTON_MEDV.mean * 1000, std: BOSTON_MEDV.std * 1000, min: 5000, max: 50000 }],
    severity: 'critical',
    branch: 'large',
    column: 'medv',
  },
  {
    name: 'California housing median_house_value (mean 206856, std 115396)',
    targets: [column({ name: 'median_house_value', mean: 206855.8, std: 115395.6, min: 14999, max: 500001 })],
    severity: 'critical',
    branch: 'large',
    column: 'median_house_value',
  },
  {
    name: 'RMS just past the limit (warning)',
    targets: [spread(TARGET_SCALE_LIMIT * PAST)],
    severity: 'warning',
    branch: 'large',
    column: 'y',
  },
  {
    name: 'RMS past the limit from the mean alone (mean 150, std 1)',
    targets: [column({ name: 'kelvin', mean: 150, std: 1 })],
    severity: 'warning',
    branch: 'large',
    column: 'kelvin',
  },
  {
    name: 'RMS exactly at the critical level is still a warning',
    targets: [spread(TARGET_SCALE_CRITICAL)],
    severity: 'warning',
    branch: 'large',
    column: 'y',
  },
  {
    name: 'RMS just past the critical level',
    targets: [spread(TARGET_SCALE_CRITICAL * PAST)],
    severity: 'critical',
    branch: 'large',
    column: 'y',
  },
  {
    name: 'only the large one of two targets',
    targets: [column({ name: 'small', mean: 1, std: 1 }), column({ name: 'price', mean: 300, std: 80 })],
    severity: 'warning',
    branch: 'large',
    column: 'price',
  },
  {
    name: 'std just below the spread floor',
    targets: [spread(TARGET_SPREAD_FLOOR / PAST)],
    severity: 'warning',
    branch: 'tiny',
    column: 'y',
  },
  {
    name: 'probabilities that barely vary (mean 0.5, std 2e-4)',
    targets: [column({ name: 'p', mean: 0.5, std: 2e-4 })],
    severity: 'warning',
    branch: 'tiny',
    column: 'p',
  },
];

interface QuietRow {
  name: string;
  targets: ColumnStats[];
  task?: Task;
  normalizeTarget?: DataSummary['normalizeTarget'];
}

const classIds = labelColumn(Object.fromEntries(Array.from({ length: 1000 }, (_, id) => [String(id), 2])));

const mustNotTrigger: QuietRow[] = [
  { name: 'Boston medv in $1000s (mean 22.5, std 9.19, RMS 24)', targets: [BOSTON_MEDV] },
  { name: 'standardized target', targets: [spread(1)] },
  { name: 'RMS exactly at the limit', targets: [spread(TARGET_SCALE_LIMIT)] },
  { name: 'std exactly at the spread floor', targets: [spread(TARGET_SPREAD_FLOOR)] },
  {
    name: 'constant target (std 0) is left to data-constant-column',
    targets: [column({ name: 'y', mean: 5, std: 0 })],
  },
  { name: 'target with no finite value', targets: [missingColumn('y')] },
  {
    name: 'house prices in dollars, but the run standardizes the target (data.normalizeTarget)',
    targets: [spread(180_000)],
    normalizeTarget: 'standardize',
  },
  {
    name: 'multiclass ids 0..999 (RMS 577) are not a regression target',
    targets: classIds.targetStats,
    task: 'multiclass',
  },
  {
    name: 'a binary task is not judged even with a large numeric target',
    targets: [spread(TARGET_SCALE_CRITICAL * 10)],
    task: 'binary',
  },
  {
    name: 'a multilabel task is not judged even with a tiny target spread',
    targets: [spread(TARGET_SPREAD_FLOOR / 10)],
    task: 'multilabel',
  },
];

describe('unscaled-target', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ targets, severity, branch, column: name }) => {
      const finding = onlyFinding(unscaledTarget.detect(input({ task: 'regression', targetStats: targets })));
      const target = targets.find((stats) => stats.name === name)!;

      expect(finding.symptom).toBe('unscaled-target');
      expect(finding.severity).toBe(severity);
      expect(finding.columns).toEqual([name]);
      if (branch === 'large') {
        expect(finding.evidence).toMatchObject({ measured: rootMeanSquare(target), threshold: TARGET_SCALE_LIMIT });
        expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      } else {
        expect(finding.evidence).toMatchObject({ measured: target.std, threshold: TARGET_SPREAD_FLOOR });
        expect(finding.evidence.measured).toBeLessThan(finding.evidence.threshold);
      }
      expect(finding.message).toContain(name);
      expect(finding.message).toContain(formatNumber(finding.evidence.measured));
      expect(finding.fixes).toEqual(['normalize']);
      expect(finding.confidence).toBeGreaterThanOrEqual(0.6);
      expect(finding.confidence).toBeLessThanOrEqual(0.99);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ targets, task = 'regression', normalizeTarget = 'none' }) => {
      expect(unscaledTarget.detect(input({ task, targetStats: targets, normalizeTarget }))).toEqual([]);
    });
  });

  it('reports each unscaled target of a multi-output regression separately', () => {
    const targets = [
      spread(TARGET_SCALE_LIMIT * 5, 'large'),
      spread(1, 'fine'),
      spread(TARGET_SPREAD_FLOOR / 5, 'tiny'),
    ];
    const findings = unscaledTarget.detect(input({ task: 'regression', targetStats: targets }));
    expect(findings.map((finding) => finding.columns)).toEqual([['large'], ['tiny']]);
  });
});
