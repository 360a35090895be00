import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/probe/backend.js';
import { planLayerWalk, walkLayers } from '../../src/probe/layer-walk.js';

beforeAll(async () => {
  await selectBackend('cpu', []);
});

/** What the walk hands out, per symbolic tensor id, read before it is disposed. */
function walkValues(model: tf.LayersModel, xs: tf.Tensor): Map<number, Float32Array> {
  const seen = new Map<number, Float32Array>();
  walkLayers(planLayerWalk(model), model.inputs[0]!, xs, (output, value) =>
    seen.set(output.id, value.dataSync() as Float32Array),
  );
  return seen;
}

/** The same outputs through tfjs' own forward pass: a model that exposes them all. */
function exposedValues(model: tf.LayersModel, outputs: tf.SymbolicTensor[], xs: tf.Tensor): Float32Array[] {
  return tf.tidy(() => {
    const result = tf.model({ inputs: model.inputs, outputs }).predict(xs);
    return (Array.isArray(result) ? result : [result]).map((tensor) => tensor.dataSync() as Float32Array);
  });
}

/** input → a → b, add(a, b) → c, the shared c again on a, concatenate → output: a skip, a merge, a shared layer. */
function residualGraph() {
  const input = tf.input({ shape: [3] });
  const a = tf.layers.dense({ units: 4, activation: 'relu', name: 'a' }).apply(input) as tf.SymbolicTensor;
  const b = tf.layers.dense({ units: 4, activation: 'tanh', name: 'b' }).apply(a) as tf.SymbolicTensor;
  const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
  const shared = tf.layers.dense({ units: 2, name: 'c' });
  const c1 = shared.apply(sum) as tf.SymbolicTensor;
  const c2 = shared.apply(a) as tf.SymbolicTensor;
  const joined = tf.layers.concatenate({ name: 'joined' }).apply([c1, c2]) as tf.SymbolicTensor;
  const output = tf.layers.dense({ units: 1, name: 'out' }).apply(joined) as tf.SymbolicTensor;
  return { model: tf.model({ inputs: input, outputs: output }), tensors: [a, b, sum, c1, c2, joined, output] };
}

describe('the layer walk', () => {
  it("gives every call's output of a graph (skip, merge, shared layer) as tfjs' forward pass does, and leaks nothing", () => {
    const { model, tensors } = residualGraph();
    const xs = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
    const expected = exposedValues(model, tensors, xs);
    const before = tf.memory().numTensors;
    const seen = walkValues(model, xs);
    expect(tf.memory().numTensors).toBe(before - 1);
    tensors.forEach((tensor, index) => expect([...seen.get(tensor.id)!]).toEqual([...expected[index]!]));
    model.dispose();
  });

  it('holds at most the outputs still waiting for a reader', () => {
    // A chain 3 → 10 → 20 → 5 holds a layer's input and output: at most 10 + 20 values per row.
    const chain = tf.sequential({
      layers: [
        tf.layers.dense({ units: 10, inputShape: [3] }),
        tf.layers.dense({ units: 20 }),
        tf.layers.dense({ units: 5 }),
      ],
    });
    expect(planLayerWalk(chain).peakValuesPerRow).toBe(30);
    // The graph keeps a (4 values) for the skip and the shared call: the most is a, b and their sum at once.
    const { model } = residualGraph();
    expect(planLayerWalk(model).peakValuesPerRow).toBe(4 + 4 + 4);
    chain.dispose();
    model.dispose();
  });

  it('passes masks on as tfjs does: a Masking layer still reaches the LSTM', () => {
    const model = tf.sequential({
      layers: [tf.layers.masking({ maskValue: 0, inputShape: [4, 2] }), tf.layers.lstm({ units: 3 })],
    });
    const xs = tf.tensor3d([
      [
        [1, 2],
        [0, 0],
        [3, 1],
        [0, 0],
      ],
    ]);
    const lstmOutput = model.layers[1]!.output as tf.SymbolicTensor;
    const [expected] = exposedValues(model, [lstmOutput], xs);
    const seen = walkValues(model, xs);
    expect([...seen.get(lstmOutput.id)!]).toEqual([...expected!]);
    model.dispose();
  });
});
