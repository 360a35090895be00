import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import type { LayerSpec } from '../../src/model/build.js';
import { readModelFile } from '../../src/model/keras-json.js';

/** Just the layer specs of a model file. */
const layersOf = async (file: string) => (await readModelFile(file)).layers;

const FIXTURES = 'fixtures/models';
const fixture = (name: string) => path.join(FIXTURES, name);

/** Keras' truncated-normal correction (see asTfjsVarianceScaling). */
const TRUNCATED_NORMAL_STD = 0.87962566103423978;

const denseSpec = (name: string, units: number, activation: string): LayerSpec => ({
  type: 'dense',
  name,
  trainable: true,
  units,
  activation,
  useBias: true,
  kernelInitializer: 'glorotUniform',
  biasInitializer: 'zeros',
});

async function problemOf(file: string): Promise<string> {
  try {
    await layersOf(file);
  } catch (error) {
    expect(error).toBeInstanceOf(ConvdocError);
    return (error as ConvdocError).message;
  }
  throw new Error('expected a ConvdocError');
}

let scratch: string | undefined;
/** A model file written for one test, for variants too small to keep as fixtures. */
async function modelFile(name: string, content: unknown): Promise<string> {
  scratch ??= await mkdtemp(path.join(tmpdir(), 'convdoc-keras-json-'));
  const file = path.join(scratch, name);
  await writeFile(file, typeof content === 'string' || Buffer.isBuffer(content) ? content : JSON.stringify(content));
  return file;
}

const CHANGE_IT = 'Replace it with built-in layers, or describe the model under model.layers instead of model.file.';
const HOW_TO_WRITE = 'Write the model with model.to_json() (Keras) or model.save() (tfjs layers model.json).';

/** A Keras 2 Sequential of the given layers, each `[class_name, config]`. */
const keras2Sequential = (...layers: [string, Record<string, unknown>][]) => ({
  class_name: 'Sequential',
  config: { name: 'sequential', layers: layers.map(([className, config]) => ({ class_name: className, config })) },
  keras_version: '2.15.0',
  backend: 'tensorflow',
});

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const FACTORIES = tf.layers as unknown as Record<string, Factory>;

function buildSequential(specs: readonly LayerSpec[], inputShape: number[]): tf.Sequential {
  const model = tf.sequential();
  specs.forEach(({ type, ...config }, index) =>
    model.add(FACTORIES[type]!({ ...config, ...(index === 0 ? { inputShape } : {}) })),
  );
  model.compile({ optimizer: 'sgd', loss: 'meanSquaredError' });
  return model;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

describe('readModelFile converts each format to model.layers specs', () => {
  it('Keras 2.15 Sequential to_json(): the InputLayer and dtype go, glorot_uniform becomes glorotUniform', async () => {
    const model = await readModelFile(fixture('keras2-mlp.json'));
    expect(model).toEqual({
      layers: [denseSpec('dense', 64, 'relu'), denseSpec('dense_1', 64, 'relu'), denseSpec('dense_2', 1, 'linear')],
      layerPaths: ['config.layers[1]', 'config.layers[2]', 'config.layers[3]'],
      declaredInputShape: [13],
      approximations: [],
    });
  });

  it('Keras 2 before 2.2.3: config is the bare list of layers, glorot_uniform written as VarianceScaling', async () => {
    const model = await readModelFile(fixture('keras2-legacy-list.json'));
    expect(model.layers).toEqual([denseSpec('dense_1', 8, 'tanh'), denseSpec('dense_2', 1, 'sigmoid')]);
    expect(model.layerPaths).toEqual(['config[0]', 'config[1]']);
    expect(model.declaredInputShape).toEqual([2]);
  });

  it('Keras 3 to_json(): DTypePolicy, module, registered_name and build_config go; L2 becomes L1L2 with l1 0', async () => {
    const model = await readModelFile(fixture('keras3-mlp.json'));
    expect(model).toEqual({
      layers: [
        { ...denseSpec('dense', 64, 'relu'), kernelRegularizer: { className: 'L1L2', config: { l1: 0, l2: 0.0001 } } },
        { type: 'dropout', name: 'dropout', trainable: true, rate: 0.1 },
        denseSpec('dense_1', 64, 'relu'),
        denseSpec('dense_2', 1, 'linear'),
      ],
      layerPaths: ['config.layers[1]', 'config.layers[2]', 'config.layers[3]', 'config.layers[4]'],
      declaredInputShape: [13],
      approximations: [],
    });
  });

  it('Keras 3 CNN: camelCase values (channelsLast), groups 1 and synchronized dropped, HeNormal keeps Keras spread', async () => {
    expect(await layersOf(fixture('keras3-cnn.json'))).toEqual([
      {
        type: 'conv2d',
        name: 'conv2d',
        trainable: true,
        filters: 32,
        kernelSize: [3, 3],
        strides: [1, 1],
        padding: 'valid',
        dataFormat: 'channelsLast',
        dilationRate: [1, 1],
        activation: 'relu',
        useBias: true,
        kernelInitializer: {
          className: 'VarianceScaling',
          config: { scale: 2 / TRUNCATED_NORMAL_STD ** 2, mode: 'fanIn', distribution: 'normal' },
        },
        biasInitializer: 'zeros',
      },
      {
        type: 'batchNormalization',
        name: 'batch_normalization',
        trainable: true,
        axis: -1,
        momentum: 0.99,
        epsilon: 0.001,
        center: true,
        scale: true,
        betaInitializer: 'zeros',
        gammaInitializer: 'ones',
        movingMeanInitializer: 'zeros',
        movingVarianceInitializer: 'ones',
      },
      {
        type: 'maxPooling2d',
        name: 'max_pooling2d',
        trainable: true,
        poolSize: [2, 2],
        padding: 'valid',
        strides: [2, 2],
        dataFormat: 'channelsLast',
      },
      { type: 'flatten', name: 'flatten', trainable: true, dataFormat: 'channelsLast' },
      denseSpec('dense', 10, 'softmax'),
    ]);
  });

  it('Keras 3 GRU and LeakyReLU: reset_after true is approximated and said so, negative_slope becomes alpha', async () => {
    const model = await readModelFile(fixture('keras3-gru.json'));
    expect(model.layers).toEqual([
      {
        type: 'gru',
        name: 'gru',
        trainable: true,
        returnSequences: false,
        returnState: false,
        goBackwards: false,
        unroll: false,
        units: 16,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        useBias: true,
        kernelInitializer: 'glorotUniform',
        recurrentInitializer: 'orthogonal',
        biasInitializer: 'zeros',
        dropout: 0,
        recurrentDropout: 0,
      },
      { type: 'leakyReLU', name: 'leaky_re_lu', trainable: true, alpha: 0.1 },
      denseSpec('dense', 1, 'sigmoid'),
    ]);
    expect(model.declaredInputShape).toEqual([null, 3]);
    expect(model.approximations).toEqual([
      'fixtures/models/keras3-gru.json: config.layers[1] "gru" (GRU): reset_after true: probed with reset_after false, the only GRU variant tfjs-layers has.',
    ]);
  });

  it('a float16 dtype policy is probed in float32, and said so once', async () => {
    const policy = {
      module: 'keras',
      class_name: 'DTypePolicy',
      config: { name: 'mixed_float16' },
      registered_name: null,
    };
    const file = await modelFile(
      'mixed.json',
      keras2Sequential(
        ['Dense', { name: 'a', units: 2, dtype: policy }],
        ['Dense', { name: 'b', units: 1, dtype: policy }],
      ),
    );
    const model = await readModelFile(file);
    expect(model.layers).toEqual([
      { type: 'dense', name: 'a', units: 2 },
      { type: 'dense', name: 'b', units: 1 },
    ]);
    expect(model.approximations).toEqual([`${file}: dtype policy "mixed_float16": probed in float32.`]);
  });

  it('Keras 2 functional model whose layers form one chain', async () => {
    const model = await readModelFile(fixture('keras2-functional-mlp.json'));
    expect(model.layers).toEqual([denseSpec('hidden', 16, 'tanh'), denseSpec('output', 3, 'softmax')]);
    expect(model.layerPaths).toEqual(['config.layers[1]', 'config.layers[2]']);
    expect(model.declaredInputShape).toEqual([4]);
  });

  it('tfjs model.save() model.json: topology only; tfjs initializer configs become tfjs identifiers', async () => {
    const model = await readModelFile(fixture('tfjs-layers-model.json'));
    expect(model).toEqual({
      layers: [
        {
          type: 'dense',
          units: 16,
          activation: 'relu',
          useBias: true,
          kernelInitializer: 'heNormal',
          biasInitializer: 'zeros',
          name: 'dense_Dense1',
          trainable: true,
        },
        { type: 'dropout', rate: 0.2, name: 'dropout_Dropout1', trainable: true },
        {
          type: 'dense',
          units: 3,
          activation: 'softmax',
          useBias: true,
          kernelInitializer: 'glorotNormal',
          biasInitializer: 'zeros',
          name: 'dense_Dense2',
          trainable: true,
        },
      ],
      layerPaths: [
        'modelTopology.config.layers[0]',
        'modelTopology.config.layers[1]',
        'modelTopology.config.layers[2]',
      ],
      declaredInputShape: [4],
      approximations: [],
    });
  });

  it('tensorflowjs_converter model.json of a Keras .h5: modelTopology.model_config, LSTM time_major and implementation dropped', async () => {
    const model = await readModelFile(fixture('tfjs-converted-lstm.json'));
    expect(model.layers).toEqual([
      {
        type: 'lstm',
        name: 'lstm',
        trainable: true,
        returnSequences: false,
        returnState: false,
        goBackwards: false,
        unroll: false,
        units: 32,
        activation: 'tanh',
        recurrentActivation: 'sigmoid',
        useBias: true,
        kernelInitializer: 'glorotUniform',
        recurrentInitializer: 'orthogonal',
        biasInitializer: 'zeros',
        unitForgetBias: true,
        dropout: 0,
        recurrentDropout: 0,
      },
      denseSpec('dense', 1, 'linear'),
    ]);
    expect(model.layerPaths).toEqual([
      'modelTopology.model_config.config.layers[1]',
      'modelTopology.model_config.config.layers[2]',
    ]);
    expect(model.declaredInputShape).toEqual([20, 6]);
  });
});

describe('the converted specs build in tfjs', () => {
  it.each([
    ['keras2-mlp.json', [13], [1, 1]],
    ['keras2-legacy-list.json', [2], [1, 1]],
    ['keras3-mlp.json', [13], [1, 1]],
    ['keras3-cnn.json', [28, 28, 1], [1, 10]],
    ['keras3-gru.json', [10, 3], [1, 1]],
    ['keras2-functional-mlp.json', [4], [1, 3]],
    ['tfjs-layers-model.json', [4], [1, 3]],
    ['tfjs-converted-lstm.json', [20, 6], [1, 1]],
  ])('%s: from zeros of shape %j, compiles and predicts shape %j', async (name, inputShape, outputShape) => {
    const model = buildSequential(await layersOf(fixture(name)), inputShape);
    const output = tf.tidy(() => model.predict(tf.zeros([1, ...inputShape])) as tf.Tensor);
    expect(output.shape).toEqual(outputShape);
    expect(output.dataSync().every(Number.isFinite)).toBe(true);
    output.dispose();
    model.dispose();
  });

  it("a Keras HeNormal kernel gets Keras' standard deviation, sqrt(2 / fanIn), not tfjs' 12% narrower one", async () => {
    const specs = await layersOf(fixture('keras3-cnn.json'));
    const { kernelInitializer } = specs[0]!;
    const fanIn = 1000;
    const model = buildSequential([{ type: 'dense', units: 500, kernelInitializer }], [fanIn]);
    const kernel = model.getWeights()[0]!;
    const std = tf.tidy(() => tf.moments(kernel).variance.sqrt().dataSync()[0]!);
    expect(std / Math.sqrt(2 / fanIn)).toBeCloseTo(1, 1);
    model.dispose();
  });
});

describe('refusals name the file, the layer and what to change', () => {
  it('a Lambda layer: its code is never run', async () => {
    expect(await problemOf(fixture('keras-lambda.json'))).toBe(
      `fixtures/models/keras-lambda.json: config.layers[2] "lambda" (Lambda): a Lambda layer is Python code, and model files are data: nothing in them is executed. ${CHANGE_IT}`,
    );
  });

  it('a custom layer class registered under a package', async () => {
    expect(await problemOf(fixture('keras3-custom-layer.json'))).toBe(
      `fixtures/models/keras3-custom-layer.json: config.layers[1] "scaled_dense" (ScaledDense): custom layer class (registered as "my_package>ScaledDense"); its code is not in the file, and convdoc runs no code from model files. ${CHANGE_IT}`,
    );
  });

  it('a class tfjs-layers does not know, with a suggestion', async () => {
    const file = await modelFile(
      'unknown.json',
      keras2Sequential(['Dense', { name: 'dense', units: 4 }], ['Denze', { name: 'denze', units: 1 }]),
    );
    const [reason, supported] = (await problemOf(file)).split(' Supported layers: ');
    expect(reason).toBe(
      `${file}: config.layers[1] "denze" (Denze): tfjs-layers has no such layer class (a custom or newer Keras layer?), so convdoc cannot rebuild it. Did you mean "Dense"?`,
    );
    expect(supported).toMatch(/^(\w+, )+\w+\.$/);
    expect(supported?.split(/, |\./)).toEqual(
      expect.arrayContaining([
        'Dense',
        'Conv2D',
        'MaxPooling2D',
        'LSTM',
        'GRU',
        'SimpleRNN',
        'LeakyReLU',
        'BatchNormalization',
      ]),
    );
  });

  it('a tfjs layer convdoc does not build yet', async () => {
    const file = await modelFile('resizing.json', keras2Sequential(['Resizing', { name: 'rz', height: 8, width: 8 }]));
    const [reason] = (await problemOf(file)).split(' Supported layers: ');
    expect(reason).toBe(
      `${file}: config.layers[0] "rz" (Resizing): convdoc does not build this layer type yet. Did you mean "Rescaling"?`,
    );
  });

  it('a TensorFlow op layer other than an elementwise merge', async () => {
    const file = await modelFile(
      'tf-op.json',
      keras2Sequential(['TensorFlowOpLayer', { name: 'RealDiv', node_def: { op: 'RealDiv' }, constants: { 1: 2 } }]),
    );
    expect(await problemOf(file)).toBe(
      `${file}: config.layers[0] "RealDiv" (TensorFlowOpLayer): a TensorFlow op layer (RealDiv with a constant operand) runs TensorFlow code that tfjs-layers cannot. ${CHANGE_IT}`,
    );
  });

  it('a functional model whose layer reads a layer the model does not have', async () => {
    const file = await modelFile('dangling.json', {
      class_name: 'Functional',
      config: {
        name: 'model',
        layers: [
          {
            class_name: 'InputLayer',
            name: 'x',
            config: { batch_input_shape: [null, 2], name: 'x' },
            inbound_nodes: [],
          },
          { class_name: 'Dense', name: 'a', config: { name: 'a', units: 2 }, inbound_nodes: [[['y', 0, 0, {}]]] },
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['a', 0, 0]],
      },
      keras_version: '2.15.0',
    });
    expect(await problemOf(file)).toBe(
      `${file}: config.layers[1] "a": inbound_nodes refers to call 0 of "y", which the model does not have. ${HOW_TO_WRITE}`,
    );
  });

  it('an option tfjs-layers lacks, at a value that matters', async () => {
    const file = await modelFile(
      'groups.json',
      keras2Sequential(['Conv2D', { name: 'conv2d', filters: 8, kernel_size: [3, 3], groups: 2 }]),
    );
    expect(await problemOf(file)).toBe(
      `${file}: config.layers[0] "conv2d" (Conv2D): groups 2 has no tfjs equivalent: tfjs-layers has no grouped convolution. ${CHANGE_IT}`,
    );
  });

  it('an activation tfjs does not have', async () => {
    const file = await modelFile(
      'activation.json',
      keras2Sequential(['Dense', { name: 'dense', units: 1, activation: 'exponential' }]),
    );
    expect(await problemOf(file)).toBe(
      `${file}: config.layers[0] "dense" (Dense): activation "exponential" has no tfjs-layers equivalent. Use one of: elu, gelu, gelu_new, hardSigmoid, linear, logSoftmax, mish, relu, relu6, selu, sigmoid, softmax, softplus, softsign, swish, tanh.`,
    );
  });

  it('broken JSON, at the line and column V8 gives', async () => {
    expect(await problemOf(fixture('broken.json'))).toBe(
      `fixtures/models/broken.json:6:70: not valid JSON: Expected double-quoted property name. ${HOW_TO_WRITE}`,
    );
  });

  it('JSON cut short, at its end', async () => {
    const file = await modelFile('truncated.json', '{\n  "class_name": "Sequential",\n  "config": {"layers": [');
    expect(await problemOf(file)).toBe(`${file}:3:25: not valid JSON: Unexpected end of JSON input. ${HOW_TO_WRITE}`);
  });

  it('a missing file', async () => {
    expect(await problemOf(fixture('missing.json'))).toBe(
      'fixtures/models/missing.json: cannot read the model file (ENOENT). Check model.file in the config.',
    );
  });

  it('a .keras archive instead of its JSON', async () => {
    const file = await modelFile('model.keras', Buffer.from('PK\u0003\u0004\u0014\u0000\u0000\u0000', 'latin1'));
    expect(await problemOf(file)).toBe(
      `${file}: this is a zip archive (a Keras .keras file?), not JSON. convdoc reads the architecture as JSON: write it with open("model.json", "w").write(model.to_json()).`,
    );
  });

  it('a tfjs graph model', async () => {
    const file = await modelFile('graph.json', {
      format: 'graph-model',
      modelTopology: { node: [] },
      weightsManifest: [],
    });
    expect(await problemOf(file)).toBe(
      `${file}: a tfjs graph model holds a TensorFlow graph, not layers, so it cannot be rebuilt for probe-training. Convert the Keras model with tensorflowjs_converter --output_format tfjs_layers_model, or write it with model.to_json().`,
    );
  });

  it('JSON that is not a model', async () => {
    const file = await modelFile('other.json', { rows: [1, 2] });
    expect(await problemOf(file)).toBe(
      `${file}: not a Keras model: expected a Sequential or Functional model, found no "class_name" at the top. ${HOW_TO_WRITE}`,
    );
  });
});
