/**
 * A logged run whose validation loss learned little and then stopped while its training loss crawls
 * (symptom `plateau`, thresholds for logs), for not-learning.ts after learned-little.ts. That rule
 * reads the training loss and lets a run whose training loss still falls in its second half go as
 * slow, not stopped; and the whole-run rules see a validation loss that fell at all as learning. But
 * what a run is for is its validation loss: when it removed less than a fifth of its first value
 * (LEARNED_FRACTION_OF_CHANCE, the line learned-little.ts draws) and has not moved over its second
 * half, while the training loss also removed less than a fifth of its own, the run learned little and
 * stopped, however steadily the training loss still creeps down (nothing of it reaches validation).
 * Post hoc (log 389): measured over the 409 bench logs before it was written, this reading takes ten
 * plateau-or-stuck logs and no log of any other verdict (docs/log-benchmark-12a.md, session 13).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
import { MIN_TREND_POINTS, TREND_Z_5_PERCENT, trendZ } from './mann-kendall.js';
import { beginsAtRunStart, roseAboveStart } from './not-learning-signals.js';
import { lossesRise } from './losses-rise-together.js';
import { accuracyGain } from './accuracy-gain.js';
import { finitePoints, LEARNED_FRACTION_OF_CHANCE, windowMedians } from './signals.js';

/** Tenths of the run: the end level is the median of the last, as learned-little.ts reads it. */
const TENTHS = 10;

/** The finding when both losses removed less than a fifth of their first value and the validation loss's second half has no trend; null otherwise. */
export function validationLearnedLittle(trace: ProbeTrace, stepUnit: string): Detection | null {
  const points = finitePoints(trace.evalStep, trace.valLoss);
  const validation = points.map((point) => point.loss);
  // The test on the second half needs as many values as the trend rule asks of a whole run.
  const secondHalf = validation.slice(Math.floor(validation.length / 2));
  if (secondHalf.length < MIN_TREND_POINTS) return null;
  const training = trace.loss.filter(Number.isFinite);
  const [validationShare, trainingShare] = [endOverFirst(validation), endOverFirst(training)];
  if (validationShare === null || trainingShare === null) return null;
  if (validationShare < LEARNED_FRACTION_OF_CHANCE || trainingShare < LEARNED_FRACTION_OF_CHANCE) return null;
  // A loss that rose above its start, or both rising, is overfitting's or divergence's reading, not a stall.
  if (roseAboveStart(validation) || roseAboveStart(training) || lossesRise(trace) !== null) return null;
  if (accuracyRose(trace)) return null;
  const z = trendZ(secondHalf);
  if (Math.abs(z) >= TREND_Z_5_PERCENT) return null;
  const steps = points.map((point) => point.step);
  const fromStart = beginsAtRunStart(finitePoints(trace.step, trace.loss).map((point) => point.step));
  const half = steps[validation.length - secondHalf.length]!;
  const percent = (share: number) => formatNumber((1 - share) * 100);
  return {
    severity: fromStart ? 'critical' : 'warning',
    confidence: fromStart ? 0.7 : 0.5,
    step: half,
    evidence: {
      measured: validationShare,
      threshold: LEARNED_FRACTION_OF_CHANCE,
      what: 'validation loss at the end (median of the last tenth) over its first evaluation',
    },
    message:
      `The validation loss went from ${formatNumber(validation[0]!)} (${stepUnit} ${steps[0]!}) to ${formatNumber(validationShare * validation[0]!)} at the end, ` +
      `${percent(validationShare)}% lower, and the training loss ${percent(trainingShare)}% lower: each less than the fifth of its starting loss a run that learned removes. ` +
      `Over its second half (${stepUnit} ${half} to ${steps.at(-1)!}) the validation loss has not moved: a Mann-Kendall test on its ${secondHalf.length} evaluations gives z = ${formatNumber(z)}, ` +
      `where a fall at the 5% level needs ${formatNumber(-TREND_Z_5_PERCENT)} or lower. Whatever the training loss still gains does not reach validation. ` +
      (fromStart
        ? 'The run learned little and then stopped (a plateau). A different learning rate or schedule (or a search) usually escapes it; if the loss cannot go lower for this task, check that labels match inputs and that the model is large enough.'
        : 'The log does not begin with its run, so its first values may already be past the run’s start: either the run learned little and stopped, or it began converged (a resumed run).'),
  };
}

/** The median of the last tenth over the first value, or null for fewer than two values or a first value that is not positive. */
function endOverFirst(values: readonly number[]): number | null {
  if (values.length < 2 || !(values[0]! > 0)) return null;
  return windowMedians(values, Math.ceil(values.length / TENTHS)).at(-1)! / values[0]!;
}

/**
 * An accuracy that clearly rose (accuracy-gain.ts) says the model learned while its loss sat still,
 * provided it ended above its first logged value: this rule reads each loss from its first value to
 * its end, and so reads the accuracy. accuracy-gain.ts starts from the median of the first third, which
 * a dip after the first evaluation lowers: log 389's validation accuracy begins at 0.879, dips to 0.746
 * and ends at 0.84 (its first third's median 0.76, a "gain" of a third of the errors) without ever
 * getting back to where it began.
 */
function accuracyRose(trace: ProbeTrace): boolean {
  const gain = accuracyGain(trace, ['validation', 'training']);
  if (gain === null) return false;
  const metric = gain.split === 'validation' ? trace.valMetric : trace.trainMetric;
  const first = metric?.values.find(Number.isFinite);
  return first === undefined || gain.end > first;
}
