import { formatNumber } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { rootMeanSquare } from './data-input.js';
import { confidenceFromMargin, defineDetector } from './finding.js';

/**
 * A regression target whose RMS exceeds 100 starts MSE near 1e4 and makes every gradient that much
 * larger. Deliberately looser than the feature limit: Boston's medv (RMS ~24) trains unscaled in
 * Chollet's "Deep Learning with Python" (ch. 3.6), so a target tens of units wide is not a bug.
 */
export const TARGET_SCALE_LIMIT = 100;
/** Past 1e4 the initial MSE is ~1e8: float32 gradients overflow within a few SGD steps. */
export const TARGET_SCALE_CRITICAL = 1e4;
/** A target that varies by less than this leaves a loss near zero from the first step: nothing to learn from. */
export const TARGET_SPREAD_FLOOR = 1e-3;

export const unscaledTarget = defineDetector({
  id: 'unscaled-target',
  description:
    'A regression target far larger (or far smaller) than unit scale, ' +
    'which scales the loss and every gradient with it.',
  fixes: ['normalize'],
  needs: ['data'],
  detect({ data }: DataCheckInput) {
    // A target the run scales (data.normalizeTarget) reaches the loss at unit scale.
    if (data.task !== 'regression' || data.normalizeTarget !== 'none') return [];
    return data.targetStats.flatMap((column) => {
      if (column.count === 0) return [];
      const scale = rootMeanSquare(column);
      if (scale > TARGET_SCALE_LIMIT) {
        return [
          {
            severity: scale > TARGET_SCALE_CRITICAL ? ('critical' as const) : ('warning' as const),
            confidence: confidenceFromMargin(scale, TARGET_SCALE_LIMIT),
            columns: [column.name],
            evidence: { measured: scale, threshold: TARGET_SCALE_LIMIT, what: `RMS of target ${column.name}` },
            message:
              `Target ${column.name} is not scaled: ` +
              `RMS ${formatNumber(scale)} > ${TARGET_SCALE_LIMIT} (mean ${formatNumber(column.mean)}, ` +
              `std ${formatNumber(column.std)}), ` +
              `so the initial MSE is ~${formatNumber(scale * scale)} and gradients are as large.`,
          },
        ];
      }
      if (column.std > 0 && column.std < TARGET_SPREAD_FLOOR) {
        return [
          {
            severity: 'warning' as const,
            confidence: confidenceFromMargin(TARGET_SPREAD_FLOOR, column.std),
            columns: [column.name],
            evidence: {
              measured: column.std,
              threshold: TARGET_SPREAD_FLOOR,
              what: `standard deviation of target ${column.name}`,
            },
            message:
              `Target ${column.name} barely varies: ` +
              `std ${formatNumber(column.std)} < ${TARGET_SPREAD_FLOOR}, ` +
              'so the loss is tiny from the start and gradients vanish with it.',
          },
        ];
      }
      return [];
    });
  },
});
