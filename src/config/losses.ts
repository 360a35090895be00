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
