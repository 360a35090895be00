/**
 * Loss names as Keras and tfjs spell them. Users write camelCase (tfjs), snake_case (Keras) or the
 * Keras short aliases; convdoc keeps one canonical camelCase name.
 */

export const LOSSES = [
  'meanSquaredError',
  'meanAbsoluteError',
  'meanAbsolutePercentageError',
  'meanSquaredLogarithmicError',
  'huber',
  'logCosh',
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
  'hinge',
  'squaredHinge',
  'categoricalHinge',
  'kullbackLeiblerDivergence',
  'poisson',
  'cosineProximity',
] as const;

export type LossName = (typeof LOSSES)[number];

/** Keras' short names (keras.losses aliases). */
const ALIASES: Record<string, LossName> = {
  mse: 'meanSquaredError',
  mae: 'meanAbsoluteError',
  mape: 'meanAbsolutePercentageError',
  msle: 'meanSquaredLogarithmicError',
  kld: 'kullbackLeiblerDivergence',
  logcosh: 'logCosh',
  huberloss: 'huber',
  cosinesimilarity: 'cosineProximity',
};

const BY_FOLDED_NAME = new Map<string, LossName>([
  ...LOSSES.map((name) => [fold(name), name] as const),
  ...Object.entries(ALIASES),
]);

/** `mean_squared_error`, `MeanSquaredError` and `mse` all fold to the same key. */
function fold(name: string): string {
  return name.replace(/[_\s-]/g, '').toLowerCase();
}

export function canonicalLossName(name: string): LossName | undefined {
  return BY_FOLDED_NAME.get(fold(name));
}

/**
 * Losses grouped by what they read, as keras.losses (and tfjs-layers' losses.ts) compute them:
 * - regression: per-unit distances between numbers;
 * - probability: binaryCrossentropy, each unit a probability in [0, 1] of a 0/1 label;
 * - sparse: sparseCategoricalCrossentropy, one column of class ids indexing a distribution over units;
 * - onehot: categoricalCrossentropy, kullbackLeiblerDivergence and categoricalHinge, one 0/1 column per unit,
 *   exactly one 1 per row;
 * - margin: hinge and squaredHinge, per-unit scores of 0/1 (read as -1/+1) labels.
 */
export type LossFamily = 'regression' | 'probability' | 'sparse' | 'onehot' | 'margin';

export const LOSS_FAMILY: Readonly<Record<LossName, LossFamily>> = {
  meanSquaredError: 'regression',
  meanAbsoluteError: 'regression',
  meanAbsolutePercentageError: 'regression',
  meanSquaredLogarithmicError: 'regression',
  huber: 'regression',
  logCosh: 'regression',
  poisson: 'regression',
  cosineProximity: 'regression',
  binaryCrossentropy: 'probability',
  sparseCategoricalCrossentropy: 'sparse',
  categoricalCrossentropy: 'onehot',
  kullbackLeiblerDivergence: 'onehot',
  categoricalHinge: 'onehot',
  hinge: 'margin',
  squaredHinge: 'margin',
};

/**
 * The losses Keras gives `from_logits=True`: they then apply the sigmoid (binary) or softmax
 * (categorical, sparse) to the model's outputs themselves, so the output layer stays linear.
 */
export const FROM_LOGITS_LOSSES: ReadonlySet<LossName> = new Set([
  'binaryCrossentropy',
  'categoricalCrossentropy',
  'sparseCategoricalCrossentropy',
]);
