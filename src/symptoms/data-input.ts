/** What the data checks judge: the dataset's statistics, and what the model expects of it when known. */
import type { DataSummary } from '../data/summary.js';

export interface DataCheckInput {
  data: DataSummary;
  /** Units of the model's output layer, when the config's layer list says (for class-id ranges). */
  outputUnits?: number;
  /**
   * The features feed an Embedding layer: they are token ids, never measurements to scale
   * (unscaled-inputs skips them); whether they fit its table is config-shape-mismatch's question.
   */
  tokenIds?: boolean;
  /** The model's first layer is a BatchNormalization, which standardizes each feature itself (unscaled-inputs skips). */
  standardizedInModel?: boolean;
}

/** The root mean square of a column, sqrt(mean² + std²): how large its values are, offset included. */
export function rootMeanSquare(column: { mean: number; std: number }): number {
  return Math.hypot(column.mean, column.std);
}
