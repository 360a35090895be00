import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFileLosses, readFromLogits } from '../../src/model/training-config.js';

const sparseLoss = (fromLogits: boolean) => ({
  module: 'keras.losses',
  class_name: 'SparseCategoricalCrossentropy',
  config: { name: 'sparse_categorical_crossentropy', reduction: 'sum_over_batch_size', from_logits: fromLogits },
});

describe("from_logits from a model file's training config", () => {
  it.each([
    ['Keras 3 compile_config', { class_name: 'Sequential', compile_config: { loss: sparseLoss(true) } }, true],
    [
      'tfjs converter: modelTopology.training_config',
      { modelTopology: { training_config: { loss: sparseLoss(true) } } },
      true,
    ],
    ['a loss per output (dict)', { training_config: { loss: { age: 'mse', gender: sparseLoss(true) } } }, true],
    ['from_logits false', { training_config: { loss: sparseLoss(false) } }, false],
    ['a loss given by name', { trainingConfig: { loss: 'categorical_crossentropy' } }, undefined],
    ['no training config (model.to_json())', { class_name: 'Sequential', config: {} }, undefined],
  ])('%s → %s', async (_, json, expected) => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'convdoc-training-config-')), 'model.json');
    await writeFile(file, JSON.stringify(json));
    expect(await readFromLogits(file)).toBe(expected);
  });
});

describe("the losses of a model file's training config, per output", () => {
  it.each([
    ['one name for every output', { training_config: { loss: 'mse' } }, 'meanSquaredError'],
    [
      "Keras' loss dict",
      { training_config: { loss: { age: 'mae', gender: 'binary_crossentropy' } } },
      { age: 'meanAbsoluteError', gender: 'binaryCrossentropy' },
    ],
    [
      "Keras' loss list, in output order",
      { modelTopology: { training_config: { loss: ['mse', sparseLoss(true)] } } },
      ['meanSquaredError', 'sparseCategoricalCrossentropy'],
    ],
    ['a custom Python loss: the config decides', { training_config: { loss: { age: 'my_loss' } } }, undefined],
    ['no training config', { class_name: 'Sequential', config: {} }, undefined],
  ])('%s', async (_, json, expected) => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'convdoc-file-losses-')), 'model.json');
    await writeFile(file, JSON.stringify(json));
    expect(await readFileLosses(file)).toEqual(expected);
  });
});
