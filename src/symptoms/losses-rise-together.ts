/**
 * Both losses rose and stayed up (symptom `lr-too-high`, thresholds for logs). lr-too-high's
 * end-level rule calls a training loss diverged at twice its minimum (TheDeepChecker), alone; a
 * fine-tune whose learning rate warms up too high often climbs less than that before its schedule
 * decays, while the held-out loss climbs with it and never comes back. Here the two curves vouch for
 * each other, each by the margin overfitting-on-log.ts asks of the validation loss alone: Prechelt's
 * GL_5 ("Early Stopping — But When?", 1998), the loss 5% above its best, sustained over the last
 * three points (Keras' patience 3) and beyond the point-to-point noise. The training loss is read in
 * medians of tenths of the run (lr-too-high's windows), so that mini-batch noise and a lucky batch do
 * not make its minimum. Overfitting is the validation loss rising while the training loss does not;
 * when the training loss rose by the same sustained margin, the model got worse at what it is
 * trained on too: the run diverged, and overfitting-on-log.ts stands aside.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { WINDOW_FRACTION } from './divergence-limits.js';
import { confidenceFromMargin, defineDetector } from './finding.js';
import { FLOOR_FRACTION, learningRateEffect } from './lr-too-high.js';
import { finiteLossSteps, finitePoints, windowMedians } from './signals.js';
import {
  evaluationNoise,
  LOG_VALIDATION_RISE,
  SUSTAINED_EVALUATIONS,
  tenthsRose,
  type Evaluation,
} from './validation-rise.js';

/** For logs: GL_5 on both curves (Prechelt 1998), the margin overfitting-on-log.ts asks of the validation loss. */
const BOTH_RISE = LOG_VALIDATION_RISE;

interface Rise {
  /** The lowest point before the last SUSTAINED_EVALUATIONS (for the training loss, a tenth's median). */
  best: Evaluation;
  /** The lowest of the last SUSTAINED_EVALUATIONS points, and its ratio to the best. */
  level: number;
  rise: number;
  /** The best's index among the points. */
  bestIndex: number;
}

export interface LossesRise {
  /** For the training loss, indices into the trace's steps: where its best tenth and its last three begin. */
  training: Rise & { risenIndex: number; width: number };
  validation: Rise;
}

/** Both losses held BOTH_RISE above their best over their last three points, beyond the noise; null otherwise. */
export function lossesRise(trace: ProbeTrace): LossesRise | null {
  const evaluations = finitePoints(trace.evalStep, trace.valLoss);
  const validation = tenthsRose(evaluations) ? sustainedRise(evaluations, 0, evaluations) : null;
  if (validation === null) return null;
  const span = finiteLossSteps(trace);
  const losses = trace.step.slice(0, span).map((step, index) => ({ step, loss: trace.loss[index]! }));
  const width = Math.max(1, Math.round(span * WINDOW_FRACTION));
  const levels = windowMedians(
    losses.map((point) => point.loss),
    width,
  ).map((loss, k) => ({ step: losses[k * width]!.step, loss }));
  // Near a loss's floor mini-batch noise is large against it: lr-too-high's floor, a tenth of the start.
  const training = sustainedRise(levels, FLOOR_FRACTION * (levels[0]?.loss ?? Number.NaN), losses, width);
  if (training === null) return null;
  const risenIndex = (levels.length - SUSTAINED_EVALUATIONS) * width;
  return { training: { ...training, bestIndex: training.bestIndex * width, risenIndex, width }, validation };
}

/**
 * The rise of the last SUSTAINED_EVALUATIONS points over the best before them (raised to `floor`),
 * which must exceed the noise of the `raw` points the levels are medians of (`width` of them each):
 * the typical change from one raw point to the next, a bound on a median's noise that a steady climb
 * of the levels does not inflate.
 */
function sustainedRise(
  points: readonly Evaluation[],
  floor: number,
  raw: readonly Evaluation[],
  width = 1,
): Rise | null {
  if (points.length < SUSTAINED_EVALUATIONS + 1) return null;
  const before = points.slice(0, -SUSTAINED_EVALUATIONS);
  const bestIndex = before.reduce((best, point, index) => (point.loss < before[best]!.loss ? index : best), 0);
  const best = before[bestIndex]!;
  const reference = Math.max(best.loss, floor);
  const level = Math.min(...points.slice(-SUSTAINED_EVALUATIONS).map((point) => point.loss));
  if (!(reference > 0) || !(level >= BOTH_RISE * reference)) return null;
  if (!(level - reference > evaluationNoise(raw, bestIndex * width))) return null;
  return { best, level, rise: level / reference, bestIndex };
}

export const lossesRiseTogether = defineDetector({
  id: 'lr-too-high',
  description:
    'Over a logged run the training and validation losses both rose above their best and stayed there: the run diverged (not overfitting, which keeps the training loss falling).',
  fixes: ['lr-schedule'],
  // Without a validation loss it finds nothing, and lr-too-high's own rules still judged the loss:
  // the symptom was evaluated, so `notEvaluated` must not list it for the validation loss.
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const rose = lossesRise(trace);
    if (rose === null) return [];
    const { training, validation } = rose;
    const percent = (rise: number) => `${formatNumber((rise - 1) * 100)}%`;
    return [
      {
        severity: 'critical',
        confidence: confidenceFromMargin(Math.min(training.rise, validation.rise), BOTH_RISE),
        step: training.best.step,
        evidence: {
          measured: Math.min(training.rise, validation.rise),
          threshold: BOTH_RISE,
          what: 'the smaller of the two rises: the lowest of the last three points over the best before them (training loss in medians of tenths)',
        },
        message:
          `Both losses rose and stayed up: the training loss's last ${SUSTAINED_EVALUATIONS} ${training.width > 1 ? 'tenths of the run (medians)' : 'logged values'} are at least ${percent(training.rise)} above its lowest, ${formatNumber(training.best.loss)} (${training.width > 1 ? 'the tenth from' : 'at'} ${stepUnit} ${training.best.step}), ` +
          `and the validation loss's last ${SUSTAINED_EVALUATIONS} evaluations at least ${percent(validation.rise)} above its best, ${formatNumber(validation.best.loss)} (${stepUnit} ${validation.best.step}; limit ${percent(BOTH_RISE)} each, beyond the point-to-point noise). ` +
          'The model got worse on the data it trains on too: the run diverged (overfitting keeps the training loss falling). ' +
          learningRateEffect(trace, training.bestIndex, training.risenIndex) +
          'Lower the peak learning rate (an LR range test finds one; BERT fine-tunes at 2e-5 to 5e-5) or lengthen its warmup, and keep the checkpoint of the best evaluation.',
      },
    ];
  },
});
