/**
 * Keras 2 (2.4 to 2.15) records a TensorFlow function applied to a layer output in a functional
 * model as a TFOpLambda layer naming the function (`math.truediv`) and keeping its other arguments in
 * each call's kwargs (`{"y": 127.5, "name": null}`). Two kinds are layers tfjs-layers has:
 * arithmetic with one number, as `x / 255.0` or `keras.applications.*.preprocess_input` write it,
 * which is a Rescaling; and an activation function (`tf.nn.relu(x)`), which is an Activation. Any
 * other function, or a constant that is not one number, stays refused as Python code.
 */
import { isPlainObject } from '../util/plain-object.js';
import type { KerasObject } from './keras-layer.js';
import type { LayerSpec } from './layer-spec.js';

/** `x <op> y` for a number y, as Rescaling's `x * scale + offset`. */
const SCALAR_OPS: Readonly<Record<string, (y: number) => { scale: number; offset: number }>> = {
  'math.truediv': (y) => ({ scale: 1 / y, offset: 0 }),
  'math.divide': (y) => ({ scale: 1 / y, offset: 0 }),
  'math.multiply': (y) => ({ scale: y, offset: 0 }),
  '__operators__.add': (y) => ({ scale: 1, offset: y }),
  'math.add': (y) => ({ scale: 1, offset: y }),
  'math.subtract': (y) => ({ scale: 1, offset: -y }),
};

/** TensorFlow activation functions and the tfjs activation each is. */
const ACTIVATION_OPS: Readonly<Record<string, string>> = {
  'nn.relu': 'relu',
  'nn.relu6': 'relu6',
  'nn.elu': 'elu',
  'nn.selu': 'selu',
  'nn.gelu': 'gelu',
  'nn.silu': 'swish',
  'nn.swish': 'swish',
  'nn.softplus': 'softplus',
  'math.softplus': 'softplus',
  'math.sigmoid': 'sigmoid',
  'nn.sigmoid': 'sigmoid',
  'math.tanh': 'tanh',
  'nn.tanh': 'tanh',
};

/**
 * The kwargs of each call, without the op's `name`. A TFOpLambda call on one tensor is written
 * `[layer, node, tensor, kwargs]`, not inside a list as other layers' calls are; both are read.
 */
function callKwargs(layer: KerasObject): Record<string, unknown>[] | undefined {
  const nodes = layer['inbound_nodes'];
  if (!Array.isArray(nodes) || nodes.length === 0) return undefined;
  const kwargs = nodes.map((node: unknown) => {
    const call = Array.isArray(node) && node.length === 1 && Array.isArray(node[0]) ? (node[0] as unknown[]) : node;
    const first: unknown = Array.isArray(call) && typeof call[0] === 'string' ? call[3] : undefined;
    if (!isPlainObject(first)) return undefined;
    const { name: _name, ...rest } = first;
    return rest;
  });
  return kwargs.every((item) => item !== undefined) ? kwargs : undefined;
}

/** The layer a TFOpLambda is, or undefined when it is other TensorFlow code. */
export function tfOpLambdaLayer(layer: KerasObject): LayerSpec | undefined {
  const fn = layer.config['function'];
  const kwargs = typeof fn === 'string' ? callKwargs(layer) : undefined;
  if (kwargs === undefined) return undefined;
  const [first, ...rest] = kwargs.map((item) => JSON.stringify(item));
  // Each call of a shared op must compute the same function.
  if (rest.some((item) => item !== first)) return undefined;
  const only = kwargs[0]!;
  const keys = Object.keys(only);
  const activation = ACTIVATION_OPS[fn as string];
  if (activation !== undefined && keys.length === 0) return { type: 'activation', activation };
  const scalar = SCALAR_OPS[fn as string];
  const y = only['y'];
  if (scalar === undefined || keys.length !== 1 || typeof y !== 'number' || !Number.isFinite(y) || y === 0)
    return undefined;
  return { type: 'rescaling', ...scalar(y) };
}
