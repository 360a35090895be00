import type { ProbeTrace } from '../trace/trace.js';
import type { FixId } from './ids.js';
import { formatNumber } from '../util/format.js';
import { medianOfThree } from '../util/stats.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector } from './finding.js';
import { EARLY_FRACTION, tinyUpdates, tooShortToJudge } from './lr-too-low.js';
import { describePlanEnd, planEnd } from './projection.js';
import {
  kernelUpdateMedians,
  LEARNED_FRACTION_OF_CHANCE,
  lossLevels,
  type LossLevels,
  PROGRESS_PER_WINDOW,
  startAndEnd,
} from './signals.js';

/**
 * TheDeepChecker requires the loss to fall by at least 5% per window; a plateau is a loss that
 * failed that over the whole second half of the probe, one window of ~150 steps.
 */
export const PLATEAU_PROGRESS = PROGRESS_PER_WINDOW;
/** The part of the probe judged: from this fraction of its steps to the end. */
const PLATEAU_FROM = 0.5;
/**
 * Stalled "well above what the model can reach": still at or above the line below which a run has
 * learned. A run that stalls lower has learned and may simply have converged.
 */
export const CHANCE_FRACTION = LEARNED_FRACTION_OF_CHANCE;
/**
 * Ambiguity: the first and last layers' updates differ by three orders of magnitude (the plateau
 * follows from vanishing gradients), or every update dies out by 100x during the probe (a saturated
 * output, dead units): then the plateau is a consequence, and the confidence is lower.
 */
const VANISHING_SPREAD = 1e3;
const DYING_UPDATES = 1e-2;
/** A loss more than twice the chance level is not an optimization plateau but a config or target bug. */
const FAR_ABOVE_CHANCE = 2;
/**
 * Hidden activations whose stall is a known failure: the logistic sigmoid's outputs sit near 0.5
 * with a peak slope of 0.25 and saturate the top hidden layer, and networks built of them stay on a
 * plateau at the start of training (Glorot & Bengio 2010, "Understanding the difficulty of training
 * deep feedforward neural networks"; LeCun et al., Efficient BackProp §4.4). ReLU comes first then.
 */
const PLATEAU_PRONE: ReadonlySet<string> = new Set(['sigmoid', 'hardSigmoid']);
/**
 * Hidden activations the activation fix also replaces, after the learning rate: tanh does not stall
 * the way the sigmoid does (Glorot & Bengio 2010), but networks of rectifiers train better than
 * networks of tanh units (Glorot, Bordes & Bengio 2011, "Deep Sparse Rectifier Neural Networks"),
 * so a stalled tanh network has ReLU as a remedy to try; on ReLU layers the fix changes nothing.
 */
const RECTIFIABLE: ReadonlySet<string> = new Set(['tanh']);

export const plateau = defineDetector({
  id: 'plateau',
  description:
    'The loss stopped improving while still near the chance-level loss: training stalled well above what the model can reach, though the weights still move.',
  fixes: ['lr-schedule', 'search', 'activation'],
  needs: ['loss', 'chance_loss'],
  detect({ trace }: DynamicsInput) {
    const chance = trace.chanceLoss;
    if (tooShortToJudge(trace) || chance === null || !(chance > 0)) return [];
    const late = lossLevels(trace, PLATEAU_FROM);
    if (late === null || late.progress >= PLATEAU_PROGRESS || late.end < CHANCE_FRACTION * chance) return [];
    // A validation loss that rose back after the model fit its training rows is overfitting's.
    if (late.series === 'validation' && generalizationLost(trace, chance)) return [];
    // Tiny updates from the first step on are lr-too-low's finding, not a plateau.
    if (tinyUpdates(trace) !== null) return [];
    // A flat slice of a longer plan is judged where the plan ends: not a finding when even the
    // optimistic projection learns by then (a slow start that a longer run outgrows).
    const end = planEnd(trace);
    if (end?.kind === 'projected' && end.low < CHANCE_FRACTION * chance) return [];

    const whole = lossLevels(trace);
    const fitting = end?.kind === 'projected' && late.series === 'validation' ? stillFitting(trace, chance) : null;
    const learnedNothing =
      whole !== null && whole.progress < PLATEAU_PROGRESS && late.end >= chance && fitting === null;
    const caveats = plateauCaveats(trace, late.end / chance);
    const sigmoidHidden = trace.layers.slice(0, -1).filter((layer) => PLATEAU_PRONE.has(layer.activation));
    const flatness = 1 - Math.max(0, late.progress) / PLATEAU_PROGRESS;
    const confidence = (0.6 + 0.35 * flatness) * 0.7 ** caveats.length;
    const change =
      late.progress >= 0
        ? `fell only ${formatNumber(late.progress * 100)}%`
        : `rose ${formatNumber(-late.progress * 100)}%`;
    return [
      {
        severity: learnedNothing ? 'critical' : 'warning',
        confidence: Math.round(confidence * 100) / 100,
        step: late.startStep,
        evidence: {
          measured: late.progress,
          threshold: PLATEAU_PROGRESS,
          what: `fraction of the ${late.series} loss removed from step ${late.startStep} to step ${late.endStep}, measured`,
        },
        message:
          `The ${late.series} loss ${change} from step ${late.startStep} to step ${late.endStep} (${formatNumber(late.start)} to ${formatNumber(late.end)}; ` +
          `progress limit ${formatNumber(PLATEAU_PROGRESS * 100)}%), stalled at ${formatNumber(late.end / chance)}x the chance-level loss ${formatNumber(chance)} ` +
          `(plateau from ${formatNumber(CHANCE_FRACTION)}x)${learnedNothing ? ': the run has learned nothing' : ''}.` +
          (end?.planned === true ? ` ${describePlanEnd(end, chance)}` : '') +
          fittingNote(fitting, chance) +
          (caveats.length > 0
            ? ` Less certain: ${caveats.join('; ')}.`
            : ' A different learning rate or schedule (or a search) usually escapes it.') +
          (sigmoidHidden.length > 0
            ? ` The hidden layers ${sigmoidHidden.map((layer) => layer.name).join(', ')} are ${sigmoidHidden[0]!.activation}: ` +
              'networks of them stall this way (Glorot & Bengio 2010), so ReLU comes first.'
            : ''),
        fixes: plateauFixes(trace),
      },
    ];
  },
});

/** The activation first under sigmoid hidden layers, last under tanh ones, absent where it changes nothing. */
function plateauFixes(trace: ProbeTrace): FixId[] {
  const hidden = trace.layers.slice(0, -1);
  if (hidden.some((layer) => PLATEAU_PRONE.has(layer.activation))) return ['activation', 'lr-schedule', 'search'];
  if (hidden.some((layer) => RECTIFIABLE.has(layer.activation))) return ['lr-schedule', 'search', 'activation'];
  return ['lr-schedule', 'search'];
}

/**
 * A plateau is a failure to fit (underfitting: the training error stays high); a model whose
 * training loss fell below the learned line while its validation loss, once below that line too,
 * climbed back is fitting its training rows and losing what it generalized: overfitting, the gap
 * between training and held-out error (Goodfellow, Bengio & Courville 2016, "Deep Learning", §5.2),
 * which overfitting.ts judges. The validation minimum is a running median of three evaluations, so
 * one lucky evaluation does not make it. A validation loss that never left chance while the training
 * loss fell learned nothing that carries over, and stays a plateau (as not-learning.ts on logs).
 */
function generalizationLost(trace: ProbeTrace, chance: number): boolean {
  const learned = CHANCE_FRACTION * chance;
  const training = trace.loss.slice(Math.floor(trace.loss.length * PLATEAU_FROM)).filter(Number.isFinite);
  if (training.length === 0 || !(startAndEnd(training).end < learned)) return false;
  const validation = trace.valLoss.filter(Number.isFinite);
  const smoothed = medianOfThree(validation);
  return smoothed.some((loss) => loss < learned);
}

/**
 * The training loss's late levels when it has learned (below the learned line) and still falls by the
 * progress limit over the judged window: by TheDeepChecker's per-window test the optimization has not
 * stalled. In a slice of a longer plan, a validation loss that has not followed yet is then not proof
 * that the planned run learns nothing (its projection fits a curve the fitting has not bent yet), so
 * the plateau stays a warning. Where the probe ran the whole plan, the end is measured and it stays
 * critical. Null when the training loss stalled or has not learned.
 */
function stillFitting(trace: ProbeTrace, chance: number): LossLevels | null {
  const training = lossLevels(trace, PLATEAU_FROM, 'training');
  if (training === null || training.progress < PLATEAU_PROGRESS) return null;
  return training.end < CHANCE_FRACTION * chance ? training : null;
}

/** The sentence that says why a plateau at chance stays a warning while the training loss still fits. */
function fittingNote(fitting: LossLevels | null, chance: number): string {
  if (fitting === null) return '';
  return (
    ` The training loss still fell ${formatNumber(fitting.progress * 100)}% over the same steps, to ${formatNumber(fitting.end / chance)}x the chance level: ` +
    'the model is still fitting, and the planned run has steps left for the validation loss to follow.'
  );
}

/** Why the plateau may be a consequence of something else, which lowers the confidence. */
function plateauCaveats(trace: ProbeTrace, ofChance: number): string[] {
  const medians = kernelUpdateMedians(trace)
    .map(({ median }) => median)
    .filter(Number.isFinite);
  const early = kernelUpdateMedians(trace, 0, EARLY_FRACTION).map(({ median }) => median);
  const lateMedians = kernelUpdateMedians(trace, PLATEAU_FROM).map(({ median }) => median);
  const caveats: string[] = [];
  if (medians.length > 0 && medians.every((median) => median === 0))
    caveats.push(
      'the optimizer applies no update at all (zero gradients): a broken output or loss, not an optimization plateau',
    );
  else if (medians.length >= 2 && Math.max(...medians) > VANISHING_SPREAD * Math.min(...medians))
    caveats.push(
      `the first layers move over ${formatNumber(VANISHING_SPREAD)}x less than the last: vanishing gradients look like the cause`,
    );
  else if (
    lateMedians.length > 0 &&
    lateMedians.every((median, k) => median < DYING_UPDATES * (early[k] ?? Number.NaN))
  )
    caveats.push(
      `every layer's updates died out over ${formatNumber(1 / DYING_UPDATES)}x during the probe: saturated or dead units look like the cause`,
    );
  if (ofChance > FAR_ABOVE_CHANCE)
    caveats.push(
      `the loss is ${formatNumber(ofChance)}x the chance level, worse than a constant prediction: look for a config or target bug`,
    );
  return caveats;
}
