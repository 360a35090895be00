/**
 * A frozen run (symptom `plateau`, thresholds for logs): a logged loss does not move at all, to the
 * last printed digit, over the run's last points. Nothing is being learned: the gradients are zero
 * (dead units, a detached graph, a learning rate of 0) or the weights are not updated (an optimizer
 * that does not step). The plateau detector judges a loss that moves too little against the chance
 * level; a loss that does not move at all needs no chance level to be called stuck.
 *
 * The training loss is read first; the validation loss too, because it is measured on one fixed
 * set: a run whose mini-batch losses still differ batch to batch can have weights that no longer
 * change, and then every evaluation prints the same number. Identical numbers prove nothing where
 * the log cannot show a change: where it rounds (HuggingFace logs the training loss to 4 decimals, so
 * a converged 3e-5 prints as 0 every time), or at float32's floor (or exactly 0) after a large fall.
 * A loss pinned at exactly 0 in a log that prints full floats, when it never stood 1000x above
 * float32's floor, is frozen: it had nothing to learn from the start (frozen-series.ts).
 * A training loss that repeats to 1e-6 while the validation loss, measured on its fixed set over the
 * same logged steps, still changes by more than that is not frozen: fixed inputs scored by fixed
 * weights give the same number, so the weights moved (a run whose schedule has annealed the learning
 * rate to almost 0 after it converged: bench log 452, a cosine-decayed run whose loss printed in
 * full changes by 2e-7 to 8e-7 of itself per epoch over its last 3).
 * A loss that is 0 at every logged point from the first, while another series of the same run moves
 * (the other loss, or a logged accuracy), is a placeholder, not a measurement: the weights that
 * moved the other series would have moved it too. Scripts initialise a sum to 0 and print it when the
 * step that adds to it is skipped (`test_loss: 0.00000` each epoch beside a falling training loss,
 * bench log 603, post hoc). Log 487 stays frozen: its loss and its IoU are 0 alike, nothing moves.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import {
  convergedOrUnresolved,
  frozenTail,
  repeatedStretch,
  type FrozenTail,
  type RepeatedStretch,
} from './frozen-series.js';

/** For logs: the points that must be identical at the end of the run: two equal neighbours may be chance. */
export const FROZEN_MIN_POINTS = 3;

export const frozenRun = defineDetector({
  id: 'plateau',
  description:
    'The loss of a logged run does not change at all over its last points: the weights are not being updated (zero gradients, a learning rate of 0, or an optimizer that does not step).',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const frozen = [
      { series: 'loss', steps: trace.step, tail: frozenTail(trace.loss) },
      { series: 'validation loss', steps: trace.evalStep, tail: frozenTail(trace.valLoss) },
    ].find(
      ({ series, tail }) =>
        tail.points >= FROZEN_MIN_POINTS &&
        !convergedOrUnresolved(tail) &&
        !(series === 'loss' && validationMoved(trace, tail)) &&
        !placeholderZero(tail, series === 'loss' ? trace.valLoss : trace.loss, trace),
    );
    if (frozen !== undefined) return [frozenFinding(frozen.series, frozen.tail, frozen.steps, `${stepUnit}`)];
    const repeated = repeatedStretch(trace.loss);
    if (repeated === null || convergedOrUnresolved(repeated.tail)) return [];
    return [repeatedFinding(repeated, trace.step, `${stepUnit}`)];
  },
});

/** The validation loss changes by more than the frozen tolerance at evaluations within the training loss's frozen tail. */
function validationMoved(trace: DynamicsInput['trace'], tail: FrozenTail): boolean {
  const from = trace.step[trace.step.length - tail.points]!;
  const within = trace.valLoss.filter((value, index) => trace.evalStep[index]! >= from && Number.isFinite(value));
  return within.some(
    (value, index) => index > 0 && Math.abs(value - within[index - 1]!) > tail.tolerance * Math.abs(value),
  );
}

/** A series 0 at every point from the first, while the other loss or a logged accuracy moves: never measured. */
function placeholderZero(tail: FrozenTail, otherLoss: readonly number[], trace: DynamicsInput['trace']): boolean {
  if (!(tail.whole && tail.level === 0)) return false;
  const metrics = [trace.valMetric?.values ?? [], trace.trainMetric?.values ?? []];
  return [otherLoss, ...metrics].some((values) => moves(values.filter(Number.isFinite)));
}

/** Whether finite values differ from one another by more than the frozen tolerance. */
function moves(values: readonly number[]): boolean {
  return values.length >= FROZEN_MIN_POINTS && frozenTail(values).points < values.length;
}

/** Per-batch losses that differ, but repeat stretch after stretch: the weights are frozen all the same. */
function repeatedFinding({ period, tail }: RepeatedStretch, steps: readonly number[], unit: string): Detection {
  const from = steps[steps.length - tail.points]!;
  return {
    ...frozenFinding('loss', tail, steps, unit),
    evidence: {
      measured: tail.points / period,
      threshold: FROZEN_MIN_POINTS,
      what: `consecutive stretches of ${period} logged losses that repeat to ${tail.tolerance} (relative)`,
    },
    message:
      `The last ${tail.points / period} stretches of ${period} logged losses (from ${unit} ${from} to ${steps.at(-1)!}) are the same numbers in the same order: ` +
      'the same batches meet the same weights each epoch, so the run is frozen, nothing is being learned. ' +
      'Check that the optimizer steps and its learning rate is not 0, and that gradients reach the weights (no detached tensors, no dead units).',
  };
}

function frozenFinding(series: string, tail: FrozenTail, steps: readonly number[], unit: string): Detection {
  const from = steps[steps.length - tail.points]!;
  const points = series === 'loss' ? 'logged points' : 'evaluations';
  return {
    severity: 'critical',
    confidence: Math.min(1, tail.points / (2 * FROZEN_MIN_POINTS)),
    step: from,
    evidence: {
      measured: tail.points,
      threshold: FROZEN_MIN_POINTS,
      what: `consecutive logged ${series === 'loss' ? 'losses' : 'validation losses'} that differ by less than ${tail.tolerance} (relative)`,
    },
    message:
      `The ${series} is ${formatNumber(tail.level)} at each of the last ${tail.points} ${points} (from ${unit} ${from} to ${steps.at(-1)!}): the run is frozen, nothing is being learned. ` +
      (tail.level === 0
        ? `${zeroWords(tail)}, and a loss of 0 has a gradient of 0: check the labels (one class only?) and what the loss compares. `
        : '') +
      'Check that the optimizer steps and its learning rate is not 0, that gradients reach the weights (no detached tensors, no dead units), and that the loss depends on the model output.',
  };
}

/** How a loss frozen at 0 got there: printed as 0 from the first logged point, or exactly 0 from a start at float32's floor. */
function zeroWords(tail: FrozenTail): string {
  return tail.whole
    ? 'It is 0 as printed at every logged point from the first: no fall to it is in the log, the objective gave the model nothing to learn'
    : `It is exactly 0, and it started at ${formatNumber(tail.start)}, within 1000x of float32's floor (1.19e-7): the objective gave the model nothing to learn`;
}
