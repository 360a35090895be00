/**
 * A forward pass of a built model one layer call at a time, for any model tfjs-layers builds: a
 * Sequential chain or a functional graph (merges, shared layers, flattened nested models). Each
 * output is handed to the caller as soon as it is computed and disposed once the last call that
 * reads it has run, so memory holds the outputs still waiting for a reader (two in a chain, a few
 * across a ResNet's skip connections), never all of them. Masks travel as tfjs' own executor passes
 * them (engine/executor.ts), so a Masking layer still reaches the recurrent layers after it.
 */
import tf from '../util/tfjs.cjs';
import { shapeSize } from '../util/shape.js';

/** One call of a layer: the symbolic tensors it reads and makes. */
interface LayerCall {
  layer: tf.layers.Layer;
  inputs: tf.SymbolicTensor[];
  outputs: tf.SymbolicTensor[];
  /** Tensors whose last reader is this call: disposed after it. */
  released: tf.SymbolicTensor[];
}

export interface LayerWalk {
  calls: LayerCall[];
  /** The most float32 values per example held at once during the walk (the input included). */
  peakValuesPerRow: number;
}

/** Values one example makes in a tensor (its shape without the batch axis). */
function valuesPerRow(tensor: tf.SymbolicTensor): number {
  return shapeSize(tensor.shape.slice(1));
}

/** The calls that compute the model's outputs from its one input, each after the calls it reads from. */
function callOrder(model: tf.LayersModel): Omit<LayerCall, 'released'>[] {
  const producers = new Map<number, Omit<LayerCall, 'released'>>();
  const fed = new Set(model.inputs.map((input) => input.id));
  for (const layer of model.layers) {
    for (const node of layer.inboundNodes) {
      // An input layer's node reads and makes the input itself: the input is fed, not computed.
      if (node.outputTensors.some((output) => fed.has(output.id))) continue;
      const call = { layer, inputs: node.inputTensors, outputs: node.outputTensors };
      for (const output of node.outputTensors) producers.set(output.id, call);
    }
  }
  const ordered: Omit<LayerCall, 'released'>[] = [];
  const visited = new Set<Omit<LayerCall, 'released'>>();
  // Depth-first from the outputs, a call after its inputs' calls; explicit stack, as a deep graph would overflow recursion.
  const stack = model.outputs.map((output) => ({ call: producers.get(output.id), expanded: false }));
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.call === undefined || visited.has(top.call)) continue;
    if (top.expanded) {
      visited.add(top.call);
      ordered.push(top.call);
      continue;
    }
    stack.push({ call: top.call, expanded: true });
    for (const input of [...top.call.inputs].reverse()) stack.push({ call: producers.get(input.id), expanded: false });
  }
  return ordered;
}

/** The model's calls in order, with when each output can go and the peak of values held at once. */
export function planLayerWalk(model: tf.LayersModel): LayerWalk {
  const ordered = callOrder(model);
  const lastReader = new Map<number, number>();
  ordered.forEach((call, position) => call.inputs.forEach((input) => lastReader.set(input.id, position)));
  const released = ordered.map((): tf.SymbolicTensor[] => []);
  for (const call of ordered) {
    for (const output of call.outputs) released[lastReader.get(output.id) ?? ordered.indexOf(call)]!.push(output);
  }
  const input = model.inputs[0]!;
  released[lastReader.get(input.id) ?? 0]?.push(input);
  let held = valuesPerRow(input);
  let peakValuesPerRow = held;
  const calls = ordered.map((call, position) => {
    held += call.outputs.reduce((sum, output) => sum + valuesPerRow(output), 0);
    peakValuesPerRow = Math.max(peakValuesPerRow, held);
    held -= released[position]!.reduce((sum, tensor) => sum + valuesPerRow(tensor), 0);
    return { ...call, released: released[position]! };
  });
  return { calls, peakValuesPerRow };
}

/**
 * Runs `xs` through the walk's calls (inference mode); `onOutput` reads each output before it may
 * be disposed. Every tensor the walk makes is disposed by the time it returns, `xs` included.
 */
export function walkLayers(
  walk: LayerWalk,
  input: tf.SymbolicTensor,
  xs: tf.Tensor,
  onOutput: (output: tf.SymbolicTensor, value: tf.Tensor) => void,
): void {
  const values = new Map<number, tf.Tensor>([[input.id, xs]]);
  const masks = new Map<number, tf.Tensor>();
  try {
    for (const { layer, inputs, outputs, released } of walk.calls) {
      const made = tf.tidy(() => callLayer(layer, inputs, values, masks));
      outputs.forEach((output, index) => {
        values.set(output.id, made.outputs[index]!);
        if (made.mask[0] !== undefined) masks.set(output.id, made.mask[0]);
        onOutput(output, made.outputs[index]!);
      });
      for (const tensor of released) {
        values.get(tensor.id)?.dispose();
        values.delete(tensor.id);
      }
    }
  } finally {
    tf.dispose([...values.values(), ...masks.values()]);
  }
}

/** One call as tfjs' executor makes it: the inputs as a list, the first input's mask as `mask`. */
function callLayer(
  layer: tf.layers.Layer,
  inputs: tf.SymbolicTensor[],
  values: ReadonlyMap<number, tf.Tensor>,
  masks: ReadonlyMap<number, tf.Tensor>,
): { outputs: tf.Tensor[]; mask: tf.Tensor[] } {
  const inputValues = inputs.map((input) => values.get(input.id)!);
  const inputMasks = inputs.map((input) => masks.get(input.id)) as tf.Tensor[];
  const made = layer.apply(inputValues, { training: false, ...(inputMasks[0] && { mask: inputMasks[0] }) });
  const mask = layer.supportsMasking ? layer.computeMask(inputValues, inputMasks) : null;
  return {
    outputs: Array.isArray(made) ? (made as tf.Tensor[]) : [made as tf.Tensor],
    // tidy returns tensors, not null: no mask is an empty list.
    mask: [Array.isArray(mask) ? mask[0] : mask].filter((tensor): tensor is tf.Tensor => tensor != null),
  };
}
