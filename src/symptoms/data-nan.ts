import { agree, plural } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { defineDetector } from './finding.js';
import { THE_FIXES } from './ids.js';

/**
 * Any missing or non-finite value is enough: one NaN in a batch makes that batch's loss NaN, and
 * its gradient poisons every weight it reaches. There is no tolerance to tune.
 */
export const NON_FINITE_LIMIT = 0;
const NAMED_COLUMNS = 4;

export const dataNan = defineDetector({
  id: 'data-nan',
  description: 'Missing, NaN or infinite values in features or target; one is enough to make the loss NaN.',
  fixes: [],
  needs: ['data'],
  remedy: 'Drop or impute the rows with missing or non-finite values before training.',
  detect({ data }: DataCheckInput) {
    const columns = [...data.featureStats, ...data.targetStats].filter((column) => column.nonFinite > NON_FINITE_LIMIT);
    if (columns.length === 0) return [];
    columns.sort((a, b) => b.nonFinite - a.nonFinite);
    const total = columns.reduce((sum, column) => sum + column.nonFinite, 0);
    const named = columns
      .slice(0, NAMED_COLUMNS)
      .map((column) => `${column.name} (${column.nonFinite} of ${data.rows})`);
    return [
      {
        severity: 'critical',
        confidence: 0.99,
        columns: columns.map((column) => column.name),
        evidence: { measured: total, threshold: NON_FINITE_LIMIT, what: 'missing, NaN or infinite values' },
        message:
          `${plural(columns.length, 'column')} ${agree(columns.length, 'holds', 'hold')} missing, ` +
          `NaN or infinite values: ${named.join(', ')}${columns.length > NAMED_COLUMNS ? ', ...' : ''}. ` +
          `One such value makes a batch's loss NaN.`,
        advice:
          'Drop or impute those rows (e.g. fill a feature with its training-set median) before training; ' +
          `none of ${THE_FIXES} repairs the data itself.`,
      },
    ];
  },
});
