import { formatNumber, plural } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import type { Detector } from './finding.js';

/**
 * A column whose finite values are all equal (std exactly 0) carries no information, and
 * standardizing or min-max scaling it divides by zero. Exact zero, not a small tolerance: a nearly
 * constant column is a scaling question for unscaled-inputs.
 */
export const CONSTANT_STD = 0;

export const dataConstantColumn: Detector<DataCheckInput> = {
  id: 'data-constant-column',
  description: 'A feature or target with the same value in every row: no information, and a division by zero when scaled.',
  fixes: [],
  detect({ data }) {
    const constant = [...data.featureStats, ...data.targetStats].filter((column) => column.count > 1 && column.std === CONSTANT_STD);
    if (constant.length === 0) return [];
    const targetConstant = data.targetStats.some((column) => constant.includes(column));
    const scaling = data.normalize === 'none' ? '' : ` With data.normalize: ${data.normalize} it divides by a zero spread.`;
    return [
      {
        symptom: 'data-constant-column',
        severity: targetConstant || scaling !== '' ? 'critical' : 'warning',
        confidence: 0.99,
        columns: constant.map((column) => column.name),
        evidence: { measured: constant.length, threshold: CONSTANT_STD, what: 'columns with zero standard deviation' },
        message: `${plural(constant.length, 'column')} never change: ${constant.map((column) => `${column.name} (always ${formatNumber(column.min)})`).join(', ')}.${targetConstant ? ' The target is constant: there is nothing to learn.' : ''}${scaling}`,
        fixes: [],
        advice: 'Leave constant columns out with data.features; they cannot help the model.',
      },
    ];
  },
};
