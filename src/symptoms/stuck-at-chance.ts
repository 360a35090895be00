/**
 * Stuck at chance (symptom `plateau`, thresholds for logs): the logged validation accuracy never
 * rises above what guessing gives, 1/C for C classes. The plateau detector needs the chance-level
 * loss; a log that records accuracy shows the same stall without it. C is the user's (--classes,
 * which also sets the chance loss ln C) or, without it, the class count whose 1/C the accuracy sits at.
 */
import { formatNumber } from '../util/format.js';
import { median } from '../util/stats.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector } from './finding.js';

/**
 * For logs: the best accuracy must stay within 10% (relative) of 1/C, so 0.55 for two classes and
 * 0.11 for ten: a model that learned anything separates itself from guessing by more.
 */
const CHANCE_ACCURACY_MARGIN = 0.1;
/** For logs: at least this many evaluations, so that one early reading does not decide. */
const MIN_ACCURACY_POINTS = 3;
/** Guessing among more classes than this leaves accuracies too small to tell from a model that learned a little. */
const MAX_CLASSES = 1000;

export const stuckAtChance = defineDetector({
  id: 'plateau',
  description:
    'The validation accuracy of a logged run never rises above guessing (1/C for C classes): the model learned nothing it can use.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe' }: DynamicsInput) {
    if (origin !== 'log' || trace.valMetric?.name !== 'accuracy') return [];
    const accuracies = trace.valMetric.values.filter(Number.isFinite);
    if (accuracies.length < MIN_ACCURACY_POINTS) return [];
    const classes =
      trace.chanceLoss !== null && trace.chanceLoss > 0
        ? Math.round(Math.exp(trace.chanceLoss))
        : Math.round(1 / median(accuracies));
    if (!(classes >= 2 && classes <= MAX_CLASSES)) return [];
    const chance = 1 / classes;
    const best = Math.max(...accuracies);
    const limit = chance * (1 + CHANCE_ACCURACY_MARGIN);
    if (best > limit) return [];
    return [
      {
        severity: 'critical',
        confidence: Math.min(1, accuracies.length / (2 * MIN_ACCURACY_POINTS)),
        evidence: { measured: best, threshold: limit, what: `best validation accuracy against 1/C for C = ${classes}` },
        message:
          `The validation accuracy never rose above ${formatNumber(best)} over ${accuracies.length} evaluations: guessing among ${classes} classes gives ${formatNumber(chance)} (limit ${formatNumber(limit)}). ` +
          'The model is stuck at chance: check that labels match inputs and that inputs are scaled, then the learning rate.',
      },
    ];
  },
});
