import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configProblem, loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

const MINIMAL = `version: 1
data:
  train: data.csv
  target: y
model:
  layers:
    - {type: dense, units: 1}
`;

function problemsOf(text: string, file = 'conf.yaml'): readonly string[] {
  try {
    parseConfig(text, file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('valid configs', () => {
  it('fills every default, Keras-style where docs/config.md is silent', () => {
    const { config } = parseConfig(MINIMAL, '/project/conf.yaml');
    expect(config).toEqual({
      version: 1,
      seed: 42,
      data: {
        train: '/project/data.csv',
        target: 'y',
        validationSplit: 0.2,
        normalize: 'none',
        normalizeTarget: 'none',
      },
      model: { layers: [{ type: 'dense', units: 1 }] },
      training: {
        optimizer: 'rmsprop',
        learningRate: 0.001,
        batchSize: 32,
        epochs: 100,
        metrics: [],
        clipNorm: null,
        clipValue: null,
        schedule: null,
      },
      probe: { steps: 300, evalEvery: 10, sampleRows: 10000, maxSeconds: 60 },
    });
  });

  it.each([
    ['sgd', 0.01],
    ['momentum', 0.01],
    ['adam', 0.001],
    ['adagrad', 0.001],
  ])("defaults the learning rate of %s to Keras' %s", (optimizer, learningRate) => {
    const { config } = parseConfig(`${MINIMAL}training: {optimizer: ${optimizer}}\n`, 'conf.yaml');
    expect(config.training.learningRate).toBe(learningRate);
  });

  it.each([
    ['mean_squared_error', 'meanSquaredError'],
    ['mse', 'meanSquaredError'],
    ['MeanAbsoluteError', 'meanAbsoluteError'],
    ['sparse_categorical_crossentropy', 'sparseCategoricalCrossentropy'],
    ['binaryCrossentropy', 'binaryCrossentropy'],
  ])('reads the loss %s as %s', (written, canonical) => {
    expect(parseConfig(`${MINIMAL}training: {loss: ${written}}\n`, 'conf.yaml').config.training.loss).toBe(canonical);
  });

  it('reads the same config written as JSON', () => {
    const json = JSON.stringify(
      { version: 1, data: { train: 'd.csv', target: ['a', 'b'] }, model: { file: 'm.json' } },
      null,
      '\t',
    );
    const { config } = parseConfig(json, '/p/conf.json');
    expect(config.data.target).toEqual(['a', 'b']);
    expect(config.model.file).toBe('/p/m.json');
  });

  it('fills schedule defaults and keeps layer config keys for the model builder', () => {
    const { config } = parseConfig(
      `${MINIMAL.replace('{type: dense, units: 1}', '{type: dense, units: 1, kernelInitializer: heNormal}')}training:\n  schedule: {type: plateau, warmupSteps: 5}\n`,
      'conf.yaml',
    );
    expect(config.training.schedule).toEqual({
      type: 'plateau',
      factor: 0.1,
      patience: 10,
      minDelta: 1e-4,
      minLearningRate: 0,
      warmupSteps: 5,
    });
    expect(config.model.layers?.[0]).toEqual({ type: 'dense', units: 1, kernelInitializer: 'heNormal' });
  });

  it('resolves data and model paths relative to the config file', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-config-'));
    const file = path.join(directory, 'convdoc.yaml');
    await writeFile(file, `${MINIMAL}  `.replace('train: data.csv', 'train: sub/data.csv\n  validation: ../val.csv'));
    const { config } = await loadConfig(file);
    expect(config.data.train).toBe(path.join(directory, 'sub/data.csv'));
    expect(config.data.validation).toBe(path.join(path.dirname(directory), 'val.csv'));
  });
});

describe('invalid configs: one located message per problem', () => {
  it.each([
    ['a wrong version', MINIMAL.replace('version: 1', 'version: 2'), ['conf.yaml:1:10: version: expected 1, got 2']],
    [
      'a missing version',
      MINIMAL.replace('version: 1\n', ''),
      ['conf.yaml:1:1: version: missing required key (expected 1)'],
    ],
    [
      'a misspelt key',
      `${MINIMAL}training:\n  lerningRate: 0.1\n`,
      [
        'conf.yaml:9:3: training.lerningRate: unknown key "lerningRate". Did you mean "learningRate"? Allowed keys here: optimizer, learningRate, momentum, batchSize, epochs, steps, loss, lossWeights, metrics, clipNorm, clipValue, schedule, fromLogits',
      ],
    ],
    [
      'an unknown top-level key',
      `${MINIMAL}trainig: {}\n`,
      [
        'conf.yaml:8:1: trainig: unknown key "trainig". Did you mean "training"? Allowed keys here: version, name, seed, data, model, training, probe',
      ],
    ],
    [
      'an unknown optimizer',
      `${MINIMAL}training:\n  optimizer: sgdd\n`,
      [
        'conf.yaml:9:14: training.optimizer: expected one of "sgd", "momentum", "adam", "rmsprop", "adagrad", "adadelta", "adamax", got "sgdd". Did you mean "sgd"?',
      ],
    ],
    [
      'a negative batch size',
      `${MINIMAL}training: {batchSize: -1}\n`,
      ['conf.yaml:8:23: training.batchSize: expected a number > 0, got -1'],
    ],
    [
      'a fractional batch size',
      `${MINIMAL}training: {batchSize: 2.5}\n`,
      ['conf.yaml:8:23: training.batchSize: expected a whole number, got 2.5'],
    ],
    [
      'a learning rate given as text',
      `${MINIMAL}training: {learningRate: fast}\n`,
      ['conf.yaml:8:26: training.learningRate: expected a number, got "fast"'],
    ],
    [
      'a validation split of 1',
      MINIMAL.replace('target: y', 'target: y\n  validationSplit: 1'),
      ['conf.yaml:5:20: data.validationSplit: expected a number < 1, got 1'],
    ],
    [
      'a missing target',
      MINIMAL.replace('  target: y\n', ''),
      [
        'conf.yaml:3:3: data.target: missing required key: expected a column name, or a list of column names for several target columns',
      ],
    ],
    [
      'a numeric target',
      MINIMAL.replace('target: y', 'target: 3'),
      [
        'conf.yaml:4:11: data.target: expected a column name, a list of column names, or for a model with several outputs a map from each output layer name to its column(s), got 3',
      ],
    ],
    [
      'an unknown task',
      MINIMAL.replace('target: y', 'target: y\n  task: clasification'),
      [
        'conf.yaml:5:9: data.task: expected one of "regression", "binary", "multiclass", "multilabel", got "clasification"',
      ],
    ],
    [
      'an empty layer list',
      MINIMAL.replace('  layers:\n    - {type: dense, units: 1}\n', '  layers: []\n'),
      ['conf.yaml:6:11: model.layers: expected at least 1 item(s), got an empty list'],
    ],
    [
      'a layer without type',
      MINIMAL.replace('{type: dense, units: 1}', '{units: 1}'),
      ['conf.yaml:7:7: model.layers.0.type: missing required key (expected a string)'],
    ],
    [
      'both layers and file',
      MINIMAL.replace('model:\n', 'model:\n  file: m.json\n'),
      ['conf.yaml:6:3: model: expected exactly one of `layers` (a list of layers) or `file` (a model JSON file)'],
    ],
    [
      'neither layers nor file',
      MINIMAL.replace(/model:[\s\S]*$/, 'model: {}\n'),
      ['conf.yaml:5:8: model: expected exactly one of `layers` (a list of layers) or `file` (a model JSON file)'],
    ],
    [
      'an unknown loss',
      `${MINIMAL}training: {loss: mean_squared_eror}\n`,
      [
        'conf.yaml:8:18: training.loss: unknown loss "mean_squared_eror". Did you mean "meanSquaredError"? Expected a Keras/tfjs loss name such as meanSquaredError, binaryCrossentropy or categoricalCrossentropy (snake_case and mse/mae also work)',
      ],
    ],
    [
      'an unknown schedule type',
      `${MINIMAL}training:\n  schedule: {type: cosin, decaySteps: 10}\n`,
      [
        'conf.yaml:9:20: training.schedule.type: expected type to be one of "constant", "exponential", "step", "cosine", "plateau"; got "cosin". Did you mean "cosine"?',
      ],
    ],
    [
      'a key of another schedule type',
      `${MINIMAL}training:\n  schedule: {type: cosine, decaySteps: 10, gamma: 0.5}\n`,
      [
        'conf.yaml:9:44: training.schedule.gamma: unknown key "gamma". Allowed keys here: type, decaySteps, alpha, warmupSteps',
      ],
    ],
    [
      'a missing schedule parameter',
      `${MINIMAL}training:\n  schedule: {type: exponential, decayRate: 0.9}\n`,
      ['conf.yaml:9:13: training.schedule.decaySteps: missing required key (expected a number)'],
    ],
    [
      'a top level that is a list',
      '- 1\n- 2\n',
      ['conf.yaml:1:1: (top level): expected a mapping (key: value), got a list of 2'],
    ],
    [
      'broken YAML indentation',
      'version: 1\ndata:\n  train: a.csv\n   target: y\n',
      ['conf.yaml:3:10: not valid YAML or JSON: Nested mappings are not allowed in compact mappings'],
    ],
    [
      'a duplicate key',
      `${MINIMAL}seed: 1\nseed: 2\n`,
      ['conf.yaml:9:1: not valid YAML or JSON: Map keys must be unique'],
    ],
    [
      'an alias without its anchor',
      'version: 1\nname: *a0\n',
      [
        'conf.yaml: not valid YAML: Unresolved alias (the anchor must be set before the alias): a0. Define each anchor (&name) before its aliases (*name) and do not nest aliases deeply.',
      ],
    ],
    [
      'a key with a line break, shown escaped on one line',
      '{"version": 1, "a\\nb": 1, "data": {"train": "d.csv", "target": "y"}, "model": {"file": "m.json"}}',
      [
        'conf.yaml:1:16: "a\\nb": unknown key "a\\nb". Allowed keys here: version, name, seed, data, model, training, probe',
      ],
    ],
    [
      'broken JSON',
      '{"version": 1, "data": {"train": "a.csv",}',
      ['conf.yaml:1:43: not valid YAML or JSON: Flow map must end with a }'],
    ],
  ])('%s', (_, text, expected) => {
    expect(problemsOf(text)).toEqual(expected);
  });

  it('lists several problems in file order', () => {
    const text = `version: 1\ndata:\n  train: a.csv\n  target: y\n  bogus: 1\nmodel: {file: m.json}\ntraining: {batchSize: 0}\n`;
    expect(problemsOf(text)).toEqual([
      'conf.yaml:5:3: data.bogus: unknown key "bogus". Allowed keys here: train, validation, validationSplit, target, features, task, inputShape, normalize, normalizeTarget, arrays',
      'conf.yaml:7:23: training.batchSize: expected a number > 0, got 0',
    ]);
  });

  it('explains an empty file', () => {
    expect(problemsOf('# nothing yet\n')).toEqual([
      'conf.yaml: the config file is empty. Start from `convdoc init <data.csv>`, or write at least version: 1, data and model.',
    ]);
  });

  it('says when the file cannot be read', async () => {
    await expect(loadConfig('no/such/convdoc.yaml')).rejects.toThrow(
      new ConfigError(['no/such/convdoc.yaml: cannot read the config file (ENOENT). Check the path.']),
    );
  });

  it('places problems found later (in the data) at their key', () => {
    const loaded = parseConfig(MINIMAL, 'conf.yaml');
    expect(configProblem(loaded, ['data', 'target'], 'there is no column "y".').problems).toEqual([
      'conf.yaml:4:11: data.target: there is no column "y".',
    ]);
  });
});
