import { describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../src/data/column-stats.js';
import type { Normalization } from '../../src/config/schema.js';
import { rootMeanSquare } from '../../src/symptoms/data-input.js';
import type { Severity } from '../../src/symptoms/ids.js';
import {
  FEATURE_SCALE_CRITICAL,
  FEATURE_SCALE_LIMIT,
  SCALE_RATIO_CRITICAL,
  SCALE_RATIO_LIMIT,
  unscaledInputs,
} from '../../src/symptoms/unscaled-inputs.js';
import { formatNumber } from '../../src/util/format.js';
import { BOSTON_FEATURES, IRIS_FEATURES, column, input, missingColumn, onlyFinding } from './data-summary.js';

/** Just past a threshold: far enough for floating point, close enough to be a boundary. */
const PAST = 1.001;
const unit = (name: string) => column({ name, mean: 0, std: 1 });
/** A zero-mean feature whose RMS is exactly `rms` (its std). */
const spread = (name: string, rms: number) => column({ name, mean: 0, std: rms });
/** A narrow feature off [-1, 1] (around 5), so its spread is judged: one inside is already scaled. */
const offset = (name: string, std: number) => column({ name, mean: 5, std });
/** A pixel of images scaled to [0, 1]: `std` around `mean`, clipped to the pixel range. */
const pixel = (name: string, mean: number, std: number, max = 1) =>
  ({ ...column({ name, mean, std }), min: 0, max }) satisfies ColumnStats;

interface TriggerRow {
  name: string;
  features: ColumnStats[];
  severity: Severity;
  /** Which measurement the evidence reports: the largest RMS, or the largest over smallest std. */
  by: 'rms' | 'ratio';
  /** The finding's columns, worst first: features past the RMS limit, else the widest and narrowest. */
  columns: string[];
  /** Column names the message must contain (default: all of `columns`). */
  named?: string[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'raw MNIST pixels 0..255 with near-constant borders: still unscaled by RMS',
    features: [pixel('border', 0.003, 0.03, 128), pixel('stroke', 80, 110, 255)],
    severity: 'critical',
    by: 'rms',
    columns: ['stroke'],
  },
  {
    name: 'Boston housing raw features (tax RMS 442, b RMS 368)',
    features: BOSTON_FEATURES,
    severity: 'critical',
    by: 'rms',
    columns: ['tax', 'b', 'age', 'zn', 'ptratio', 'lstat', 'indus', 'rad'],
    named: ['tax', 'b', 'age', 'zn'],
  },
  {
    name: 'RMS just past the limit (warning)',
    features: [unit('a'), spread('wide', FEATURE_SCALE_LIMIT * PAST)],
    severity: 'warning',
    by: 'rms',
    columns: ['wide'],
  },
  {
    name: 'RMS just past the limit from a mean offset and a spread together',
    features: [
      unit('a'),
      column({ name: 'shifted', mean: 0.6 * FEATURE_SCALE_LIMIT * PAST, std: 0.8 * FEATURE_SCALE_LIMIT * PAST }),
    ],
    severity: 'warning',
    by: 'rms',
    columns: ['shifted'],
  },
  {
    name: 'RMS exactly at the critical level is still a warning',
    features: [unit('a'), spread('wide', FEATURE_SCALE_CRITICAL)],
    severity: 'warning',
    by: 'rms',
    columns: ['wide'],
  },
  {
    name: 'RMS just past the critical level',
    features: [unit('a'), spread('wide', FEATURE_SCALE_CRITICAL * PAST)],
    severity: 'critical',
    by: 'rms',
    columns: ['wide'],
  },
  {
    name: 'year column: large mean offset, small spread (mean 2005, std 5)',
    features: [unit('a'), column({ name: 'year', mean: 2005, std: 5, integer: true })],
    severity: 'critical',
    by: 'rms',
    columns: ['year'],
  },
  {
    name: 'large negative offset (mean -50, std 2)',
    features: [unit('a'), column({ name: 'depth', mean: -50, std: 2 })],
    severity: 'warning',
    by: 'rms',
    columns: ['depth'],
  },
  {
    name: 'six large features: the message names the worst four, the finding lists all, worst first',
    features: [unit('a'), ...[20, 60, 30, 50, 15, 40].map((rms, k) => spread(`f${k}`, rms))],
    severity: 'warning',
    by: 'rms',
    columns: ['f1', 'f3', 'f5', 'f2', 'f0', 'f4'],
    named: ['f1', 'f3', 'f5', 'f2'],
  },
  {
    name: 'std ratio just past the limit, every RMS small (warning)',
    features: [unit('wide'), offset('narrow', 1 / (SCALE_RATIO_LIMIT * PAST))],
    severity: 'warning',
    by: 'ratio',
    columns: ['wide', 'narrow'],
  },
  {
    name: 'std ratio 200 between a score and a price around 5',
    features: [
      unit('score'),
      column({ name: 'price', mean: 5, std: 0.005 }),
      column({ name: 'mid', mean: 0.5, std: 0.3 }),
    ],
    severity: 'warning',
    by: 'ratio',
    columns: ['score', 'price'],
  },
  {
    name: 'std ratio just past the critical level',
    features: [unit('wide'), offset('narrow', 1 / (SCALE_RATIO_CRITICAL * PAST))],
    severity: 'critical',
    by: 'ratio',
    columns: ['wide', 'narrow'],
  },
  {
    name: 'a feature past the RMS limit wins the evidence even when the ratio is also past its limit',
    features: [spread('big', 50), offset('tiny', 0.01)],
    severity: 'warning',
    by: 'rms',
    columns: ['big'],
    named: ['big', 'tiny'],
  },
];

interface QuietRow {
  name: string;
  features: ColumnStats[];
  normalize?: Normalization;
}

const mustNotTrigger: QuietRow[] = [
  {
    name: 'MNIST pixels scaled to [0, 1]: strokes (std 0.4) beside near-constant borders (std 1e-4): a 4000x std ratio inside [0, 1]',
    features: [pixel('border', 1e-5, 1e-4, 0.5), pixel('stroke', 0.3, 0.4), pixel('edge', 0.01, 0.05)],
  },
  {
    name: 'a rate already in [0, 1] beside a unit-scale score: scaled, however narrow (issue 11)',
    features: [unit('score'), column({ name: 'rate', mean: 0.01, std: 0.005 })],
  },
  {
    name: 'a near-constant column off [-1, 1] (std 0.1% of its range) never drives the ratio',
    features: [unit('score'), { ...column({ name: 'flag', mean: 3, std: 1e-3 }), min: 2, max: 4 }],
  },
  { name: 'Boston housing with normalize: standardize', features: BOSTON_FEATURES, normalize: 'standardize' },
  { name: 'Boston housing with normalize: minmax', features: BOSTON_FEATURES, normalize: 'minmax' },
  { name: 'Iris measurements (RMS at most 5.9, std ratio 4)', features: IRIS_FEATURES },
  {
    name: 'Boston nox and chas, both already near unit scale',
    features: BOSTON_FEATURES.filter((stats) => ['nox', 'chas'].includes(stats.name)),
  },
  {
    name: 'standardized features',
    features: [unit('a'), column({ name: 'b', mean: 0.1, std: 0.9 }), column({ name: 'c', mean: -0.2, std: 1.1 })],
  },
  { name: 'RMS exactly at the limit from a spread', features: [unit('a'), spread('edge', FEATURE_SCALE_LIMIT)] },
  {
    name: 'RMS exactly at the limit from a mean and a spread (hypot 6, 8)',
    features: [unit('a'), column({ name: 'edge', mean: 0.6 * FEATURE_SCALE_LIMIT, std: 0.8 * FEATURE_SCALE_LIMIT })],
  },
  { name: 'std ratio exactly at the limit', features: [unit('wide'), spread('narrow', 1 / SCALE_RATIO_LIMIT)] },
  {
    name: 'constant and all-missing columns are left to the other data checks',
    features: [
      unit('a'),
      column({ name: 'always500', mean: 500, std: 0 }),
      column({ name: 'tiny', mean: 0, std: 0 }),
      missingColumn('empty'),
    ],
  },
  { name: 'no feature varies', features: [column({ name: 'k', mean: 3, std: 0 }), missingColumn('empty')] },
];

describe('unscaled-inputs', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ features, severity, by, columns, named = columns }) => {
      const finding = onlyFinding(unscaledInputs.detect(input({ featureStats: features })));
      const stdOf = (name: string) => features.find((stats) => stats.name === name)!.std;
      const worst = features.find((stats) => stats.name === columns[0])!;

      expect(finding.symptom).toBe('unscaled-inputs');
      expect(finding.severity).toBe(severity);
      expect(finding.columns).toEqual(columns);
      if (by === 'rms') {
        expect(finding.evidence.threshold).toBe(FEATURE_SCALE_LIMIT);
        expect(finding.evidence.measured).toBe(rootMeanSquare(worst));
      } else {
        expect(finding.evidence.threshold).toBe(SCALE_RATIO_LIMIT);
        expect(finding.evidence.measured).toBeCloseTo(stdOf(columns[0]!) / stdOf(columns[1]!), 9);
      }
      expect(finding.evidence.measured).toBeGreaterThan(finding.evidence.threshold);
      for (const name of named) expect(finding.message).toContain(name);
      expect(finding.message).toContain(formatNumber(finding.evidence.measured));
      expect(finding.fixes).toEqual(['normalize']);
      expect(finding.confidence).toBeGreaterThanOrEqual(0.6);
      expect(finding.confidence).toBeLessThanOrEqual(0.99);
    });
  });

  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', ({ features, normalize = 'none' }) => {
      expect(unscaledInputs.detect(input({ featureStats: features, normalize }))).toEqual([]);
    });
  });

  it('a BatchNormalization first layer standardizes the raw features itself: Boston with no normalize', () => {
    const data = input({ featureStats: BOSTON_FEATURES });
    expect(unscaledInputs.detect(data)).toHaveLength(1);
    expect(unscaledInputs.detect({ ...data, standardizedInModel: true })).toEqual([]);
  });

  it('names more than four large features with a trailing ellipsis', () => {
    const features = [unit('a'), ...[20, 30, 40, 50, 60].map((rms, k) => spread(`f${k}`, rms))];
    const finding = onlyFinding(unscaledInputs.detect(input({ featureStats: features })));
    expect(finding.message).toContain('5 of 6 features');
    expect(finding.message).not.toContain('f0 (');
    expect(finding.message).toContain(', ...');
  });
});
