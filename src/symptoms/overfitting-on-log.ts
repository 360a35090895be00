/**
 * Overfitting judged on a whole logged run (thresholds for logs; overfitting.ts keeps the probe's).
 * A full run evaluates on a full validation set, epoch after epoch, so a rise of a few percent that
 * lasts is real: Prechelt's early-stopping criterion GL_alpha ("Early Stopping — But When?", 1998)
 * stops once the validation loss is alpha percent above its best so far, and GL_5 is among the
 * criteria he measured. Here every one of the last SUSTAINED_EVALUATIONS evaluations must stand at
 * least LOG_VALIDATION_RISE above the best (a running median of three, so one lucky evaluation is not the
 * best), while the training loss did not rise with it: the gap between them widened by at least the
 * same margin. Prechelt's criterion reads the validation loss alone; the gap keeps out a run whose
 * training loss climbs too (divergence: lr-too-high's), and keeps in the run whose training loss sits
 * flat at its floor while the validation loss climbs (memorized: falling further is not needed).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
import { confidenceFromMargin } from './finding.js';
import { median } from '../util/stats.js';
import { startAndEnd } from './signals.js';

/** For logs: GL_5, the validation loss 5% above its best (Prechelt 1998). */
export const LOG_VALIDATION_RISE = 1.05;
/** For logs: the rise must hold at each of the last three evaluations (Keras' EarlyStopping examples use patience 3). */
const SUSTAINED_EVALUATIONS = 3;
/** For logs: a best, then the sustained rise, needs at least this many evaluations. */
const LOG_MIN_EVALUATIONS = SUSTAINED_EVALUATIONS + 2;

interface Point {
  step: number;
  loss: number;
}

export function overfittingOnLog(trace: ProbeTrace, unit: 'step' | 'epoch', advice: string): Detection[] {
  const points = trace.evalStep.flatMap((step, index) =>
    Number.isFinite(trace.valLoss[index]) ? [{ step, loss: trace.valLoss[index]! }] : [],
  );
  if (points.length < LOG_MIN_EVALUATIONS) return [];
  // A running median of three: one lucky evaluation on a noisy validation set does not make the best.
  const smoothed = points.map((_, index) =>
    median(points.slice(Math.max(0, index - 1), index + 2).map((point) => point.loss)),
  );
  const best = smoothed.reduce((bestIndex, value, index) => (value < smoothed[bestIndex]! ? index : bestIndex), 0);
  const minimum = smoothed[best]!;
  const last = points.slice(-SUSTAINED_EVALUATIONS);
  if (best >= points.length - SUSTAINED_EVALUATIONS || !(minimum > 0)) return [];
  const rise = Math.min(...last.map((point) => point.loss)) / minimum;
  if (!(rise >= LOG_VALIDATION_RISE)) return [];
  const training = trainingChange(trace, points[best]!.step);
  if (training === null || !(rise >= LOG_VALIDATION_RISE * training)) return [];
  const stop = earlyStop(points, SUSTAINED_EVALUATIONS);
  return [
    {
      severity: 'critical',
      confidence: confidenceFromMargin(rise, LOG_VALIDATION_RISE),
      step: points[best]!.step,
      evidence: {
        measured: rise,
        threshold: LOG_VALIDATION_RISE,
        what: `lowest of the last ${SUSTAINED_EVALUATIONS} validation losses over the best one`,
      },
      message:
        `The validation loss was best at ${formatNumber(minimum)} (median of three) at ${unit} ${points[best]!.step} and stayed at least ${formatNumber((rise - 1) * 100)}% above it for the last ${SUSTAINED_EVALUATIONS} evaluations ` +
        `(to ${unit} ${points.at(-1)!.step}, ${formatNumber(points.at(-1)!.loss)}; limit ${formatNumber((LOG_VALIDATION_RISE - 1) * 100)}%), while the training loss ${trainingWords(training)}: the model is overfitting. ` +
        `Early stopping with patience ${SUSTAINED_EVALUATIONS} would have stopped at ${unit} ${stop.stoppedAt} and kept the loss of ${unit} ${stop.kept} (restore_best_weights).`,
      advice,
    },
  ];
}

/** Keras' EarlyStopping(patience, restore_best_weights=True) replayed on the evaluations. */
function earlyStop(points: readonly Point[], patience: number): { stoppedAt: number; kept: number } {
  let best = 0;
  for (let index = 1; index < points.length; index++) {
    if (points[index]!.loss < points[best]!.loss) best = index;
    else if (index - best >= patience) return { stoppedAt: points[index]!.step, kept: points[best]!.step };
  }
  return { stoppedAt: points.at(-1)!.step, kept: points[best]!.step };
}

/** The training loss at the end over its level at `fromStep` (medians of a tenth at each end); null with fewer than two losses. */
function trainingChange(trace: ProbeTrace, fromStep: number): number | null {
  const losses = trace.step.flatMap((step, index) =>
    step >= fromStep && Number.isFinite(trace.loss[index]) ? [trace.loss[index]!] : [],
  );
  if (losses.length < 2) return null;
  const { start, end } = startAndEnd(losses);
  return start > 0 ? end / start : null;
}

/** Within this fraction the training loss is said to have stayed flat (wording only). */
const FLAT = 0.01;

function trainingWords(change: number): string {
  const percent = formatNumber(Math.abs(1 - change) * 100);
  if (Math.abs(1 - change) < FLAT) return 'stayed flat';
  return change < 1 ? `fell ${percent}%` : `rose only ${percent}%`;
}
