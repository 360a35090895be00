/**
 * The loss of a model that learned nothing, the yardstick for "did the probe learn at all": ln C
 * for C-class cross-entropy (a uniform guess), the target variance for MSE and the mean absolute
 * deviation from the median for MAE (the best constant guesses). Null where no simple yardstick fits.
 */
import type { LossName } from '../config/losses.js';
import { mean, median } from '../util/stats.js';

export function chanceLoss(loss: LossName, y: Float32Array, width: number, classes: number): number | null {
  switch (loss) {
    case 'binaryCrossentropy':
      return Math.log(2);
    case 'categoricalCrossentropy':
    case 'sparseCategoricalCrossentropy':
      return Math.log(classes);
    case 'meanSquaredError':
      return meanOverColumns(y, width, (column) => {
        const center = mean(column);
        return mean(column.map((value) => (value - center) ** 2));
      });
    case 'meanAbsoluteError':
      return meanOverColumns(y, width, (column) => {
        const center = median(column);
        return mean(column.map((value) => Math.abs(value - center)));
      });
    default:
      return null;
  }
}

function meanOverColumns(y: Float32Array, width: number, statistic: (column: number[]) => number): number | null {
  const rows = y.length / width;
  if (rows === 0) return null;
  let total = 0;
  for (let k = 0; k < width; k++) total += statistic(Array.from({ length: rows }, (_, r) => y[r * width + k]!));
  return total / width;
}
