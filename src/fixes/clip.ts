/**
 * The `clip` fix (docs/ids.md): clip the global gradient norm between computing and applying the
 * gradients (training.clipNorm, as Keras' global_clipnorm and tf.clip_by_global_norm).
 *
 * The rule, with its sources:
 *
 * - No clipNorm yet: clipNorm = min(1.0, 10 × m) where m is the median global gradient norm of
 *   the run's healthy first steps (CLIP_HEALTHY_STEPS at most, before any blow-up; see
 *   healthyNorms), rounded up to one significant digit; 1.0 (convdoc's default) when there is no
 *   trace or no usable healthy norm.
 *   Pascanu, Mikolov & Bengio 2013 (§3.2) set the threshold from the average norm and report
 *   convergence for thresholds from half to ten times it. Ten times the healthy median is the top
 *   of that range: it leaves healthy steps alone and caps the blow-up. The cap of 1.0 comes from
 *   the probe: the norms of the first steps are measured at initialization, far above where the
 *   loss ends, and clipping at their median did not tame the example runs, while 1.0 did (2 seeds
 *   each, cpu; val loss at step 300, lower is better):
 *     exploding-rnn (healthy median 71):  clip 70 → 1.14, 1.23;  clip 10 → 131, 1.37;  clip 1 → 0.42, 1.23
 *     lr-too-high   (healthy median 160): clip 200 → 31.9, 34.5; clip 10 → 19.4, 29.1; clip 1 → 18.9, 21.7
 *     boston-unscaled:                    clip 100 → 67.7, 67.7; clip 10 → 82.5, 82.2;  clip 1 → 59.7, 51.6
 *   So a run whose healthy norms exceed 0.1 gets 1.0 and the trace only names the evidence; a run
 *   with tiny gradients (m < 0.1) gets a threshold ten times its healthy level, where 1.0 would
 *   not bite until the norm had grown over a hundredfold.
 * - clipNorm already set and the run still explodes (an exploding-gradients or nan-loss finding,
 *   or a probe stopped by a NaN loss): halve it, or take the rule's value when that is lower.
 * - clipNorm set and no explosion: nothing to change.
 *
 * clipValue, when set, stays: the probe applies it after the norm clip.
 */
import type { Config } from '../config/schema.js';
import type { ProbeTrace } from '../trace/trace.js';
import { median } from '../util/stats.js';
import { formatNumber } from '../util/format.js';
import type { FixContext, FixResult, FixTransform } from './transform.js';
import { codeNumber, type FixCodeWriters } from './code/code-context.js';

/** docs/ids.md: "clip the global gradient norm (default 1.0)". Also the cap of the measured rule. */
export const DEFAULT_CLIP_NORM = 1.0;
/** Pascanu et al. 2013: thresholds up to ten times the average norm still converge. */
const CLIP_OVER_HEALTHY = 10;
/** The healthy level is the median of at most this many first steps. */
const CLIP_HEALTHY_STEPS = 10;
/**
 * A step whose norm passes this many times the median of the steps before it ends the healthy
 * prefix: mini-batch noise moves a healthy norm by at most ~10x (src/symptoms/exploding-gradients.ts).
 */
const BLOW_UP_FACTOR = 10;

export interface GradientEvidence {
  /** The healthy first norms and their median. */
  healthy: number[];
  median: number;
  /** The largest finite norm of the run, and the step it was measured at. */
  peak: { value: number; step: number } | null;
  /** The first step whose gradient norm was not finite. */
  nonFiniteStep: number | null;
}

/**
 * The global gradient norms of the first steps before anything went wrong: up to
 * CLIP_HEALTHY_STEPS of them, stopping at the first non-finite norm or loss, or at the first norm
 * BLOW_UP_FACTOR times the median of those before it.
 */
export function healthyNorms(trace: ProbeTrace): number[] {
  const healthy: number[] = [];
  for (let index = 0; index < Math.min(CLIP_HEALTHY_STEPS, trace.globalGradNorm.length); index++) {
    const norm = trace.globalGradNorm[index]!;
    if (!Number.isFinite(norm) || !Number.isFinite(trace.loss[index])) break;
    if (healthy.length > 0 && norm > BLOW_UP_FACTOR * median(healthy)) break;
    healthy.push(norm);
  }
  return healthy;
}

export function gradientEvidence(trace: ProbeTrace): GradientEvidence {
  const healthy = healthyNorms(trace);
  let peak: GradientEvidence['peak'] = null;
  let nonFiniteStep: number | null = null;
  for (const [index, norm] of trace.globalGradNorm.entries()) {
    const step = trace.step[index] ?? index;
    if (!Number.isFinite(norm)) nonFiniteStep ??= step;
    else if (peak === null || norm > peak.value) peak = { value: norm, step };
  }
  return { healthy, median: median(healthy), peak, nonFiniteStep };
}

/** Rounded up to one significant digit: 0.0312 → 0.04, 7 → 7, 71 → 80. */
export function ceilOneDigit(value: number): number {
  const unit = 10 ** Math.floor(Math.log10(value));
  return Number((Math.ceil(value / unit - 1e-9) * unit).toPrecision(1));
}

/** The rule's clip norm for a run: min(1.0, 10 × healthy median rounded up), 1.0 without evidence. */
export function clipNormFor(evidence: GradientEvidence | null): number {
  if (evidence === null || !(evidence.median > 0)) return DEFAULT_CLIP_NORM;
  return Math.min(DEFAULT_CLIP_NORM, ceilOneDigit(CLIP_OVER_HEALTHY * evidence.median));
}

export const clipFix: FixTransform = {
  apply(config: Config, context: FixContext): FixResult {
    const evidence = context.trace === undefined ? null : gradientEvidence(context.trace);
    const current = config.training.clipNorm;
    const ruled = clipNormFor(evidence);
    let to: number;
    let why: string;
    if (current === null) {
      to = ruled;
      why =
        `Clip the global gradient norm at ${formatNumber(to)} (${ruleText(evidence, to)}; Pascanu, ` +
        'Mikolov & Bengio 2013)' +
        `${measuredText(evidence)}, so ${capText(config, to)}.`;
    } else {
      const explodes =
        context.findings.some(
          (finding) => finding.symptom === 'exploding-gradients' || finding.symptom === 'nan-loss',
        ) || context.trace?.stoppedEarly === 'nan-loss';
      if (!explodes) return { config, changes: [] };
      to = Math.min(current / 2, ruled);
      const how =
        to === current / 2
          ? `halved to ${formatNumber(to)}`
          : `lowered to ${formatNumber(to)}, the rule's value, below half of it`;
      why =
        `The run still exploded with clipNorm ${formatNumber(current)}${measuredText(evidence)}, ` +
        `so it is ${how} and ${capText(config, to)}.`;
    }
    return {
      config: { ...config, training: { ...config.training, clipNorm: to } },
      changes: [{ path: ['training', 'clipNorm'], from: current, to, why }],
    };
  },
};

/**
 * What the clip bounds: for plain SGD the update itself (learningRate × clipNorm); the other
 * optimizers rescale the gradient (Adam, RMSprop) or accumulate it (momentum), so for them the
 * clip bounds the gradient they are fed.
 */
function capText(config: Config, clipNorm: number): string {
  const { optimizer, learningRate } = config.training;
  return optimizer === 'sgd'
    ? `no update exceeds learningRate × ${formatNumber(clipNorm)} = ${formatNumber(learningRate * clipNorm)}`
    : `${optimizer} is never fed a gradient of norm above ${formatNumber(clipNorm)}`;
}

function ruleText(evidence: GradientEvidence | null, to: number): string {
  return evidence !== null && to < DEFAULT_CLIP_NORM
    ? 'ten times the healthy median gradient norm, rounded up'
    : "convdoc's default";
}

/**
 * ": the median gradient norm of the first 2 steps was 71.1, it peaked at 1.87e+14 at step 4 and
 * turned non-finite at step 5".
 */
function measuredText(evidence: GradientEvidence | null): string {
  if (evidence === null) return '';
  const parts: string[] = [];
  const steps = evidence.healthy.length;
  if (steps > 0) {
    const norm = steps === 1 ? 'gradient norm of the first step' : `median gradient norm of the first ${steps} steps`;
    parts.push(`the ${norm} was ${formatNumber(evidence.median)}`);
  }
  const after: string[] = [];
  if (evidence.peak !== null && evidence.peak.value > evidence.median)
    after.push(`peaked at ${formatNumber(evidence.peak.value)} at step ${evidence.peak.step}`);
  if (evidence.nonFiniteStep !== null) after.push(`turned non-finite at step ${evidence.nonFiniteStep}`);
  if (after.length > 0) parts.push(`it ${after.join(' and ')}`);
  return parts.length === 0 ? '' : `: ${parts.join(', ')}`;
}

/** clip as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const clipCode: FixCodeWriters = {
  pytorch: (context) =>
    [
      'loss.backward()',
      `torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=${codeNumber(context.clipNorm ?? 1)})`,
      'optimizer.step()',
    ].join('\n'),
  keras: (context) =>
    `optimizer = keras.optimizers.SGD(learning_rate=lr, clipnorm=${codeNumber(context.clipNorm ?? 1)})  # your optimizer, clipnorm added`,
  tfjs: (context) =>
    [
      '// tfjs optimizers do not clip: scale the gradients to a global norm of at most clipNorm',
      `const clipNorm = ${codeNumber(context.clipNorm ?? 1)};`,
      'const { grads } = tf.variableGrads(lossFn);',
      'const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => g.square().sum()))).dataSync()[0];',
      'optimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(Math.min(1, clipNorm / norm))])));',
    ].join('\n'),
};
