/**
 * The parts the config-lint tests share: a config as the lint sees it (task, loss, layers, data)
 * made into its input, an example's config linted as `diagnose` does, the target datasets the rows
 * use, and the checks every config finding gets.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseConfig, type LoadedConfig } from '../../src/config/load.js';
import type { LossName } from '../../src/config/losses.js';
import type { Task } from '../../src/config/schema.js';
import { loadDataset } from '../../src/data/dataset.js';
import type { DataSummary } from '../../src/data/summary.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import { defaultLoss } from '../../src/probe/probe-data.js';
import type { ConfigLintInput } from '../../src/symptoms/config-input.js';
import { configLintInput } from '../../src/symptoms/config-lint-input.js';
import type { ConfigEdit, Detector, Finding } from '../../src/symptoms/finding.js';
import type { Severity, SymptomId } from '../../src/symptoms/ids.js';
import {
  BOSTON_FEATURES,
  BOSTON_MEDV,
  BOSTON_ROWS,
  column,
  labelColumn,
  repeat,
  targetColumns,
} from './data-summary.js';

/** A config as the lint sees it: the task, the loss (written or convdoc's), the layers, the data. */
export interface ConfigCase {
  task: Task;
  loss: LossName;
  lossFromConfig?: boolean;
  /** training.fromLogits (or the model file's from_logits). */
  fromLogits?: boolean;
  /** How the task is known; the config's data.task unless said. */
  taskSource?: ConfigLintInput['taskSource'];
  layers: LayerSpec[];
  data: Partial<DataSummary>;
}

export const dense = (units: number, activation?: string): LayerSpec => ({
  type: 'dense',
  units,
  ...(activation === undefined ? {} : { activation }),
});
/** Two ReLU hidden layers, then the output: the shape of every example and of `convdoc init`. */
export const mlp = (...output: LayerSpec[]): LayerSpec[] => [dense(64, 'relu'), dense(64, 'relu'), ...output];
export const modelLayerKey = (index: number) => `model.layers.${index}`;

export const BOSTON: Partial<DataSummary> = {
  rows: BOSTON_ROWS,
  featureStats: BOSTON_FEATURES,
  targetStats: [BOSTON_MEDV],
};
/** A min-max scaled target, exactly [0, 1]. */
export const MINMAX: Partial<DataSummary> = {
  targetStats: [column({ name: 'price01', mean: 0.39, std: 0.2, min: 0, max: 1 })],
};
export const DIABETES = labelColumn({ 0: 500, 1: 268 }, 'Outcome');
export const TAGS = targetColumns(
  ['sports', 'politics', 'tech'],
  [...repeat(50, [1, 0, 1]), ...repeat(30, [0, 1, 0]), ...repeat(20, [1, 1, 1])],
);
export const ONE_HOT = targetColumns(
  ['cat', 'dog', 'bird'],
  [...repeat(40, [1, 0, 0]), ...repeat(30, [0, 1, 0]), ...repeat(30, [0, 0, 1])],
);
export const MNIST = labelColumn(
  { 0: 5923, 1: 6742, 2: 5958, 3: 6131, 4: 5842, 5: 5421, 6: 5918, 7: 6265, 8: 5851, 9: 5949 },
  'digit',
);

export function lint({
  task,
  loss,
  lossFromConfig = true,
  fromLogits = false,
  taskSource = 'config',
  layers,
  data,
}: ConfigCase): ConfigLintInput {
  return configLintInput({
    task,
    taskSource,
    loss,
    lossFromConfig,
    fromLogits,
    layers,
    layerKey: modelLayerKey,
    data: summaryOf(task, data),
  });
}

function summaryOf(task: Task, data: Partial<DataSummary>): DataSummary {
  return {
    file: 'data.csv',
    rows: 100,
    features: 1,
    taskSource: 'config',
    normalize: 'standardize',
    normalizeTarget: 'none',
    featureStats: [column({ name: 'x', mean: 0, std: 1 })],
    targetStats: [column({ name: 'y', mean: 0, std: 1 })],
    textLabels: false,
    binaryTargetRows: 0,
    oneHotRows: 0,
    ...data,
    task,
  };
}

/** The lint input `diagnose` builds for a config: the real data, the task as inferred, the loss written or defaulted. */
export async function lintConfig(loaded: LoadedConfig): Promise<ConfigLintInput> {
  const dataset = await loadDataset(loaded);
  const { summary } = dataset;
  const written = loaded.config.training.loss;
  return configLintInput({
    task: summary.task,
    taskSource: summary.taskSource,
    loss: written ?? defaultLoss(summary.task, dataset),
    lossFromConfig: written !== undefined,
    fromLogits: loaded.config.training.fromLogits ?? false,
    layers: loaded.config.model.layers ?? [],
    layerKey: modelLayerKey,
    data: summary,
  });
}

/** examples/<name>/convdoc.yaml as `diagnose` lints it. */
export function example(name: string): Promise<ConfigLintInput> {
  const file = fileURLToPath(new URL(`../../examples/${name}/convdoc.yaml`, import.meta.url));
  return lintConfig(parseConfig(readFileSync(file, 'utf8'), file));
}

/** A table row: an example by name, or a config case. */
export interface ConfigRow {
  name: string;
  example?: string;
  config?: ConfigCase;
}

/** Rows for examples the detector must pass as they are, named `examples/<name>`. */
export const exampleRows = (...names: string[]): ConfigRow[] =>
  names.map((name) => ({ name: `examples/${name}`, example: name }));

export const inputOf = (row: ConfigRow) =>
  row.example !== undefined ? example(row.example) : Promise.resolve(lint(row.config!));

/** The `must not trigger` block: the detector finds nothing in any of the rows. */
export function describeMustNotTrigger(detector: Detector<ConfigLintInput>, rows: readonly ConfigRow[]): void {
  describe('must not trigger', () => {
    it.each(rows)('$name', async (row) => {
      expect(detector.detect(await inputOf(row))).toEqual([]);
    });
  });
}

export interface ExpectedConfigFinding {
  symptom: SymptomId;
  severity: Severity;
  layer: string;
  measured: number;
  threshold: number;
  edit: ConfigEdit;
  /** Text the message must contain: the problem, the numbers, the edit. */
  says: readonly string[];
}

/** A config bug is near certain, names its layer and measurement, and is fixed by its edit alone. */
export function expectConfigFinding(finding: Finding, expected: ExpectedConfigFinding): void {
  expect(finding.symptom).toBe(expected.symptom);
  expect(finding.severity).toBe(expected.severity);
  expect(finding.confidence).toBeGreaterThanOrEqual(0.95);
  expect(finding.layer).toBe(expected.layer);
  expect(finding.evidence).toMatchObject({ measured: expected.measured, threshold: expected.threshold });
  expect(finding.edit).toEqual(expected.edit);
  for (const text of expected.says) expect(finding.message).toContain(text);
  expect(finding.fixes).toEqual([]);
}
