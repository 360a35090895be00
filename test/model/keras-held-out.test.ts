/**
 * What the held-out model files (bench/models, `npm run bench:models`) and minimal snippets of the
 * same shapes showed the loader missing: Keras layers tfjs-layers has under another form, options
 * tfjs cannot honour, and inputs that crashed the build instead of being refused.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import { buildModel } from '../../src/model/build.js';
import { readModelFile } from '../../src/model/keras-json.js';

let scratch: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  scratch = await mkdtemp(path.join(tmpdir(), 'convdoc-held-out-'));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

type Layer = [className: string, config: Record<string, unknown>];

/** A Keras 3 Sequential to_json() of an InputLayer of `shape` and the given layers. */
function keras3Sequential(shape: number[], ...layers: Layer[]) {
  const input: Layer = ['InputLayer', { batch_shape: [null, ...shape], name: 'input_layer' }];
  return {
    module: 'keras',
    class_name: 'Sequential',
    config: {
      name: 'sequential',
      layers: [input, ...layers].map(([className, config]) => ({
        module: 'keras.layers',
        class_name: className,
        config: {
          trainable: true,
          dtype: { module: 'keras', class_name: 'DTypePolicy', config: { name: 'float32' } },
          ...config,
        },
        registered_name: null,
      })),
    },
    registered_name: null,
  };
}

async function write(name: string, model: unknown): Promise<string> {
  const file = path.join(scratch, `${name}.json`);
  await writeFile(file, JSON.stringify(model));
  return file;
}

async function problemOf(file: string): Promise<string> {
  const error = await readModelFile(file).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ConvdocError);
  return (error as ConvdocError).message;
}

const dense: Layer = ['Dense', { name: 'out', units: 1 }];

describe('Keras layers and options tfjs-layers has under another form', () => {
  it.each([
    {
      what: 'SpatialDropout2D: probed as Dropout at its rate, its data_format dropped',
      layers: [
        ['SpatialDropout2D', { name: 'sd', rate: 0.2, data_format: 'channels_last' }],
        ['Flatten', { name: 'f' }],
        dense,
      ] as Layer[],
      shape: [4, 4, 2],
      types: ['dropout', 'flatten', 'dense'],
      note: /"sd" \(SpatialDropout2D\): probed as Dropout \(tfjs-layers has no SpatialDropout2D\)/,
    },
    {
      what: 'Identity and ActivityRegularization: left out, the next layer reads their input',
      layers: [
        ['Identity', { name: 'id' }],
        ['ActivityRegularization', { name: 'ar', l1: 0, l2: 0.01 }],
        dense,
      ] as Layer[],
      shape: [3],
      types: ['dense'],
      note: /"ar" \(ActivityRegularization\): probed without this activity penalty/,
    },
    {
      what: 'a Dense with an activity_regularizer (tfjs throws when such a layer is called): probed without it',
      layers: [
        ['Dense', { name: 'd', units: 2, activity_regularizer: { class_name: 'L2', config: { l2: 0.01 } } }],
        dense,
      ] as Layer[],
      shape: [3],
      types: ['dense', 'dense'],
      note: /"d" \(Dense\): activity_regularizer .*probed without the activity penalty/,
    },
    {
      what: 'Conv3D and MaxPooling3D, which tfjs-layers has',
      layers: [
        ['Conv3D', { name: 'c', filters: 2, kernel_size: [2, 2, 2], padding: 'valid', data_format: 'channels_last' }],
        ['MaxPooling3D', { name: 'm', pool_size: [1, 1, 1], data_format: 'channels_last' }],
        ['Flatten', { name: 'f' }],
        dense,
      ] as Layer[],
      shape: [3, 3, 3, 1],
      types: ['conv3d', 'maxPooling3d', 'flatten', 'dense'],
    },
    {
      what: "CenterCrop, whose tfjs output-shape method wrote the cropped size into the model's input shape",
      layers: [['CenterCrop', { name: 'cc', height: 6, width: 6 }], ['Flatten', { name: 'f' }], dense] as Layer[],
      shape: [10, 10, 3],
      types: ['centerCrop', 'flatten', 'dense'],
    },
    {
      what: 'ConvLSTM2D, which tfjs-layers has',
      layers: [
        ['ConvLSTM2D', { name: 'cl', filters: 2, kernel_size: [3, 3], padding: 'same' }],
        ['Flatten', { name: 'f' }],
        dense,
      ] as Layer[],
      shape: [2, 4, 4, 1],
      types: ['convLstm2d', 'flatten', 'dense'],
    },
  ])('$what', async ({ layers, shape, types, note }) => {
    const file = await write(types.join('-'), keras3Sequential(shape, ...layers));
    const model = await readModelFile(file);
    expect(model.layers.map((spec) => spec.type)).toEqual(types);
    if (note !== undefined) expect(model.approximations.join('\n')).toMatch(note);
    const built = buildModel(model.layers, shape, (index) => `layer ${index}`);
    const output = tf.tidy(() => built.model.predict(tf.ones([1, ...shape])) as tf.Tensor);
    expect(output.shape).toEqual([1, 1]);
    output.dispose();
    built.model.dispose();
  });

  it('a Sequential without an InputLayer declares its input shape in build_input_shape', async () => {
    const file = await write('build-input-shape', {
      class_name: 'Sequential',
      config: {
        name: 'sequential',
        layers: [{ class_name: 'Dense', config: { name: 'd', units: 1 } }],
        build_input_shape: [null, 7],
      },
      keras_version: '2.15.0',
    });
    expect((await readModelFile(file)).declaredInputShape).toEqual([7]);
  });
});

describe('what would crash the build is refused in one line', () => {
  it.each([
    {
      what: 'Conv1D padding "causal" (tfjs: "not implemented yet")',
      layers: [['Conv1D', { name: 'c', filters: 2, kernel_size: [3], padding: 'causal' }]] as Layer[],
      message: '"c" (Conv1D): padding "causal" has no tfjs equivalent: tfjs-layers convolutions have no causal padding',
    },
    {
      what: 'two layers of one name (tfjs: "The name is used 2 times")',
      layers: [
        ['Flatten', { name: 'flatten' }],
        ['Flatten', { name: 'flatten' }],
      ] as Layer[],
      message: 'config.layers[2]: a second layer named "flatten"; layer names must be unique.',
    },
    {
      what: 'a Normalization layer, whose statistics are weights: data.normalize instead',
      layers: [['Normalization', { name: 'n', axis: [-1], mean: null, variance: null }]] as Layer[],
      message:
        '"n" (Normalization): tfjs-layers has no Normalization layer: remove it and set data.normalize: standardize',
    },
    {
      what: 'a Keras layer tfjs-layers lacks is not called custom',
      layers: [['MultiHeadAttention', { name: 'mha', num_heads: 2, key_dim: 4 }]] as Layer[],
      message: '"mha" (MultiHeadAttention): tfjs-layers has no MultiHeadAttention layer, so convdoc cannot rebuild it.',
    },
  ])('$what', async ({ layers, message }) => {
    const problem = await problemOf(await write('refused', keras3Sequential([6, 3], ...layers)));
    expect(problem).toContain(message);
    expect(problem).not.toContain('\n');
  });
});

/** A Keras 2 functional chain from a 4-wide input through TFOpLambda layers `[function, kwargs]` to a Dense. */
function keras2WithTfOps(...ops: [fn: string, kwargs: Record<string, unknown>][]) {
  const names = ['input_1', ...ops.map(([fn], index) => `tf.${fn}_${index}`)];
  const tfOps = ops.map(([fn, kwargs], index) => ({
    class_name: 'TFOpLambda',
    name: names[index + 1],
    config: { name: names[index + 1], trainable: true, dtype: 'float32', function: fn },
    inbound_nodes: [[names[index], 0, 0, { ...kwargs, name: null }]],
  }));
  return {
    class_name: 'Functional',
    config: {
      name: 'model',
      layers: [
        {
          class_name: 'InputLayer',
          name: 'input_1',
          config: { batch_input_shape: [null, 4], name: 'input_1' },
          inbound_nodes: [],
        },
        ...tfOps,
        {
          class_name: 'Dense',
          name: 'out',
          config: { name: 'out', units: 1 },
          inbound_nodes: [[[names.at(-1), 0, 0, {}]]],
        },
      ],
      input_layers: [['input_1', 0, 0]],
      output_layers: [['out', 0, 0]],
    },
    keras_version: '2.15.0',
  };
}

describe('TFOpLambda layers that are layers tfjs-layers has', () => {
  it('x / 127.5 - 1 (mobilenet_v2.preprocess_input) and tf.nn.relu: Rescaling, Rescaling, Activation', async () => {
    const file = await write(
      'tf-ops',
      keras2WithTfOps(['math.truediv', { y: 127.5 }], ['math.subtract', { y: 1 }], ['nn.relu', {}]),
    );
    const { layers } = await readModelFile(file);
    expect(layers.map(({ name: _name, ...spec }) => spec)).toEqual([
      { type: 'rescaling', scale: 1 / 127.5, offset: 0 },
      { type: 'rescaling', scale: 1, offset: -1 },
      { type: 'activation', activation: 'relu' },
      { type: 'dense', units: 1 },
    ]);
    const built = buildModel(layers, [4], (index) => `layer ${index}`);
    built.model.dispose();
  });

  it.each([
    ['a function that is not a layer', ['image.resize', { size: [8, 8] }], '(tf.image.resize) is Python code'],
    [
      'arithmetic with a tensor, not a number',
      ['math.multiply', { y: ['input_1', 0, 0] }],
      '(tf.math.multiply) is Python code',
    ],
    [
      'arithmetic with a list of per-channel constants',
      ['math.subtract', { y: [1, 2, 3] }],
      '(tf.math.subtract) is Python code',
    ],
  ] as const)('%s stays refused, naming the function', async (_what, op, message) => {
    const problem = await problemOf(await write('tf-op-refused', keras2WithTfOps([op[0], op[1]])));
    expect(problem).toContain(`(TFOpLambda): a TFOpLambda layer ${message}`);
  });
});
