/** Validation metrics computed in JS from predictions: accuracy, mean absolute and squared error. */

export type MetricName = 'accuracy' | 'mae' | 'mse';

const ALIASES: Record<string, MetricName> = {
  accuracy: 'accuracy',
  acc: 'accuracy',
  binaryaccuracy: 'accuracy',
  categoricalaccuracy: 'accuracy',
  sparsecategoricalaccuracy: 'accuracy',
  mae: 'mae',
  meanabsoluteerror: 'mae',
  mse: 'mse',
  meansquarederror: 'mse',
};

/** The first of the config's metrics that convdoc computes, by Keras name. */
export function pickMetric(metrics: readonly string[]): MetricName | null {
  for (const metric of metrics) {
    const known = ALIASES[metric.replace(/[_\s-]/g, '').toLowerCase()];
    if (known !== undefined) return known;
  }
  return null;
}

/** The metric over rows of `width` values: predictions against targets. */
export function computeMetric(
  metric: MetricName,
  predictions: ArrayLike<number>,
  targets: ArrayLike<number>,
  width: number,
): number {
  const rows = targets.length / width;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    if (metric === 'accuracy') {
      total +=
        width === 1
          ? Number(predictions[r]! > 0.5 === targets[r]! > 0.5)
          : Number(argmax(predictions, r, width) === argmax(targets, r, width));
      continue;
    }
    for (let k = 0; k < width; k++) {
      const error = predictions[r * width + k]! - targets[r * width + k]!;
      total += (metric === 'mae' ? Math.abs(error) : error * error) / width;
    }
  }
  return total / rows;
}

function argmax(values: ArrayLike<number>, row: number, width: number): number {
  let best = 0;
  for (let k = 1; k < width; k++) if (values[row * width + k]! > values[row * width + best]!) best = k;
  return best;
}

/**
 * The chance accuracy: what computeMetric's accuracy gives a model that answers every row with the
 * targets' most common class: the majority-class baseline a classifier must beat to have learned
 * anything (Weka's ZeroR; Witten, Frank & Hall, "Data Mining", 3rd ed. 2011). Null unless the
 * targets are class labels: 0/1 in one column, or one-hot rows (smoothed or regression targets have no
 * class to count).
 */
export function majorityAccuracy(targets: ArrayLike<number>, width: number): number | null {
  const rows = targets.length / width;
  if (!(rows > 0)) return null;
  const counts = new Array<number>(Math.max(2, width)).fill(0);
  for (let r = 0; r < rows; r++) {
    const label = classLabel(targets, r, width);
    if (label === null) return null;
    counts[label]!++;
  }
  return Math.max(...counts) / rows;
}

/** The class of a 0/1 target (one column) or of a one-hot row; null for anything else. */
function classLabel(targets: ArrayLike<number>, row: number, width: number): number | null {
  if (width === 1) {
    const value = targets[row]!;
    return value === 0 || value === 1 ? value : null;
  }
  let label: number | null = null;
  for (let k = 0; k < width; k++) {
    const value = targets[row * width + k]!;
    if (value === 1 && label === null) label = k;
    else if (value !== 0) return null;
  }
  return label;
}
