/**
 * Builds a tfjs Sequential model from layer specs (the config's `model.layers`, or a converted
 * model file), as written: one tfjs layer per spec, each with a stable Keras-style name
 * (`dense_1`). Activations stay inside their layers; the probe reads saturation and dead units
 * from the outputs, whose order follows the pre-activations'.
 */
import * as tf from '@tensorflow/tfjs';
import { ConfigError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import type { LayerSummary } from '../trace/trace.js';
import { ACTIVATION_LAYERS, LAYER_TYPES } from './catalog.js';
import type { LayerSpec } from './layer-spec.js';

export type { LayerSpec } from './layer-spec.js';

export interface BuiltModel {
  model: tf.Sequential;
  /** One per spec, in order; `model.layers[i]` is the layer of `layers[i]`. */
  layers: LayerSummary[];
}

type Factory = (config: Record<string, unknown>) => tf.layers.Layer;
const FACTORIES = tf.layers as unknown as Record<string, Factory>;

/**
 * `describeLayer(i)` names a layer in messages, e.g. "model.layers.2" or "layer 2 of model.json".
 * Call inside a seeded-random scope: weights are initialized from Math.random.
 */
export function buildModel(
  specs: readonly LayerSpec[],
  inputShape: readonly number[],
  describeLayer: (index: number) => string,
): BuiltModel {
  const model = tf.sequential();
  const counts = new Map<string, number>();
  const layers = specs.map((spec, index): LayerSummary => {
    const { type, name: givenName, ...config } = spec;
    if (!(LAYER_TYPES as readonly string[]).includes(type)) {
      throw new ConfigError([
        `${describeLayer(index)}: layer type "${type}" is not supported.${didYouMean(type, LAYER_TYPES)} convdoc builds these tfjs-layers types: ${LAYER_TYPES.join(', ')}.`,
      ]);
    }
    const count = (counts.get(type) ?? 0) + 1;
    counts.set(type, count);
    const name = typeof givenName === 'string' ? givenName : `${snakeCase(type)}_${count}`;
    const first = index === 0 ? { inputShape: [...inputShape] } : {};
    const layer = construct(type, { ...config, ...first, name }, describeLayer(index));
    addLayer(model, layer, describeLayer(index));
    return {
      name,
      type,
      activation:
        ACTIVATION_LAYERS[type]?.(spec) ?? (typeof spec['activation'] === 'string' ? spec['activation'] : 'linear'),
      outputShape: [...(layer.outputShape as (number | null)[])],
      params: layer.countParams(),
    };
  });
  return { model, layers };
}

/** Adding a layer infers its output shape: a layer that does not fit its input fails here. */
function addLayer(model: tf.Sequential, layer: tf.layers.Layer, where: string): void {
  try {
    model.add(layer);
  } catch (error) {
    throw new ConfigError([
      `${where}: this ${layer.getClassName()} layer does not fit the output of the layer before it: ${(error as Error).message}`,
    ]);
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
