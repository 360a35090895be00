/**
 * Frozen predictions (symptom `plateau`, thresholds for logs): a logged accuracy that is the same
 * number at every evaluation of the run, from the first to the last, while the loss may still move.
 * An accuracy over a fixed validation set changes whenever a single prediction changes; one that
 * never changes over many epochs means the model gives the same answers it gave after its first
 * epoch, most often one class for every input (the accuracy is then the share of that class, the
 * class prior, which is why stuck-at-chance.ts, reading 1/C, misses it). The loss can drift all the
 * while: the predicted probabilities move without crossing the decision boundary. Needs no chance
 * level, as a frozen loss needs none (frozen-run.ts).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { PRINT_RESOLUTION_LIMIT } from './frozen-series.js';
import { seriesResolution } from './printed-resolution.js';

/**
 * For logs: at least this many evaluations, all identical: Keras' ReduceLROnPlateau waits
 * patience=10 epochs without improvement (its default) before it calls a plateau, and
 * not-learning-signals.ts judges a whole-run stall from as many. Fewer identical values may be a
 * small validation set that a slow start has not yet moved.
 */
const MIN_IDENTICAL_EVALUATIONS = 10;
/** A perfect accuracy has nothing left to change: the same 1.0 every epoch is a solved task. */
const PERFECT = 1;

interface FrozenAccuracy {
  split: 'validation' | 'training';
  value: number;
  points: number;
}

/** The first of validation, then training accuracy that is logged MIN_IDENTICAL_EVALUATIONS times; frozen or not. */
function frozenAccuracy(trace: ProbeTrace): FrozenAccuracy | null {
  const read = (metric: ProbeTrace['valMetric'] | undefined) =>
    metric?.name === 'accuracy' ? metric.values.filter(Number.isFinite) : [];
  const splits = [
    { split: 'validation' as const, values: read(trace.valMetric) },
    { split: 'training' as const, values: read(trace.trainMetric) },
  ];
  const judged = splits.find(({ values }) => values.length >= MIN_IDENTICAL_EVALUATIONS);
  if (judged === undefined) return null;
  const value = judged.values[0]!;
  const frozen =
    judged.values.every((other) => other === value) &&
    value < PERFECT &&
    // Identical printed values show unchanged predictions only when printed to a thousandth or finer
    // (frozen-series.ts): an accuracy (at most 1) rounded to two decimals hides one prediction in a hundred.
    seriesResolution(judged.values) <= PRINT_RESOLUTION_LIMIT;
  return frozen ? { split: judged.split, value, points: judged.values.length } : null;
}

function frozenAccuracyFinding({ split, value, points }: FrozenAccuracy, stepUnit: string): Detection {
  const evaluations = split === 'validation' ? 'evaluations' : `logged ${stepUnit}s`;
  return {
    severity: 'critical',
    confidence: Math.min(1, 0.6 + (0.3 * points) / (3 * MIN_IDENTICAL_EVALUATIONS)),
    evidence: {
      measured: points,
      threshold: MIN_IDENTICAL_EVALUATIONS,
      what: `${evaluations} at which the ${split} accuracy is the same number, from the first to the last`,
    },
    message:
      `The ${split} accuracy is ${formatNumber(value)} at every one of the ${points} ${evaluations}, from the first to the last: ` +
      'the model gives the same answers it gave after its first epoch, most often one class for every input (the accuracy is then that class\u2019s share), ' +
      'however the loss moves. Check for class imbalance (weight the classes or resample), that labels match inputs and that inputs are scaled, then the learning rate.',
  };
}

export const frozenAccuracyRun = defineDetector({
  id: 'plateau',
  description:
    'The accuracy of a logged run is the same number at every evaluation: the model never changed its answers (often one class for every input).',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const frozen = frozenAccuracy(trace);
    return frozen === null ? [] : [frozenAccuracyFinding(frozen, stepUnit)];
  },
});
