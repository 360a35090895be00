import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { DynamicsInput, TraceOrigin } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector } from './finding.js';
import { THE_FIXES, type Severity } from './ids.js';
import { leastSquaresSlope, median } from '../util/stats.js';
import { finitePoints, PROGRESS_PER_WINDOW, startAndEnd } from './signals.js';
import { overfittingOnLog } from './overfitting-on-log.js';

/**
 * For probes (logs: overfitting-on-log.ts). The validation loss must end at 1.5x its (smoothed) minimum or more: Prechelt's early-stopping
 * criterion GL ("Early Stopping — But When?", 1998) stops once the generalization loss exceeds
 * alpha; short probes evaluate on small validation sets whose loss wobbles by tens of percent
 * (the Boston example: 16.9 to 68 with no trend), so the probe demands a 50% rise, not the few
 * percent a long run would.
 */
export const VALIDATION_RISE = 1.5;
/** The rise must hold over at least the last third of the evaluations, not one bad evaluation. */
const RISE_SPAN = 1 / 3;
/**
 * Meanwhile the training loss must keep falling: at least 5% (TheDeepChecker's progress per
 * window) from the step of the best validation loss to the end. If both rise, it is divergence.
 */
export const TRAIN_FALL = PROGRESS_PER_WINDOW;
/** Three windows of three evaluations: fewer cannot show a minimum and a sustained rise after it. */
export const MIN_EVALUATIONS = 9;
/** The smoothing window of the validation loss, in evaluations: a running median, so one outlier does not make the minimum. */
const SMOOTHING = 3;
/**
 * Training losses needed after the best evaluation to tell whether the training loss still falls:
 * ten mini-batch losses, or one per evaluation after the best when those are fewer. A per-epoch
 * log has one training loss per evaluation, each an epoch's mean and as smooth as the validation
 * loss; a probe has ten or more steps per evaluation and always passes the ten.
 */
const MIN_TRAIN_STEPS = 10;
export const OVERFITTING_REMEDY = `Stop at the best validation loss (early stopping), regularize (dropout, L2 weight decay), use a smaller model, or get more (or augmented) training data. None of ${THE_FIXES} addresses overfitting.`;
/** A probe is short: a rise within it may still be noise that a longer run averages out. */
export const MAX_CONFIDENCE = 0.9;
/**
 * A log is the whole run, so the rise is what the run did, not an early reading: the model it ends
 * with is worse on held-out data than one it passed on the way. Critical, so that CI fails the run.
 */
const SEVERITY: Record<TraceOrigin, Severity> = { probe: 'warning', log: 'critical' };

export const overfitting = defineDetector({
  id: 'overfitting',
  description:
    'The validation loss rises while the training loss keeps falling: the model memorizes the training rows instead of generalizing.',
  fixes: [],
  needs: ['loss', 'val_loss'],
  remedy: OVERFITTING_REMEDY,
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin === 'log') return overfittingOnLog(trace, stepUnit, OVERFITTING_REMEDY);
    const measured = validationRise(trace);
    if (measured === null) return [];
    const { points, best, minimum, rise } = measured;
    const count = points.length;
    const bestStep = points[best]!.step;
    const lastStep = points.at(-1)!.step;
    const fall = trainingFall(trace, bestStep, count - best);
    if (fall === null || fall < TRAIN_FALL) return [];
    const confidence = confidenceFromMargin(rise, VALIDATION_RISE);
    return [
      {
        severity: SEVERITY[origin],
        confidence: origin === 'probe' ? Math.min(MAX_CONFIDENCE, confidence) : confidence,
        step: bestStep,
        evidence: {
          measured: rise,
          threshold: VALIDATION_RISE,
          what: 'median validation loss over the last third of evaluations over its smoothed minimum',
        },
        message:
          `The validation loss bottomed out at ${formatNumber(minimum)} at step ${bestStep} and rose to ${formatNumber(rise)}x that over the last third of the ${origin === 'probe' ? 'probe' : 'run'} ` +
          `(to step ${lastStep}; limit ${formatNumber(VALIDATION_RISE)}x), while the training loss fell ${formatNumber(fall * 100)}% over the same span: the model is overfitting. ` +
          (origin === 'probe'
            ? 'A probe is short, so this is a warning: stop at the best validation loss, add dropout or L2, or get more data.'
            : 'Stop at the best validation loss (keep its weights), add dropout or L2, or get more data.'),
        advice: OVERFITTING_REMEDY,
      },
    ];
  },
});

/**
 * The validation loss's rise over the last RISE_SPAN of evaluations from its smoothed minimum, when
 * that minimum lies before the span, the rise passes VALIDATION_RISE and the loss still climbs
 * after it (a positive least-squares slope); null otherwise.
 */
function validationRise(trace: DynamicsInput['trace']) {
  const points = finitePoints(trace.evalStep, trace.valLoss);
  const count = points.length;
  if (count < MIN_EVALUATIONS) return null;
  const half = Math.floor(SMOOTHING / 2);
  const smoothed = points.map((_, index) =>
    median(points.slice(Math.max(0, index - half), index + half + 1).map((point) => point.loss)),
  );
  const best = smoothed.reduce((bestIndex, value, index) => (value < smoothed[bestIndex]! ? index : bestIndex), 0);
  const minimum = smoothed[best]!;
  const spanStart = count - Math.ceil(count * RISE_SPAN);
  if (best >= spanStart || !(minimum > 0)) return null;
  const rise = median(points.slice(spanStart).map((point) => point.loss)) / minimum;
  if (!(rise >= VALIDATION_RISE)) return null;
  const after = points.slice(best);
  const climbing =
    leastSquaresSlope(
      after.map((point) => point.step),
      after.map((point) => point.loss),
    ) > 0;
  return climbing ? { points, best, minimum, rise } : null;
}

/**
 * The fraction of the training loss removed from `fromStep` to the end (medians of a tenth at each
 * end); null with fewer losses than MIN_TRAIN_STEPS asks, given the `evaluations` from `fromStep` on.
 */
function trainingFall(trace: ProbeTrace, fromStep: number, evaluations: number): number | null {
  const losses = trace.step.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.loss[index]) ? [trace.loss[index]!] : [],
  );
  if (losses.length < Math.min(MIN_TRAIN_STEPS, evaluations)) return null;
  const { start, end } = startAndEnd(losses);
  return start > 0 ? (start - end) / start : null;
}
