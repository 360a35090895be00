/**
 * A logged run that learned little and then stopped (symptom `plateau`, thresholds for logs), for
 * not-learning.ts. Its flat rule calls a run stuck only when no tenth ever fell 5% below the first,
 * and its trend rule only when the whole run shows no fall; a run that fell a little early (a first
 * epoch's warm-up) and then nothing for the rest passes both, though it is as stuck. A converged run
 * is flat over its second half too, so flatness alone says nothing: what tells them apart is how much
 * was learned before the loss stopped. A run that learned removes at least a fifth of the loss it
 * began at (LEARNED_FRACTION_OF_CHANCE: a freshly initialized model scores about the chance level,
 * Karpathy's -log(1/C)); one that removed less and no longer moves learned little and then stopped.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
import { MIN_TREND_POINTS, TREND_Z_5_PERCENT, trendZ } from './mann-kendall.js';
import { learnedElsewhere } from './no-loss-trend.js';
import { beginsAtRunStart, roseAboveStart, spansEnough } from './not-learning-signals.js';
import { finitePoints, LEARNED_FRACTION_OF_CHANCE, windowMedians } from './signals.js';

/** Tenths of the run: the end level is the median of the last, as not-learning-signals.ts reads the start. */
const TENTHS = 10;

/** The finding when the training loss fell less than a fifth of its first value and its second half has no trend; null otherwise. */
export function learnedLittle(trace: ProbeTrace, units: { step: string; loss: string }): Detection | null {
  if (!spansEnough(trace, units.loss)) return null;
  const points = finitePoints(trace.step, trace.loss);
  const losses = points.map((point) => point.loss);
  // The test on the second half needs as many values as the trend rule asks of a whole run.
  const secondHalf = losses.slice(Math.floor(losses.length / 2));
  if (secondHalf.length < MIN_TREND_POINTS) return null;
  const first = losses[0]!;
  const end = windowMedians(losses, Math.ceil(losses.length / TENTHS)).at(-1)!;
  if (!(first > 0) || end < LEARNED_FRACTION_OF_CHANCE * first || roseAboveStart(losses)) return null;
  // Still falling (a slow run) or rising (a divergence, overfitting's rules): not stopped.
  const z = trendZ(secondHalf);
  if (Math.abs(z) >= TREND_Z_5_PERCENT || learnedElsewhere(trace)) return null;
  const steps = points.map((point) => point.step);
  // A log that did not begin with its run has a first value already past the run's start: it cannot say how much was learned.
  const fromStart = beginsAtRunStart(steps);
  const half = steps[losses.length - secondHalf.length]!;
  return {
    severity: fromStart ? 'critical' : 'warning',
    confidence: fromStart ? 0.7 : 0.5,
    step: half,
    evidence: {
      measured: end / first,
      threshold: LEARNED_FRACTION_OF_CHANCE,
      what: 'training loss at the end (median of the last tenth) over its first logged value',
    },
    message:
      `The training loss went from ${formatNumber(first)} (${units.step} ${steps[0]!}) to ${formatNumber(end)} at the end, ` +
      `${formatNumber((1 - end / first) * 100)}% lower: less than the fifth of its starting loss a run that learned removes ` +
      `(a freshly initialized model starts near the chance level); and over its second half (${units.step} ${half} to ${steps.at(-1)!}) it has not moved: ` +
      `a Mann-Kendall test on its ${secondHalf.length} losses gives z = ${formatNumber(z)}, where a fall at the 5% level needs ${formatNumber(-TREND_Z_5_PERCENT)} or lower. ` +
      (fromStart
        ? 'The run learned little and then stopped (a plateau). A different learning rate or schedule (or a search) usually escapes it; if the loss cannot go lower for this task, check that labels match inputs and that the model is large enough.'
        : 'The log does not begin with its run, so its first value may already be past the run’s start: either the run learned little and stopped, or it began converged (a resumed run).'),
  };
}
