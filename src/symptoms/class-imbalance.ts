import { formatNumber } from '../util/format.js';
import type { DataCheckInput } from './data-input.js';
import { confidenceFromMargin, defineDetector } from './finding.js';

/**
 * Majority over minority class count. Buda, Maki & Mazurowski, "A systematic study of the class
 * imbalance problem in convolutional neural networks" (Neural Networks, 2018) measure clear losses
 * in accuracy from a ratio of 10 on; a model can then sit on a flat loss by predicting the majority.
 */
export const IMBALANCE_RATIO_LIMIT = 10;

export const classImbalance = defineDetector({
  id: 'class-imbalance',
  description: 'One class far outnumbers another, so predicting the majority class already gives a low loss.',
  fixes: [],
  needs: ['data'],
  remedy: 'Weight the loss by inverse class frequency or resample, and judge the run by a per-class metric.',
  detect({ data }: DataCheckInput) {
    const counts = imbalanceCounts(data);
    if (counts === undefined) return [];
    const { majority, minority } = counts;
    const ratio = majority.count / minority.count;
    if (ratio <= IMBALANCE_RATIO_LIMIT) return [];
    return [
      {
        severity: 'warning',
        confidence: confidenceFromMargin(ratio, IMBALANCE_RATIO_LIMIT),
        columns: data.targetStats.map((column) => column.name),
        evidence: { measured: ratio, threshold: IMBALANCE_RATIO_LIMIT, what: 'majority over minority class count' },
        message:
          `Classes are imbalanced ${formatNumber(ratio)}:1: ` +
          `${majority.label} has ${majority.count} rows, ${minority.label} only ${minority.count}. ` +
          `Predicting ${majority.label} alone already scores well, so the loss can stall there.`,
        advice:
          'Weight the loss by inverse class frequency or resample the minority class, ' +
          'and judge the run by a per-class metric (recall, AUC), not accuracy.',
      },
    ];
  },
});

/** The most and least frequent classes (for multilabel: positives vs negatives of the most lopsided label). */
function imbalanceCounts(data: DataCheckInput['data']) {
  const classes = (data.classes ?? []).filter((entry) => entry.count > 0);
  if (data.task === 'multilabel') {
    const lopsided = classes
      .map((entry) => {
        const negatives = data.rows - entry.count;
        return entry.count < negatives
          ? { majority: { label: `not ${entry.label}`, count: negatives }, minority: entry }
          : { majority: entry, minority: { label: `not ${entry.label}`, count: negatives } };
      })
      .filter((pair) => pair.minority.count > 0);
    return lopsided.sort((a, b) => b.majority.count / b.minority.count - a.majority.count / a.minority.count)[0];
  }
  if (data.task === 'regression' || classes.length < 2) return undefined;
  const sorted = [...classes].sort((a, b) => b.count - a.count);
  return { majority: sorted[0]!, minority: sorted[sorted.length - 1]! };
}
