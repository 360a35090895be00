/**
 * Builds a tfjs Sequential model from layer specs (the config's `model.layers`, or a converted
 * model file). Each layer gets a stable Keras-style name (`dense_1`), and an activation inside a
 * dense or conv layer becomes an activation layer of its own (`dense_1_relu`), so the probe can
 * measure pre-activations for saturation; the function computed is the same.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { LayerSummary } from '../probe/trace.js';
import { ACTIVATION_LAYERS, LAYER_TYPES, WEIGHTED_WITH_ACTIVATION } from './catalog.js';
import type { LayerSpec } from './layer-spec.js';

export type { LayerSpec } from './layer-spec.js';

/** Where a user's layer can be measured in the built model. */
export interface MeasurePoint {
  layer: string;
  /** The layer's activation ('linear' when it has none). */
  activation: string;
  /** Index in `model.layers` of the layer's final output. */
  outputIndex: number;
  /** Index of the layer whose output is this layer's pre-activation (-1: the model input); null without an activation. */
  preActivationIndex: number | null;
}

export interface BuiltModel {
  model: tf.Sequential;
  layers: LayerSummary[];
  /** One per entry of `layers`. */
  measurePoints: MeasurePoint[];
  /** The user's name of each trainable variable, by the tfjs variable's name (which tfjs may suffix). */
  variableNames: Map<string, string>;
}

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const FACTORIES = tf.layers as unknown as Record<string, Factory>;

/**
 * `describeLayer(i)` names a layer in messages, e.g. "model.layers.2" or "layer 2 of model.json".
 * Call inside a seeded-random scope: weights are initialized from Math.random.
 */
export function buildModel(specs: readonly LayerSpec[], inputShape: readonly number[], describeLayer: (index: number) => string): BuiltModel {
  const model = tf.sequential();
  const layers: LayerSummary[] = [];
  const measurePoints: MeasurePoint[] = [];
  const counts = new Map<string, number>();
  specs.forEach((spec, index) => {
    const { type, name: givenName, activation, ...config } = spec;
    if (!(LAYER_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError([`${describeLayer(index)}: layer type "${type}" is not supported.${didYouMean(type, LAYER_TYPES)} convdoc builds these tfjs-layers types: ${LAYER_TYPES.join(', ')}.`]);
    }
    const count = (counts.get(type) ?? 0) + 1;
    counts.set(type, count);
    const name = typeof givenName === 'string' ? givenName : `${snakeCase(type)}_${count}`;
    const first = index === 0 ? { inputShape: [...inputShape] } : {};
    const split = WEIGHTED_WITH_ACTIVATION.has(type) && activation !== undefined && activation !== 'linear';
    const layerConfig = { ...config, ...first, name, ...(activation === undefined || split ? {} : { activation }) };
    addLayer(model, construct(type, layerConfig, describeLayer(index)), describeLayer(index));
    const built = model.layers.length - 1;
    const ownActivation = split ? String(activation) : ACTIVATION_LAYERS[type]?.(spec);
    if (split) addLayer(model, tf.layers.activation({ activation: activation as never, name: `${name}_${ownActivation}` }), describeLayer(index));
    measurePoints.push({
      layer: name,
      activation: ownActivation ?? (typeof activation === 'string' ? activation : 'linear'),
      outputIndex: model.layers.length - 1,
      preActivationIndex: ownActivation === undefined ? null : split ? built : built - 1,
    });
    layers.push({
      name,
      type,
      activation: measurePoints.at(-1)!.activation,
      outputShape: [...(model.layers.at(-1)!.outputShape as (number | null)[])],
      params: model.layers[built]!.countParams(),
    });
  });
  const variableNames = new Map(model.trainableWeights.map((weight) => [weight.name, weight.originalName]));
  return { model, layers, measurePoints, variableNames };
}

/** Adding a layer infers its output shape: a layer that does not fit its input fails here. */
function addLayer(model: tf.Sequential, layer: tf.layers.Layer, where: string): void {
  try {
    model.add(layer);
  } catch (error) {
    throw new ConfigError([`${where}: this ${layer.getClassName()} layer does not fit the output of the layer before it: ${(error as Error).message}`]);
  }
}

function construct(type: string, config: Record<string, unknown>, where: string): tf.layers.Layer {
  try {
    return FACTORIES[type]!(config);
  } catch (error) {
    throw new ConfigError([`${where}: tfjs cannot build this ${type} layer: ${(error as Error).message}`]);
  }
}

/** `maxPooling2d` → `max_pooling2d`, `simpleRNN` → `simple_rnn`, as Keras names layers. */
function snakeCase(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}
