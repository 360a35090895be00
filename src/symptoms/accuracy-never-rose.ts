/**
 * A logged run whose accuracy never rose (symptom `plateau`, thresholds for logs), for not-learning.ts
 * after the loss rules. A loss says how well the predicted probabilities fit; the accuracy says whether
 * the answers improved. When the training and the validation accuracy both end where their first
 * logged value stood, within a tenth of its errors (accuracy-gain.ts's ERROR_CUT, the gain one more
 * epoch of a converging run buys), over MIN_EPOCHS evaluations each or more, the model answers after many
 * epochs as it answered after its first, on the rows it trains on and on held-out rows alike: it
 * learned nothing after its first epoch, whatever its loss did (a run that predicts the majority class,
 * or whose loss column is an objective the accuracy does not follow, such as an ELBO whose KL weight
 * is ramped up). Both splits are read: one flat accuracy alone can be a fit that had converged
 * (training) or a held-out score that a fitting run does not move (validation, overfitting's).
 * Post hoc (session 19, logs 445, 457, 60): measured over the 469 bench logs before it was written,
 * this reading takes eight plateau-or-stuck logs and no log of any other verdict
 * (docs/log-benchmark-13a.md, "Post hoc: stuck runs (session 19)"). A first validation accuracy far
 * above chance (CONVERGED_FIRST_ACCURACY) is a run that converged at once, not one that never learned.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { ERROR_CUT, THIRD } from './accuracy-gain.js';
import type { Detection } from './finding.js';
import { beginsAtRunStart, MIN_EPOCHS } from './not-learning-signals.js';
import { finitePoints, medianEnds } from './signals.js';

/** An accuracy is a fraction of rows; a column above 1 is a percentage or not an accuracy, and is not read. */
const WHOLE = 1;
/**
 * A first validation accuracy at or above this is a model that already answers far above any chance
 * level the log can imply, a fine-tune that converged in its first epoch, not a run stuck from its
 * start: chance is 1/C for C balanced classes, at most 1/2, and this leaves a tenth of its errors (an
 * order of magnitude fewer). A run stuck on a majority class answers at that class's share, which the
 * log does not give; measured over the 522 bench logs with both accuracies logged 10 times or more
 * (session 20), the stuck runs' first validation accuracies reach 0.879 (log 389; 0.785 for 60, the
 * highest this rule reads), and six healthy or overfitting runs at 0.939-0.986 (84, 110, 138; 18,
 * 49, 158), whose accuracies moved. A run stuck on a class of 95% of the rows is left to the loss
 * rules. The validation accuracy, an evaluation after the first epoch, not the training one, a mean
 * over that epoch from its untrained start.
 */
const CONVERGED_FIRST_ACCURACY = 0.95;

interface FlatAccuracy {
  split: 'training' | 'validation';
  first: number;
  end: number;
  /** The fraction of the first value's error rate gone by the end (negative when it rose). */
  cut: number;
  points: number;
}

/** The finding when both logged accuracies ended within ERROR_CUT of their first value's errors; null otherwise. */
export function accuracyNeverRose(trace: ProbeTrace, stepUnit: string): Detection | null {
  const training = flatAccuracy('training', trace.trainMetric);
  const validation = flatAccuracy('validation', trace.valMetric);
  if (training === null || validation === null || validation.first >= CONVERGED_FIRST_ACCURACY) return null;
  const steps = finitePoints(trace.step, trace.loss).map((point) => point.step);
  // A log that did not begin with its run has a first value already past the run's start.
  const fromStart = beginsAtRunStart(steps);
  const said = ({ split, first, end, cut, points }: FlatAccuracy) =>
    `the ${split} accuracy went from ${formatNumber(first)} to ${formatNumber(end)} (median of its last third) over ${points} values, ${formatNumber(cut * 100)}% of its errors gone`;
  return {
    severity: fromStart ? 'critical' : 'warning',
    confidence: fromStart ? 0.7 : 0.5,
    step: steps[0] ?? 0,
    evidence: {
      measured: Math.max(Math.abs(training.cut), Math.abs(validation.cut)),
      threshold: ERROR_CUT,
      what: 'largest fraction of its first value’s error rate either logged accuracy (training, validation) gained or lost by the end (median of the last third)',
    },
    message:
      `Neither accuracy moved over the run: ${said(training)}, and ${said(validation)}; ` +
      `one more epoch of a converging run removes ${formatNumber(ERROR_CUT * 100)}% of them. ` +
      `The model answers as it did after its first ${stepUnit}, on training and held-out rows alike, whatever its loss did: ` +
      (fromStart
        ? 'the run learned nothing after its start (a plateau), most often by predicting the majority class. Check for class imbalance (weight the classes or resample), that labels match inputs and that inputs are scaled, then the learning rate.'
        : 'the log does not begin with its run, so either the run is stuck or it began converged (a resumed run).'),
  };
}

/**
 * A split's accuracy, when logged as fractions at MIN_EPOCHS evaluations or more (fewer cannot tell a
 * stall from a slow start, as not-learning-signals.ts) and ending within ERROR_CUT of its first value's errors.
 */
function flatAccuracy(split: FlatAccuracy['split'], metric: ProbeTrace['valMetric'] | undefined): FlatAccuracy | null {
  const values = metric?.name === 'accuracy' ? metric.values.filter(Number.isFinite) : [];
  if (values.length < MIN_EPOCHS || values.some((value) => value < 0 || value > WHOLE) || values[0]! >= WHOLE)
    return null;
  const first = values[0]!;
  // The end level is the median of the last third of the logged values, as accuracy-gain.ts reads it.
  const { end } = medianEnds(values, Math.max(1, Math.floor(values.length * THIRD)));
  const cut = (end - first) / (WHOLE - first);
  return Math.abs(cut) < ERROR_CUT ? { split, first, end, cut, points: values.length } : null;
}
