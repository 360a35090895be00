/**
 * One Keras layer config → one layer spec, the same shape as an entry of the config's `model.layers`.
 * The Keras class becomes its tfjs-layers factory name and snake_case becomes camelCase, as tfjs's
 * own Keras loader does (convertPythonicToTs); where Keras and tfjs-layers differ, the option is
 * mapped, approximated (with a note saying so) or refused. Pure data to data: nothing is executed.
 */
import tf from '../util/tfjs.cjs';
import { ConfigError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';
import { didYouMean } from '../util/suggest.js';
import type { LayerSpec } from './layer-spec.js';
import { LAYER_TYPES, WRAPPER_LAYERS } from './catalog.js';
import { tfOpLambdaLayer } from './tf-op-lambda.js';
// Registers Keras' Subtract class, which tfjs lacks, before the class table below is read.
import './subtract-layer.js';
// Makes tfjs' CenterCrop leave its input shape alone before any model is built.
import './center-crop-shape.js';

/** Who wrote the file: initializer and activation names mean different things in Keras and tfjs. */
export type Origin = 'keras2' | 'keras3' | 'tfjs';

export interface LayerContext {
  /** Names the layer in messages: `model.json: config.layers[2] "dense_1" (Dense)`. */
  where: string;
  origin: Origin;
  /** Receives one line for each option the tfjs layer can only approximate. */
  approximations: string[];
}

type Json = Record<string, unknown>;

/**
 * A serialized Keras object: `{class_name, config}`, plus `module` and `registered_name` since
 * Keras 2.13, and `name` and `inbound_nodes` for a layer of a functional model.
 */
export interface KerasObject {
  class_name: string;
  config: Json;
  [key: string]: unknown;
}

export function asKerasObject(value: unknown): KerasObject | undefined {
  if (!isPlainObject(value) || typeof value['class_name'] !== 'string') return undefined;
  return { ...value, class_name: value['class_name'], config: isPlainObject(value['config']) ? value['config'] : {} };
}

const REGISTERED = tf.serialization.SerializationMap.getMap().classNameMap;

/** Keras classes that are models; inside a model they would be a nested model. */
export const MODEL_CLASSES: ReadonlySet<string> = new Set(['Sequential', 'Functional', 'Model']);

function isLayerClass(className: string): boolean {
  const registered = REGISTERED[className];
  return registered !== undefined && registered[0].prototype instanceof tf.layers.Layer;
}

/**
 * Keras class → the tfjs factory convdoc builds. The factory is the class name in camelCase, but
 * tfjs spells it its own way (conv2d, cropping2D, reLU, prelu), so the match ignores case.
 */
const TYPE_BY_CLASS: ReadonlyMap<string, string> = new Map(
  Object.keys(REGISTERED).flatMap((className) => {
    const type = LAYER_TYPES.find((candidate) => candidate.toLowerCase() === className.toLowerCase());
    return type !== undefined && isLayerClass(className) ? [[className, type] as const] : [];
  }),
);
const SUPPORTED_CLASSES = [...TYPE_BY_CLASS.keys()].sort();

const CHANGE_IT = 'Replace it with built-in layers, or describe the model under model.layers instead of model.file.';

export function convertLayer(layer: KerasObject, context: LayerContext): LayerSpec {
  if (layer.class_name === 'TensorFlowOpLayer') return tensorFlowOpLayer(layer, context);
  const tfOp = layer.class_name === 'TFOpLambda' ? tfOpLambdaLayer(layer) : undefined;
  if (tfOp !== undefined) return tfOp;
  const substitute = SUBSTITUTES[layer.class_name];
  if (substitute !== undefined) {
    context.approximations.push(`${context.where}: ${substitute.note}.`);
    const config = Object.fromEntries(Object.entries(layer.config).filter(([key]) => !substitute.dropKeys.has(key)));
    return convertLayer({ ...layer, class_name: substitute.className, config }, context);
  }
  const type = layerType(layer, context);
  const spec: LayerSpec = { type };
  for (const [kerasKey, value] of Object.entries(renamedKeys(layer))) {
    if (value === null || DROPPED_KEYS.has(kerasKey) || !keepKerasOnlyOption(kerasKey, value, context)) continue;
    spec[camelCase(kerasKey)] = convertValue(kerasKey, value, context);
  }
  if (type === 'batchNormalization') spec['axis'] = singleAxis(spec['axis'], context);
  if (WRAPPER_LAYERS.has(type)) spec['layer'] = wrappedLayer(layer, context);
  return spec;
}

/**
 * Keras layers tfjs-layers lacks, probed as the nearest layer it has: the function differs, so each
 * is noted. Keras' spatial dropout zeroes whole feature maps; Dropout zeroes single values at the
 * same rate, so the layer's regularizing strength is close but its correlation structure is not.
 */
const SUBSTITUTES: Readonly<Record<string, { className: string; dropKeys: ReadonlySet<string>; note: string }>> = {
  SpatialDropout2D: {
    className: 'Dropout',
    dropKeys: new Set(['data_format']),
    note: 'probed as Dropout (tfjs-layers has no SpatialDropout2D): single values are dropped, not whole feature maps',
  },
  SpatialDropout3D: {
    className: 'Dropout',
    dropKeys: new Set(['data_format']),
    note: 'probed as Dropout (tfjs-layers has no SpatialDropout3D): single values are dropped, not whole feature maps',
  },
};

/** TensorFlow ops that are a merge layer when applied to two layer outputs and no constants. */
const MERGE_OPS: Readonly<Record<string, string>> = {
  Add: 'add',
  AddV2: 'add',
  Sub: 'subtract',
  Mul: 'multiply',
  Maximum: 'maximum',
  Minimum: 'minimum',
};

/**
 * Keras 2 records `x + y` on two layer outputs as a TensorFlowOpLayer running the TensorFlow op
 * (AddV2). The elementwise ops with no constant operand are the merge layers of the same name;
 * any other op is TensorFlow code tfjs-layers cannot run.
 */
function tensorFlowOpLayer({ config }: KerasObject, { where }: LayerContext): LayerSpec {
  const nodeDef = isPlainObject(config['node_def']) ? config['node_def'] : {};
  const op = typeof nodeDef['op'] === 'string' ? nodeDef['op'] : '?';
  const constants = isPlainObject(config['constants']) ? Object.keys(config['constants']).length : 0;
  const type = MERGE_OPS[op];
  if (type === undefined || constants > 0)
    throw new ConfigError([
      `${where}: a TensorFlow op layer (${op}${constants > 0 ? ' with a constant operand' : ''}) runs TensorFlow code that tfjs-layers cannot. ${CHANGE_IT}`,
    ]);
  return { type };
}

/** A wrapper's layer (`Bidirectional(LSTM(...))`), converted as a layer of its own. */
function wrappedLayer({ config }: KerasObject, context: LayerContext): LayerSpec {
  const inner = asKerasObject(config['layer']);
  if (inner === undefined)
    throw new ConfigError([`${context.where}: the wrapper has no layer ({"class_name": ..., "config": {...}}).`]);
  return convertLayer(inner, { ...context, where: `${context.where} > ${inner.class_name}` });
}

function layerType(layer: KerasObject, { where }: LayerContext): string {
  const className = layer.class_name;
  // Lambda, and Keras 2's TFOpLambda and SlicingOpLambda, which wrap TensorFlow calls made in Python.
  if (className.endsWith('Lambda')) {
    const fn = typeof layer.config['function'] === 'string' ? ` (tf.${layer.config['function']})` : '';
    throw new ConfigError([
      `${where}: a ${className} layer${fn} is Python code, and model files are data: nothing in them is executed. ${CHANGE_IT}`,
    ]);
  }
  if (customName(layer) !== undefined) {
    throw new ConfigError([
      `${where}: custom layer class (registered as "${customName(layer)}"); its code is not in the file, and convdoc runs no code from model files. ${CHANGE_IT}`,
    ]);
  }
  if (MODEL_CLASSES.has(className)) {
    throw new ConfigError([
      `${where}: a model wrapped in a layer wrapper: convdoc flattens nested models, but not inside Bidirectional or TimeDistributed. Wrap its layers one by one instead.`,
    ]);
  }
  const type = TYPE_BY_CLASS.get(className);
  if (type !== undefined) return type;
  const advice = KERAS_LAYER_ADVICE[className];
  if (advice !== undefined) throw new ConfigError([`${where}: tfjs-layers has no ${className} layer: ${advice}.`]);
  const reason = isLayerClass(className)
    ? 'convdoc does not build this layer type yet'
    : KERAS_LAYERS_WITHOUT_TFJS.has(className)
      ? `tfjs-layers has no ${className} layer, so convdoc cannot rebuild it`
      : 'tfjs-layers has no such layer class (a custom or newer Keras layer?), so convdoc cannot rebuild it';
  throw new ConfigError([
    `${where}: ${reason}.${didYouMean(className, SUPPORTED_CLASSES)} Supported layers: ${SUPPORTED_CLASSES.join(', ')}.`,
  ]);
}

/**
 * Built-in Keras layers that tfjs-layers 4.22 does not have (checked against its serialization map),
 * so that the message does not call them custom.
 */
const KERAS_LAYERS_WITHOUT_TFJS: ReadonlySet<string> = new Set([
  'Normalization',
  'MultiHeadAttention',
  'Attention',
  'AdditiveAttention',
  'EinsumDense',
  'GroupNormalization',
  'UnitNormalization',
  'SeparableConv1D',
  'DepthwiseConv1D',
  'Conv1DTranspose',
  'ZeroPadding1D',
  'ZeroPadding3D',
  'UpSampling1D',
  'UpSampling3D',
  'Cropping1D',
  'Cropping3D',
  'GlobalAveragePooling3D',
  'GlobalMaxPooling3D',
  'Discretization',
  'Hashing',
  'StringLookup',
  'IntegerLookup',
  'TextVectorization',
]);

/** What to do instead, for the layers of KERAS_LAYERS_WITHOUT_TFJS where there is something. */
const KERAS_LAYER_ADVICE: Readonly<Record<string, string>> = {
  // Its mean and variance come from adapt() and are weights, which the model file does not hold.
  Normalization: 'remove it and set data.normalize: standardize, which scales the inputs the same way',
  StringLookup: 'feed the token ids it produces instead',
  IntegerLookup: 'feed the ids it produces instead',
  TextVectorization: 'feed the token ids it produces instead',
};

/** Keras 3 writes a custom class's registered name (`my_package>MyLayer`); built-in classes have null. */
function customName(object: KerasObject): string | undefined {
  const registered = object['registered_name'];
  return typeof registered === 'string' && registered !== object.class_name ? registered : undefined;
}

/** Keys that say the same thing under another name in tfjs-layers. */
function renamedKeys({ class_name: className, config }: KerasObject): Json {
  // Keras 3 renamed LeakyReLU's `alpha` (Keras 2, tfjs) to `negative_slope`.
  if (className === 'LeakyReLU' && 'negative_slope' in config) {
    const { negative_slope: alpha, ...rest } = config;
    return { ...rest, alpha };
  }
  return config;
}

/**
 * Dropped whatever their value. The dtype policy and build state are Keras bookkeeping (the probe
 * computes in float32); input-shape keys because convdoc takes the input shape from the data; the
 * rest choose an implementation or a device strategy, not the function computed.
 */
const DROPPED_KEYS: ReadonlySet<string> = new Set([
  'dtype',
  'batch_input_shape',
  'batch_shape',
  'input_shape',
  'build_config',
  'autocast',
  'fused',
  'synchronized',
  'implementation',
  'use_cudnn',
  'time_major',
  'zero_output_for_mask',
  'renorm_clipping',
  'renorm_momentum',
  'lora_alpha',
  // Keras writes a Bidirectional's backward layer too; tfjs builds it as the mirror of `layer`
  // (go_backwards), which is what Keras builds unless a custom backward layer was given.
  'backward_layer',
]);

/**
 * Keras options the tfjs layer cannot carry over: tfjs-layers lacks them, or (stateful) the probe
 * cannot honour them. At their neutral value they are dropped; otherwise refused, or approximated and noted.
 */
const KERAS_ONLY_OPTIONS: Readonly<
  Record<string, { neutral: unknown } & ({ refuse: string } | { approximate: string })>
> = {
  groups: { neutral: 1, refuse: 'tfjs-layers has no grouped convolution' },
  keepdims: {
    neutral: false,
    refuse: 'tfjs-layers global pooling always drops the pooled axes; add a reshape layer after it instead',
  },
  output_padding: { neutral: null, refuse: 'tfjs-layers Conv2DTranspose has no output_padding' },
  rms_scaling: { neutral: false, refuse: 'tfjs-layers LayerNormalization has no RMS scaling' },
  negative_slope: { neutral: 0, refuse: 'tfjs-layers ReLU has no negative_slope; use a LeakyReLU layer' },
  threshold: { neutral: 0, refuse: 'tfjs-layers ReLU has no threshold' },
  // tfjs-layers' GRU has only the reset_after=False variant (reset gate applied before the recurrent
  // matmul); tf.keras 2 and Keras 3 default to reset_after=True, so most Keras GRUs land here.
  reset_after: { neutral: false, approximate: 'probed with reset_after false, the only GRU variant tfjs-layers has' },
  renorm: {
    neutral: false,
    approximate: 'probed as plain batch normalization (tfjs-layers has no batch renormalization)',
  },
  virtual_batch_size: {
    neutral: null,
    approximate: 'probed with full-batch statistics (tfjs-layers has no ghost batch normalization)',
  },
  stateful: { neutral: false, approximate: 'probed as a stateless RNN, since the probe feeds shuffled batches' },
  lora_rank: {
    neutral: null,
    approximate: 'LoRA is not modelled: probed as a plain Dense layer whose whole kernel trains',
  },
  quantization_config: { neutral: null, approximate: 'quantization is not modelled: probed in float32' },
  // tfjs-layers throws "Layer invocation in the presence of activity regularizer(s) is not supported yet".
  activity_regularizer: {
    neutral: null,
    approximate: 'probed without the activity penalty (tfjs-layers cannot call a layer that has one)',
  },
};

/** Values of shared options that a tfjs layer takes under the same key but cannot compute. */
const UNSUPPORTED_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // tfjs-layers' conv1d throws "The support for CAUSAL padding mode in conv1dWithBias is not implemented yet".
  padding: { causal: 'tfjs-layers convolutions have no causal padding; use padding "valid" on a left-padded sequence' },
};

function keepKerasOnlyOption(key: string, value: unknown, { where, approximations }: LayerContext): boolean {
  const unsupported = typeof value === 'string' ? UNSUPPORTED_VALUES[key]?.[value] : undefined;
  if (unsupported !== undefined)
    throw new ConfigError([
      `${where}: ${key} ${JSON.stringify(value)} has no tfjs equivalent: ${unsupported}. ${CHANGE_IT}`,
    ]);
  const option = KERAS_ONLY_OPTIONS[key];
  if (option === undefined) return true;
  if (value === option.neutral) return false;
  const setting = `${key} ${JSON.stringify(value)}`;
  if ('refuse' in option)
    throw new ConfigError([`${where}: ${setting} has no tfjs equivalent: ${option.refuse}. ${CHANGE_IT}`]);
  approximations.push(`${where}: ${setting}: ${option.approximate}.`);
  return false;
}

function convertValue(key: string, value: unknown, context: LayerContext): unknown {
  if (key === 'name' || key === 'layer') return value;
  if (key === 'activation' || key === 'recurrent_activation') return convertActivation(key, value, context);
  if (key.endsWith('_initializer')) return convertInitializer(key, value, context);
  if (key.endsWith('_regularizer')) return convertRegularizer(key, value, context);
  if (key.endsWith('_constraint')) return convertConstraint(key, value, context);
  return pythonicToTs(value);
}

/** snake_case → camelCase exactly as tfjs-layers' toCamelCase does, for keys and string values alike. */
function camelCase(identifier: string): string {
  return identifier.replace(/_+(\w|$)/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * A Keras config value as tfjs takes it: keys and strings in camelCase ('channels_last' →
 * 'channelsLast'), as tfjs's own loader converts them. A null value means "not set": leaving the key
 * out lets tfjs apply its default, where some tfjs constructors would take the null as a value.
 */
function pythonicToTs(value: unknown): unknown {
  if (typeof value === 'string') return camelCase(value);
  if (Array.isArray(value)) return value.map(pythonicToTs);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).flatMap(([key, item]) => (item === null ? [] : [[camelCase(key), pythonicToTs(item)]])),
    );
  }
  return value;
}

/** The activations tfjs-layers registers: the lowercase entries of its serialization map. */
export const TFJS_ACTIVATIONS = Object.keys(REGISTERED)
  .filter((name) => /^[a-z]/.test(name))
  .sort();
/** Keras activation names that tfjs spells differently. */
const KERAS_ACTIVATION_NAMES: Readonly<Record<string, string>> = {
  silu: 'swish',
  hard_sigmoid: 'hardSigmoid',
  log_softmax: 'logSoftmax',
};

function convertActivation(key: string, value: unknown, { where, origin, approximations }: LayerContext): string {
  if (typeof value !== 'string') {
    throw new ConfigError([
      `${where}: ${key} is a custom activation function (Python code); convdoc runs no code from model files. Use a built-in activation: ${TFJS_ACTIVATIONS.join(', ')}.`,
    ]);
  }
  const activation = KERAS_ACTIVATION_NAMES[value] ?? value;
  if (!TFJS_ACTIVATIONS.includes(activation)) {
    throw new ConfigError([
      `${where}: ${key} "${value}" has no tfjs-layers equivalent.${didYouMean(activation, TFJS_ACTIVATIONS)} Use one of: ${TFJS_ACTIVATIONS.join(', ')}.`,
    ]);
  }
  if (origin === 'keras3' && value === 'hard_sigmoid') {
    approximations.push(
      `${where}: ${key} "hard_sigmoid": Keras 3's is relu6(x + 3) / 6, tfjs's is clip(0.2x + 0.5, 0, 1); probed with tfjs's.`,
    );
  }
  return activation;
}

/** `{class_name, config}` or a Keras identifier string ('glorot_uniform') → class name and camelCase config. */
function kerasParts(key: string, value: unknown, { where }: LayerContext): { className: string; config: Json } {
  if (typeof value === 'string') return { className: upperFirst(camelCase(value)), config: {} };
  const object = asKerasObject(value);
  if (object === undefined)
    throw new ConfigError([
      `${where}: ${key} is not a Keras serialized object ({"class_name": ..., "config": {...}}).`,
    ]);
  if (customName(object) !== undefined) {
    throw new ConfigError([
      `${where}: ${key} is a custom class (registered as "${customName(object)}"); convdoc runs no code from model files. ${CHANGE_IT}`,
    ]);
  }
  return { className: object.class_name, config: pythonicToTs(object.config) as Json };
}

const upperFirst = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);
const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);

type InitializerFactory = (args: object) => tf.serialization.Serializable;
const INITIALIZER_FACTORIES = tf.initializers as unknown as Record<string, InitializerFactory>;
const TFJS_INITIALIZERS = Object.keys(INITIALIZER_FACTORIES).map(upperFirst).sort();

/** Keras initializer class names (and identifier aliases) that tfjs spells differently. */
const KERAS_INITIALIZER_NAMES: Readonly<Record<string, string>> = {
  LecunNormal: 'LeCunNormal',
  LecunUniform: 'LeCunUniform',
  IdentityInitializer: 'Identity',
  OrthogonalInitializer: 'Orthogonal',
  Zero: 'Zeros',
  One: 'Ones',
  Uniform: 'RandomUniform',
  Normal: 'RandomNormal',
};

/** Keras' named variance-scaling initializers, as the VarianceScaling configs Keras defines them by. */
const KERAS_VARIANCE_SCALING: Readonly<Record<string, Json>> = {
  GlorotUniform: { scale: 1, mode: 'fanAvg', distribution: 'uniform' },
  GlorotNormal: { scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal' },
  HeUniform: { scale: 2, mode: 'fanIn', distribution: 'uniform' },
  HeNormal: { scale: 2, mode: 'fanIn', distribution: 'truncatedNormal' },
  LeCunUniform: { scale: 1, mode: 'fanIn', distribution: 'uniform' },
  LeCunNormal: { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal' },
};

/** The standard deviation of a unit normal truncated at ±2 (scipy.stats.truncnorm.std(-2, 2)). */
const TRUNCATED_NORMAL_STD = 0.87962566103423978;

function convertInitializer(key: string, value: unknown, context: LayerContext): unknown {
  const parts = kerasParts(key, value, context);
  const className = KERAS_INITIALIZER_NAMES[parts.className] ?? parts.className;
  if (!TFJS_INITIALIZERS.includes(className)) {
    throw new ConfigError([
      `${context.where}: ${key} ${className} is not a tfjs-layers initializer.${didYouMean(className, TFJS_INITIALIZERS)} Use one of: ${TFJS_INITIALIZERS.join(', ')}.`,
    ]);
  }
  const initializer =
    context.origin === 'tfjs' ? { className, config: parts.config } : asTfjsVarianceScaling(className, parts.config);
  return asIdentifier(initializer);
}

/**
 * Keras draws "normal" variance scaling from a normal truncated at ±2 standard deviations whose
 * standard deviation it first divides by TRUNCATED_NORMAL_STD, so the samples keep the intended
 * variance; tfjs truncates without the correction, so its weights come out about 12% smaller.
 * Scaling tfjs's `scale` (a variance) by 1 / TRUNCATED_NORMAL_STD² gives Keras' spread back.
 */
function asTfjsVarianceScaling(className: string, config: Json): { className: string; config: Json } {
  const named = KERAS_VARIANCE_SCALING[className];
  if (named === undefined && className !== 'VarianceScaling') return { className, config };
  // Keras' VarianceScaling defaults, for hand-written files that leave keys out.
  const keras = { scale: 1, mode: 'fanIn', distribution: 'truncatedNormal', ...config, ...named };
  if (keras.distribution === 'uniform') return { className: 'VarianceScaling', config: keras };
  // 'normal' is Keras 2's old alias of 'truncated_normal'; 'untruncated_normal' has the same variance.
  const scale = Number(keras.scale) / TRUNCATED_NORMAL_STD ** 2;
  return { className: 'VarianceScaling', config: { ...keras, scale, distribution: 'normal' } };
}

/** tfjs' named variance-scaling initializers, then the plain one, in the order they are tried. */
const VARIANCE_SCALING_IDENTIFIERS = [
  'glorotUniform',
  'glorotNormal',
  'heUniform',
  'heNormal',
  'leCunUniform',
  'leCunNormal',
  'varianceScaling',
];

/**
 * The plain tfjs identifier ('glorotUniform', 'zeros') when tfjs's default for it is this exact
 * initializer, else the serialized form. tfjs itself says what its defaults are.
 */
function asIdentifier(initializer: { className: string; config: Json }): unknown {
  const candidates =
    initializer.className === 'VarianceScaling' ? VARIANCE_SCALING_IDENTIFIERS : [lowerFirst(initializer.className)];
  const identifier = candidates.find((candidate) => {
    const defaults = tfjsDefaultConfig(candidate);
    return defaults !== undefined && Object.entries(initializer.config).every(([key, item]) => defaults[key] === item);
  });
  return identifier ?? initializer;
}

function tfjsDefaultConfig(identifier: string): Json | undefined {
  try {
    return INITIALIZER_FACTORIES[identifier]?.({}).getConfig();
  } catch {
    return undefined; // Constant has no default value.
  }
}

/** Keras' regularizer defaults (keras.regularizers): L1(0.01), L2(0.01), L1L2(0, 0); L1l2 is the identifier 'l1l2'. */
const KERAS_REGULARIZERS: Readonly<Record<string, Json>> = {
  L1: { l1: 0.01, l2: 0 },
  L2: { l1: 0, l2: 0.01 },
  L1L2: { l1: 0, l2: 0 },
  L1l2: { l1: 0, l2: 0 },
};

/** tfjs-layers has one regularizer class, L1L2, whose missing l1 or l2 defaults to 0.01, not 0: both are always given. */
function convertRegularizer(key: string, value: unknown, context: LayerContext): unknown {
  const { className, config } = kerasParts(key, value, context);
  const defaults = KERAS_REGULARIZERS[className];
  if (defaults === undefined) {
    throw new ConfigError([
      `${context.where}: ${key} ${className} is not a tfjs-layers regularizer: tfjs-layers has L1, L2 and L1L2 only. ${CHANGE_IT}`,
    ]);
  }
  return { className: 'L1L2', config: { ...defaults, ...config } };
}

const TFJS_CONSTRAINTS = Object.keys(tf.constraints).map(upperFirst).sort();

function convertConstraint(key: string, value: unknown, context: LayerContext): unknown {
  const { className, config } = kerasParts(key, value, context);
  if (!TFJS_CONSTRAINTS.includes(className)) {
    throw new ConfigError([
      `${context.where}: ${key} ${className} is not a tfjs-layers constraint. Use one of: ${TFJS_CONSTRAINTS.join(', ')}.`,
    ]);
  }
  return { className, config };
}

/** Keras 2 writes a built BatchNormalization's axis as a list ([3]); tfjs takes one axis number. */
function singleAxis(axis: unknown, { where }: LayerContext): unknown {
  if (!Array.isArray(axis)) return axis;
  if (axis.length === 1) return axis[0];
  throw new ConfigError([
    `${where}: axis ${JSON.stringify(axis)}: tfjs-layers BatchNormalization normalizes over one axis only. ${CHANGE_IT}`,
  ]);
}
