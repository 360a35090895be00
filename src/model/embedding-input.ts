/**
 * Whether the model's input goes straight into an Embedding layer: then every input value is a
 * token id, an index into the layer's table of `inputDim` rows, not a measurement. Pure: no tfjs.
 */
import { firstLayer } from './first-layer.js';
import type { LayerSpec } from './layer-spec.js';

export interface EmbeddingInput {
  /** The Embedding layer's index in the layer list. */
  index: number;
  /** Rows of its table: valid ids are the integers 0 .. inputDim - 1. */
  inputDim: number;
}

/** The Embedding that reads the model's input, if the first layer (after an input layer) is one. */
export function embeddingInput(layers: readonly LayerSpec[]): EmbeddingInput | undefined {
  const first = firstLayer(layers);
  if (first?.layer.type !== 'embedding' || typeof first.layer['inputDim'] !== 'number') return undefined;
  return { index: first.index, inputDim: first.layer['inputDim'] };
}
