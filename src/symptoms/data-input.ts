/** What the data checks judge: the dataset's statistics, and what the model expects of it when known. */
import type { DataSummary } from '../data/summary.js';
import { embeddingInput } from '../model/embedding-input.js';
import type { LayerSpec } from '../model/layer-spec.js';

export interface DataCheckInput {
  data: DataSummary;
  /** Units of the model's output layer, when the config's layer list says (for class-id ranges). */
  outputUnits?: number;
  /**
   * Set when the features feed an Embedding layer: they are token ids, to be judged as indices
   * (data-token-ids), never as measurements to scale (unscaled-inputs skips them).
   */
  tokenIds?: TokenIdInput;
}

export interface TokenIdInput {
  /** Rows of the Embedding's table: valid ids are 0 .. inputDim - 1. */
  inputDim: number;
  /** The key of the layer's inputDim, e.g. `model.layers.0.inputDim`. */
  inputDimKey: string;
}

/** The root mean square of a column, sqrt(mean² + std²): how large its values are, offset included. */
export function rootMeanSquare(column: { mean: number; std: number }): number {
  return Math.hypot(column.mean, column.std);
}

/** The token-id facts for the data checks when the model's input feeds an Embedding layer. */
export function tokenIdInput(
  layers: readonly LayerSpec[],
  layerKey: (index: number) => string,
): TokenIdInput | undefined {
  const embedding = embeddingInput(layers);
  return embedding && { inputDim: embedding.inputDim, inputDimKey: `${layerKey(embedding.index)}.inputDim` };
}
