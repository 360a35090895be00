import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.js';
import { readModelFile } from '../../src/model/keras-json.js';
import { insertAfter, layerName, type ModelGraph } from '../../src/model/model-graph.js';

const fixture = (name: string) => path.join('fixtures/models', name);
const describeLayer = (index: number) => `layer ${index}`;

let scratch: string | undefined;
async function modelFile(name: string, content: unknown): Promise<string> {
  scratch ??= await mkdtemp(path.join(tmpdir(), 'convdoc-model-graph-'));
  const file = path.join(scratch, name);
  await writeFile(file, JSON.stringify(content));
  return file;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(async () => {
  if (scratch !== undefined) await rm(scratch, { recursive: true, force: true });
});

const ref = (layer: string, call = 0, tensor = 0) => ({ layer, call, tensor });
/** A Keras 2 functional layer called once on `sources`. */
const keras2Layer = (className: string, name: string, config: Record<string, unknown>, ...sources: string[]) => ({
  class_name: className,
  name,
  config: { name, ...config },
  inbound_nodes: [sources.map((source) => [source, 0, 0, {}])],
});
const keras2Input = (name: string, shape: number[]) => ({
  class_name: 'InputLayer',
  name,
  config: { name, batch_input_shape: [null, ...shape] },
  inbound_nodes: [],
});

describe('model files that are graphs', () => {
  it('Keras 3: a residual Add, written with keras_history', async () => {
    const model = await readModelFile(fixture('keras3-residual.json'));
    expect(model.graph?.inputs).toEqual(['input_layer']);
    const add = model.graph!.layers.find((layer) => layer.spec.type === 'add')!;
    expect(add.calls).toEqual([[ref('dense'), ref('dense_1')]]);
    expect(model.graph!.outputs).toEqual([ref('dense_2')]);
  });

  it('Keras 2: a ResNet whose residual sums are TensorFlow AddV2 op layers', async () => {
    const model = await readModelFile(fixture('keras2-resnet18-cats.json'));
    const sums = model.graph!.layers.filter((layer) => layer.spec.type === 'add');
    expect(sums.map(layerName)).toEqual(expect.arrayContaining(['add', 'tf_op_layer_AddV2']));
    expect(model.declaredInputShape).toEqual([224, 224, 3]);
    const built = buildModel(model.layers, [32, 32, 3], describeLayer, model.graph);
    expect(built.model.outputs[0]!.shape).toEqual([null, 10]);
    expect(built.layers.map(({ name }) => name)).toEqual(model.graph!.layers.map(layerName));
    built.model.dispose();
  });

  it('tfjs: a Teachable Machine export, Sequential(Sequential(MobileNetV2), Sequential(dense)), flattened under real names', async () => {
    const model = await readModelFile(fixture('tfjs-teachable-machine.json'));
    const names = model.graph!.layers.map(layerName);
    expect(names).toContain('Conv1');
    expect(names).toContain('dense_Dense2');
    expect(names).not.toContain('?');
    expect(model.graph!.inputs).toEqual(['sequential_4_input']);
    expect(model.graph!.layers[0]!.calls).toEqual([[ref('sequential_4_input')]]);
    expect(model.graph!.outputs).toEqual([ref('dense_Dense2')]);
    expect(model.declaredInputShape).toEqual([224, 224, 3]);
  });

  it('a model nested in a functional model, called on a layer output: its tensors become its layers', async () => {
    const inner = {
      class_name: 'Functional',
      name: 'block',
      config: {
        name: 'block',
        layers: [keras2Input('block_in', [4]), keras2Layer('Dense', 'inner_dense', { units: 3 }, 'block_in')],
        input_layers: [['block_in', 0, 0]],
        output_layers: [['inner_dense', 0, 0]],
      },
      inbound_nodes: [[['pre', 0, 0, {}]]],
    };
    const file = await modelFile('nested.json', {
      class_name: 'Functional',
      config: {
        name: 'outer',
        layers: [
          keras2Input('x', [4]),
          keras2Layer('Dense', 'pre', { units: 4 }, 'x'),
          inner,
          keras2Layer('Dense', 'out', { units: 1 }, 'block'),
        ],
        input_layers: [['x', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
      keras_version: '2.15.0',
    });
    const model = await readModelFile(file);
    // Nested but still one chain: the plain layer list, with the nested layer's own name.
    expect(model.graph).toBeUndefined();
    expect(model.layers.map((layer) => layer['name'])).toEqual(['pre', 'inner_dense', 'out']);
  });

  it('a nested model shared by two inputs (a Siamese network, Keras 2): its calls are nodes 1 and 2', async () => {
    const tower = {
      class_name: 'Functional',
      name: 'tower',
      config: {
        name: 'tower',
        layers: [keras2Input('t_in', [3]), keras2Layer('Dense', 't_dense', { units: 2 }, 't_in')],
        input_layers: [['t_in', 0, 0]],
        output_layers: [['t_dense', 0, 0]],
      },
      inbound_nodes: [[['left', 0, 0, {}]], [['right', 0, 0, {}]]],
    };
    const file = await modelFile('siamese.json', {
      class_name: 'Functional',
      config: {
        name: 'siamese',
        layers: [
          keras2Input('left', [3]),
          keras2Input('right', [3]),
          tower,
          {
            ...keras2Layer('Subtract', 'gap', {}),
            inbound_nodes: [
              [
                ['tower', 1, 0, {}],
                ['tower', 2, 0, {}],
              ],
            ],
          },
        ],
        input_layers: [
          ['left', 0, 0],
          ['right', 0, 0],
        ],
        output_layers: [['gap', 0, 0]],
      },
      keras_version: '2.4.0',
    });
    const model = await readModelFile(file);
    expect(model.graph!.inputs).toEqual(['left', 'right']);
    expect(model.graph!.layers[0]!.calls).toEqual([[ref('left')], [ref('right')]]);
    expect(model.graph!.layers[1]!.calls).toEqual([[ref('t_dense', 0), ref('t_dense', 1)]]);
  });

  it('augmentation layers in a nested Sequential are left out, said so, and their readers read their input', async () => {
    const augment = {
      class_name: 'Sequential',
      name: 'augment',
      config: {
        name: 'augment',
        layers: [
          { class_name: 'RandomFlip', config: { name: 'random_flip', mode: 'horizontal' } },
          { class_name: 'RandomRotation', config: { name: 'random_rotation', factor: 0.1 } },
        ],
      },
      inbound_nodes: [[['rescale', 0, 0, {}]]],
    };
    const file = await modelFile('augmented.json', {
      class_name: 'Functional',
      config: {
        name: 'augmented',
        layers: [
          keras2Input('image', [16, 16, 3]),
          keras2Layer('Rescaling', 'rescale', { scale: 1 / 255, offset: 0 }, 'image'),
          augment,
          keras2Layer('CenterCrop', 'crop', { height: 8, width: 8 }, 'augment'),
          keras2Layer('Conv2D', 'conv', { filters: 4, kernel_size: [3, 3] }, 'crop'),
          keras2Layer('GlobalAveragePooling2D', 'pool', {}, 'conv'),
          keras2Layer('Dense', 'out', { units: 2, activation: 'softmax' }, 'pool'),
        ],
        input_layers: [['image', 0, 0]],
        output_layers: [['out', 0, 0]],
      },
      keras_version: '2.15.0',
    });
    const model = await readModelFile(file);
    expect(model.layers.map(({ type }) => type)).toEqual([
      'rescaling',
      'centerCrop',
      'conv2d',
      'globalAveragePooling2d',
      'dense',
    ]);
    expect(model.approximations).toEqual([
      expect.stringContaining('"random_flip" (RandomFlip): probed without this augmentation layer'),
      expect.stringContaining('"random_rotation" (RandomRotation): probed without this augmentation layer'),
    ]);
    const built = buildModel(model.layers, [16, 16, 3], describeLayer, model.graph);
    expect(built.model.outputs[0]!.shape).toEqual([null, 2]);
    built.model.dispose();
  });

  it('a shared layer called on two inputs, and two outputs', async () => {
    const shared = {
      ...keras2Layer('Dense', 'shared', { units: 2 }, 'a'),
      inbound_nodes: [[['a', 0, 0, {}]], [['b', 0, 0, {}]]],
    };
    const file = await modelFile('shared.json', {
      class_name: 'Functional',
      config: {
        name: 'twins',
        layers: [
          keras2Input('a', [2]),
          keras2Layer('Dense', 'b', { units: 2 }, 'a'),
          shared,
          {
            ...keras2Layer('Concatenate', 'joined', { axis: -1 }),
            inbound_nodes: [
              [
                ['shared', 0, 0, {}],
                ['shared', 1, 0, {}],
              ],
            ],
          },
          keras2Layer('Dense', 'head_1', { units: 1 }, 'joined'),
          keras2Layer('Dense', 'head_2', { units: 1, activation: 'sigmoid' }, 'joined'),
        ],
        input_layers: [['a', 0, 0]],
        output_layers: [
          ['head_1', 0, 0],
          ['head_2', 0, 0],
        ],
      },
      keras_version: '2.15.0',
    });
    const model = await readModelFile(file);
    expect(model.graph!.outputs).toEqual([ref('head_1'), ref('head_2')]);
    const built = buildModel(model.layers, [2], describeLayer, model.graph);
    expect(built.model.outputs.map((output) => output.shape)).toEqual([
      [null, 1],
      [null, 1],
    ]);
    // The shared layer's weights exist once.
    expect(built.model.getLayer('shared').countParams()).toBe(6);
    built.model.dispose();
    // Joined for the probe: one row per example, each output's values in turn.
    const joined = buildModel(model.layers, [2], describeLayer, model.graph, { joinOutputs: true });
    expect(joined.model.outputs.map((output) => output.shape)).toEqual([[null, 2]]);
    expect(joined.outputShapes).toEqual([[1], [1]]);
    joined.model.dispose();
  });

  it('MobileNet v1 at 224x224x3 (Keras 2, relu6 activations) loads and builds', async () => {
    const model = await readModelFile(fixture('keras2-mobilenet-224.json'));
    expect(model.declaredInputShape).toEqual([224, 224, 3]);
    const built = buildModel(model.layers, [224, 224, 3], describeLayer, model.graph);
    expect(built.model.outputs[0]!.shape).toEqual([null, 1000]);
    expect(built.model.countParams()).toBe(4_253_864);
    built.model.dispose();
  });

  it('Bidirectional(LSTM) and TimeDistributed(Dense) wrap their converted layer', async () => {
    const model = await readModelFile(fixture('keras2-bilstm-pos-tagger.json'));
    expect(model.graph).toBeUndefined();
    expect(model.layers[1]).toMatchObject({
      type: 'bidirectional',
      mergeMode: 'concat',
      layer: { type: 'lstm', units: 256 },
    });
    expect(model.layers[2]).toMatchObject({ type: 'timeDistributed', layer: { type: 'dense', units: 27 } });
  });
});

describe('graph edits', () => {
  const chain: ModelGraph = {
    inputs: ['x'],
    layers: [
      { spec: { type: 'dense', name: 'a', units: 2 }, calls: [[ref('x')]] },
      { spec: { type: 'add', name: 'sum' }, calls: [[ref('a'), ref('x')]] },
    ],
    outputs: [ref('a')],
  };

  it('insertAfter rewires every reader of the layer, outputs included, and names the new layers freely', () => {
    const edited = insertAfter(chain, 'a', [{ type: 'batchNormalization', name: 'a' }]);
    expect(edited.layers.map(layerName)).toEqual(['a', 'a_2', 'sum']);
    expect(edited.layers[1]!.calls).toEqual([[ref('a')]]);
    expect(edited.layers[2]!.calls).toEqual([[ref('a_2'), ref('x')]]);
    expect(edited.outputs).toEqual([ref('a_2')]);
  });
});
