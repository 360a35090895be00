import { formatNumber } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { rootMeanSquare } from './data-input.js';
import { confidenceFromMargin, defineDetector } from './finding.js';

/**
 * A feature is far from unit scale when its root mean square exceeds 10: an order of magnitude past
 * the zero-mean, unit-variance inputs that LeCun et al., "Efficient BackProp" (1998, §4.3) show
 * gradient descent needs. The first layer's gradient grows with the input, so large features blow
 * up SGD steps.
 */
export const FEATURE_SCALE_LIMIT = 10;
/** Past this RMS an SGD step on a default-initialized layer is ~100x too large: critical. */
export const FEATURE_SCALE_CRITICAL = 100;
/**
 * Largest over smallest feature std. Efficient BackProp §4.3 asks for similar variances so that all
 * first-layer weights learn at one speed; two orders of magnitude apart means one learning rate
 * cannot suit both (it diverges on one or crawls on the other).
 */
export const SCALE_RATIO_LIMIT = 100;
export const SCALE_RATIO_CRITICAL = 1e4;
/**
 * A column whose std is below this fraction of its range is near-constant (an image's border pixel:
 * almost always 0, a rare stroke): its tiny std says nothing about scale, so it never drives the
 * ratio. 1% of the range is far below any spread a feature that varies has (a uniform column's std
 * is 29% of its range, a binary column's at least 10% unless it is 99% one value).
 */
const NEAR_CONSTANT_FRACTION = 0.01;
/** How many of the worst features a message names. */
const NAMED_FEATURES = 4;

export const unscaledInputs = defineDetector({
  id: 'unscaled-inputs',
  description:
    'Input features are far from zero mean and unit variance, or their scales differ by orders of magnitude.',
  fixes: ['normalize'],
  needs: ['data'],
  detect({ data, tokenIds, standardizedInModel }: DataCheckInput) {
    // Token ids feeding an Embedding are indices, not measurements: scaling them would break the lookup.
    // A BatchNormalization first layer is the model's own input standardization (a common Keras idiom).
    if (data.normalize !== 'none' || tokenIds === true || standardizedInModel === true) return [];
    const varying = data.featureStats.filter((column) => column.count > 0 && column.std > 0);
    if (varying.length === 0) return [];
    const byScale = [...varying].sort((a, b) => rootMeanSquare(b) - rootMeanSquare(a));
    const largest = rootMeanSquare(byScale[0]!);
    const spread = scaleSpread(varying);
    const ratio = spread?.ratio ?? 1;
    const tooLarge = byScale.filter((column) => rootMeanSquare(column) > FEATURE_SCALE_LIMIT);
    if (tooLarge.length === 0 && ratio <= SCALE_RATIO_LIMIT) return [];

    const named = tooLarge
      .slice(0, NAMED_FEATURES)
      .map((column) => `${column.name} (RMS ${formatNumber(rootMeanSquare(column))})`);
    const parts = [
      ...(tooLarge.length > 0
        ? [
            `${tooLarge.length} of ${varying.length} features exceed RMS ${FEATURE_SCALE_LIMIT}: ${named.join(', ')}${tooLarge.length > NAMED_FEATURES ? ', ...' : ''}`,
          ]
        : []),
      ...(ratio > SCALE_RATIO_LIMIT
        ? [
            `feature scales differ ${formatNumber(ratio)}x (std of ${spread!.widest.name} ${formatNumber(spread!.widest.std)} vs ${spread!.narrowest.name} ${formatNumber(spread!.narrowest.std)})`,
          ]
        : []),
    ];
    const critical = largest > FEATURE_SCALE_CRITICAL || ratio > SCALE_RATIO_CRITICAL;
    const byRms = tooLarge.length > 0;
    return [
      {
        severity: critical ? 'critical' : 'warning',
        confidence: byRms
          ? confidenceFromMargin(largest, FEATURE_SCALE_LIMIT)
          : confidenceFromMargin(ratio, SCALE_RATIO_LIMIT),
        columns: (tooLarge.length > 0 ? tooLarge : [spread!.widest, spread!.narrowest]).map((column) => column.name),
        evidence: byRms
          ? {
              measured: largest,
              threshold: FEATURE_SCALE_LIMIT,
              what: `largest feature RMS, sqrt(mean² + std²), of ${byScale[0]!.name}`,
            }
          : { measured: ratio, threshold: SCALE_RATIO_LIMIT, what: 'largest over smallest feature standard deviation' },
        message: `Inputs are not scaled: ${parts.join('; ')}. Large or uneven inputs make first-layer gradients large and uneven, so SGD diverges or crawls.`,
      },
    ];
  },
});

interface Spread<Column> {
  ratio: number;
  widest: Column;
  narrowest: Column;
}

/**
 * Largest over smallest std among the features whose spread says something about scale: features
 * already in [0, 1] or [-1, 1] are scaled whatever their spread, and near-constant ones are left out.
 * Null with none left.
 */
function scaleSpread<Column extends { std: number; min: number; max: number }>(
  columns: readonly Column[],
): Spread<Column> | null {
  const judged = columns.filter(
    (column) => !isBoundedByOne(column) && column.std >= NEAR_CONSTANT_FRACTION * (column.max - column.min),
  );
  if (judged.length === 0) return null;
  const widest = judged.reduce((a, b) => (b.std > a.std ? b : a));
  const narrowest = judged.reduce((a, b) => (b.std < a.std ? b : a));
  return { ratio: widest.std / narrowest.std, widest, narrowest };
}

function isBoundedByOne(column: { min: number; max: number }): boolean {
  return column.min >= -1 && column.max <= 1;
}
