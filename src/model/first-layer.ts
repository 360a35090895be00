/** The layer that reads the model's input. Pure: no tfjs. */
import type { LayerSpec } from './layer-spec.js';

/** The first layer after an input layer, with its index in the layer list; undefined for none. */
export function firstLayer(layers: readonly LayerSpec[]): { index: number; layer: LayerSpec } | undefined {
  const index = layers.findIndex((layer) => layer.type !== 'inputLayer');
  return index < 0 ? undefined : { index, layer: layers[index]! };
}

/**
 * Whether the input goes straight into a BatchNormalization: it standardizes every feature over the
 * batch (Ioffe & Szegedy 2015, §3) before any weight sees it, so raw feature scales never reach a
 * gradient. A LayerNormalization does not: it scales each row as a whole, so one huge feature still
 * drowns the others.
 */
export function standardizesInputs(layers: readonly LayerSpec[]): boolean {
  return firstLayer(layers)?.layer.type === 'batchNormalization';
}
