import { describe, expect, it } from 'vitest';
import type { ColumnStats } from '../../src/data/column-stats.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import type { ConfigLintInput } from '../../src/symptoms/config-input.js';
import { configShapeMismatch } from '../../src/symptoms/config-shape-mismatch.js';
import { unscaledInputs } from '../../src/symptoms/unscaled-inputs.js';
import { dense, DIABETES, lint } from './config-lint-fixtures.js';
import { BOSTON_FEATURES, input, onlyFinding, statsOf } from './data-summary.js';

/** IMDB-style reviews: 12 token positions, ids from a 10,000-word vocabulary (0 = padding). */
const positions = (values: (position: number) => number[]): ColumnStats[] =>
  Array.from({ length: 12 }, (_, position) => statsOf(`x[:, ${position}]`, values(position)));
const IMDB_IDS = positions((position) => [0, 1, 14, 22, 9999 - position, 4, 173, 36]);
/** A sentiment classifier on token ids: Embedding(10000, 16), pooled, one sigmoid unit. */
const SENTIMENT: LayerSpec[] = [
  { type: 'embedding', inputDim: 10_000, outputDim: 16 },
  { type: 'globalAveragePooling1d' },
  dense(1, 'sigmoid'),
];

/** The config lint's input for the sentiment model (or `layers`) on these feature columns. */
const tokens = (featureStats: ColumnStats[], layers: LayerSpec[] = SENTIMENT): ConfigLintInput =>
  lint({ task: 'binary', loss: 'binaryCrossentropy', layers, data: { featureStats, ...DIABETES } });

const mustTrigger = [
  {
    name: 'ids up to 12,000 into an Embedding of inputDim 10,000',
    input: tokens(positions(() => [0, 5, 12_000])),
    measured: 12_000,
    threshold: 9999,
    says: ['inputDim 10000 (ids 0 to 9999)', 'hold ids up to 12000', 'no row in its table'],
    edit: { key: 'model.layers.0.inputDim', from: 10_000, to: 12_001 },
  },
  {
    name: 'a padding id of -1',
    input: tokens(positions(() => [-1, 3, 7])),
    measured: -1,
    threshold: 0,
    says: ['hold ids down to -1'],
    edit: undefined,
  },
  {
    name: 'standardized ids (fractions) fed to the Embedding',
    input: tokens(positions(() => [-1.2, 0.3, 1.7]).map((column) => ({ ...column, min: 0, max: 1 }))),
    measured: 12,
    threshold: 0,
    says: ['must be integer token ids', '12 columns of 12 hold fractional values', 'truncates'],
    edit: undefined,
  },
];

describe('config-shape-mismatch: token ids and the Embedding inputDim', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', (row) => {
      const finding = onlyFinding(configShapeMismatch.detect(row.input));
      expect(finding).toMatchObject({ symptom: 'config-shape-mismatch', severity: 'critical', fixes: [] });
      expect(finding.evidence).toMatchObject({ measured: row.measured, threshold: row.threshold });
      for (const text of row.says) expect(finding.message).toContain(text);
      expect(finding.edit).toEqual(row.edit);
    });
  });

  const mustNotTrigger = [
    { name: 'IMDB ids within [0, 10000)', input: tokens(IMDB_IDS) },
    { name: 'the largest id is inputDim - 1', input: tokens(positions(() => [0, 9999])) },
    {
      name: 'no Embedding: Boston measurements are no token ids',
      input: tokens(BOSTON_FEATURES, [dense(64, 'relu'), dense(1, 'sigmoid')]),
    },
  ];
  describe('must not trigger', () => {
    it.each(mustNotTrigger)('$name', (row) => {
      expect(configShapeMismatch.detect(row.input)).toEqual([]);
    });
  });

  it('token ids are never unscaled-inputs, though their RMS is in the thousands', () => {
    const data = input({ featureStats: IMDB_IDS, normalize: 'none' });
    expect(unscaledInputs.detect({ ...data, tokenIds: true })).toEqual([]);
    expect(unscaledInputs.detect(data)).not.toEqual([]);
  });
});
