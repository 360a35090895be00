import { formatNumber, plural } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import type { ProbeTrace } from '../trace/trace.js';
import { defineDetector, type Detection, type Evidence } from './finding.js';
import type { FixId } from './ids.js';
import { GRADIENT_GROWTH_LIMIT, gradientBlowUp, growthAtInit, type GradientBlowUp } from './exploding-gradients.js';
import { DIVERGENCE_RATIO } from './divergence-limits.js';
import {
  describeOvershoot,
  firstNonFinite,
  firstUpdateOvershoot,
  hasRecurrentLayer,
  layerOf,
  nonFiniteLossName,
  OVERSHOOT_UPDATE_RATIO,
  overshootCause,
  type Overshoot,
} from './signals.js';

/**
 * Any non-finite training loss is fatal: every weight it touches becomes NaN and the run cannot
 * recover (SageMaker Debugger's loss_not_decreasing and tensor_variance rules stop on NaN as
 * well). The threshold is the count of such losses: zero.
 */
export const NON_FINITE_LOSS_LIMIT = 0;
/** A NaN loss is a fact, not an estimate. */
const CERTAIN = 0.99;

interface LossRise {
  factor: number;
  from: number;
  to: number;
  fromValue: number;
  toValue: number;
}

/** The largest finite loss before the NaN over the lowest loss before it: how far the loss ran away. */
function lossRise(losses: readonly number[]): LossRise | null {
  let peak = -1;
  for (let index = 0; index < losses.length; index++)
    if (Number.isFinite(losses[index]) && (peak < 0 || losses[index]! > losses[peak]!)) peak = index;
  if (peak < 1) return null;
  let low = 0;
  for (let index = 1; index < peak; index++) if (losses[index]! < losses[low]!) low = index;
  if (!(losses[low]! > 0)) return null;
  return { factor: losses[peak]! / losses[low]!, from: low, to: peak, fromValue: losses[low]!, toValue: losses[peak]! };
}

export const nanLoss = defineDetector({
  id: 'nan-loss',
  description:
    'The training loss became NaN or infinite: the weights are no longer numbers and the run is lost. ' +
    'Usually the updates blew the weights up first (a learning rate too high, exploding gradients).',
  fixes: ['lr-schedule', 'clip'],
  needs: ['loss'],
  detect({ trace, origin }: DynamicsInput) {
    const found = firstNonFinite(trace.loss);
    if (found < 0 && trace.stoppedEarly !== 'nan-loss') {
      const validation = finalValidationNan(trace);
      return validation === null ? [] : [afterUpdates(validation, trace, trace.loss.length)];
    }
    const index = found < 0 ? trace.loss.length : found;
    const step = trace.nanStep ?? trace.step[index] ?? index;
    const count = Math.max(1, trace.loss.filter((value) => !Number.isFinite(value)).length);
    const evidence = {
      measured: count,
      threshold: NON_FINITE_LOSS_LIMIT,
      what:
        origin === 'log'
          ? 'non-finite training losses in the log'
          : 'non-finite training losses (the probe stops at the first)',
    };
    const head =
      `The training loss became ${found < 0 ? 'NaN' : nonFiniteLossName(trace, index)} at step ${step} ` +
      `(${plural(count, 'non-finite loss value')}; limit ${NON_FINITE_LOSS_LIMIT})`;
    return [
      index === 0
        ? beforeAnyUpdate({ step, evidence, head }, origin)
        : afterUpdates({ step, evidence, head }, trace, index),
    ];
  },
});

/**
 * A run that ends on a non-finite validation loss, its training losses all finite (bench log 236, a
 * Lightning metrics.csv whose last row is `val_loss` nan): the model's outputs overflowed after the
 * last training loss was logged, and nothing after it says the run recovered, so it diverged. Only
 * when the validation loss was finite before (a stand-in's evaluations, whose validation loss is the
 * training curve, hold NaN at every one: log-trace.ts) and no training loss is logged after it (a
 * NaN mid-run that the run trains on past is not its end). A log's empty cell is no value, never NaN.
 */
function finalValidationNan(trace: ProbeTrace): NanAt | null {
  const last = trace.valLoss.at(-1);
  const step = trace.evalStep.at(-1);
  if (last === undefined || step === undefined || Number.isFinite(last)) return null;
  if (!trace.valLoss.some(Number.isFinite) || trace.step.some((at) => at > step)) return null;
  const count = trace.valLoss.filter((value) => !Number.isFinite(value)).length;
  const name = last === Number.POSITIVE_INFINITY ? 'Infinity' : last === Number.NEGATIVE_INFINITY ? '-Infinity' : 'NaN';
  return {
    step,
    evidence: { measured: count, threshold: NON_FINITE_LOSS_LIMIT, what: 'non-finite validation losses' },
    head:
      `The validation loss became ${name} at step ${step}, the last evaluation, and no training loss is logged after it ` +
      `(${plural(count, 'non-finite validation loss')}; limit ${NON_FINITE_LOSS_LIMIT})`,
  };
}

/** What every NaN finding starts from: where the loss became non-finite, and how often. */
interface NanAt {
  step: number;
  evidence: Evidence;
  head: string;
}

function beforeAnyUpdate({ step, evidence, head }: NanAt, origin: DynamicsInput['origin']): Detection {
  return {
    severity: 'critical',
    confidence: CERTAIN,
    step,
    evidence,
    // A log's first row comes after a whole epoch of updates; a probe's first loss before any.
    message:
      origin === 'log'
        ? `${head}, in the first logged row: the data, the loss or the initialization is the likelier cause.`
        : `${head}, on the first batch, before any update: the optimizer cannot be the cause.`,
    fixes: [],
    advice:
      'Look for NaN, infinite or text values in the data (the data findings name them), a loss that takes the log of 0, ' +
      'or a broken initializer.',
  };
}

/** A NaN after updates: what the loss and the gradients did before it says which fix comes first. */
function afterUpdates(at: NanAt, trace: ProbeTrace, index: number): Detection {
  const { step, evidence, head } = at;
  const blowUp = gradientBlowUp(trace, index);
  const rise = lossRise(trace.loss.slice(0, index));
  const exploded = blowUp.growth !== null || blowUp.nonFinite.length > 0;
  const diverged = rise !== null && rise.factor >= DIVERGENCE_RATIO;
  // No warning in the loss or the gradients: the first update itself may have thrown the weights away.
  const overshoot = exploded || diverged ? null : firstUpdateOvershoot(trace);
  if (overshoot !== null) return afterOvershoot(at, trace, overshoot);
  const recurrent = hasRecurrentLayer(trace);
  // Gradients that grew through the stack before any update are the init's doing: a lower rate alone does not cure them.
  const atInit = growthAtInit(trace) !== null;
  const fixes: FixId[] = (exploded && recurrent) || atInit ? ['clip', 'lr-schedule'] : ['lr-schedule', 'clip'];
  const before = warningSigns(trace, blowUp, diverged ? rise : null);
  // A log may hold no gradient norms: then nothing is said about them.
  const { message, advice } = explanation(head, before, {
    exploded,
    diverged,
    recurrent,
    measuredGradients: trace.globalGradNorm.length > 0,
  });
  const initNote = atInit
    ? ' The gradients already grew through the stack before the first update (see exploding-gradients).'
    : '';
  const finding: Detection = {
    severity: 'critical',
    confidence: CERTAIN,
    step,
    evidence,
    message: message + initNote,
    fixes,
  };
  const culprit = blowUp.growth !== null ? blowUp.worst?.variable : (blowUp.firstNonFiniteVariable ?? undefined);
  if (exploded && culprit !== undefined) finding.layer = layerOf(culprit);
  if (advice !== undefined) finding.advice = advice;
  return finding;
}

/**
 * A first update larger than the weights: the learning rate, not the data, threw them away (a data
 * problem shows before any update, in the first loss).
 */
function afterOvershoot({ step, evidence, head }: NanAt, trace: ProbeTrace, overshoot: Overshoot): Detection {
  return {
    severity: 'critical',
    confidence: CERTAIN,
    step,
    evidence,
    layer: layerOf(overshoot.variable),
    message:
      `${head}. The first update moved ${describeOvershoot(overshoot)}; an update past ` +
      `${formatNumber(OVERSHOOT_UPDATE_RATIO)}x the weights replaces them. ${overshootCause(trace)}`,
    fixes: ['lr-schedule', 'clip'],
  };
}

/** What went wrong before the NaN: the loss running away, the gradient norm growing, non-finite gradients. */
function warningSigns(trace: ProbeTrace, blowUp: GradientBlowUp, divergence: LossRise | null): string[] {
  const stepAt = (at: number) => trace.step[at] ?? at;
  const before: string[] = [];
  if (divergence !== null) {
    before.push(
      `the loss grew ${formatNumber(divergence.factor)}x in ` +
        `${plural(divergence.to - divergence.from, 'step')} (${formatNumber(divergence.fromValue)} at ` +
        `step ${stepAt(divergence.from)} to ${formatNumber(divergence.toValue)} at step ` +
        `${stepAt(divergence.to)})`,
    );
  }
  if (blowUp.growth !== null) {
    const worst = blowUp.worst === null ? '' : `, most in ${blowUp.worst.variable}`;
    before.push(
      `the gradient norm grew ${formatNumber(blowUp.growth.factor)}x to ` +
        `${formatNumber(blowUp.growth.value)} (explosion from ` +
        `${formatNumber(GRADIENT_GROWTH_LIMIT)}x${worst})`,
    );
  }
  if (blowUp.nonFinite.length > 0)
    before.push(
      `gradients held non-finite values from step ${stepAt(blowUp.nonFinite[0]!)} (first in ` +
        `${blowUp.firstNonFiniteVariable})`,
    );
  return before;
}

function explanation(
  head: string,
  before: readonly string[],
  {
    exploded,
    diverged,
    recurrent,
    measuredGradients,
  }: Record<'exploded' | 'diverged' | 'recurrent' | 'measuredGradients', boolean>,
): { message: string; advice?: string } {
  if (exploded)
    return {
      message:
        `${head}. Before it ${before.join(' and ')}: the updates blew the weights up. ` +
        (recurrent
          ? 'The model is recurrent: clip the gradient norm first, then lower the learning rate.'
          : 'Lower the learning rate first; clipping the gradient norm guards what is left.'),
    };
  if (diverged) {
    const gradients = measuredGradients
      ? ` while the gradient norm stayed within ${formatNumber(GRADIENT_GROWTH_LIMIT)}x of its level`
      : '';
    return { message: `${head}. Before it ${before.join(' and ')}${gradients}: the learning rate is too high.` };
  }
  const gradients = measuredGradients
    ? ` and the gradient norm within ${formatNumber(GRADIENT_GROWTH_LIMIT)}x of its level`
    : '';
  return {
    message:
      `${head} with no warning: ` +
      `before it the loss stayed within ${formatNumber(DIVERGENCE_RATIO)}x of its minimum${gradients}. ` +
      'Less certain that a training fix helps: a NaN out of nowhere usually comes from the data or the loss.',
    advice:
      'Look for NaN, infinite or text values in the data (the data findings name them) ' +
      'and for a loss that takes the log of 0; a lower learning rate helps only if one update overshot.',
  };
}
