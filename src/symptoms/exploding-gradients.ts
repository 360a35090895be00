import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber, plural } from '../util/format.js';
import { median } from '../util/stats.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import type { FixId } from './ids.js';
import {
  finiteLossSteps,
  hasRecurrentLayer,
  kernelNames,
  layerOf,
  nonFiniteLossName,
  peakGrowth,
  type Growth,
} from './signals.js';

/**
 * The global gradient norm must not grow past 1000x its recent level. AUTOTRAINER (Zhang et al.,
 * ICSE'21) calls gradients exploding when they become non-finite or the first/last layer ratio
 * passes 70, and SageMaker Debugger's exploding_tensor rule looks for non-finite values only: both
 * see the blow-up once it has happened. A probe records it as it happens, within a few mini-batch
 * steps, so it measures growth directly: the largest norm over the median of the first steps of a
 * trailing window. Mini-batch noise moves a healthy
 * norm by at most ~10x (the example runs: 6.6x for SGD on Boston, 7.5x for Adam on Iris); three
 * orders of magnitude is a blow-up, and it is critical: at that pace the weights overflow within
 * tens of steps.
 */
export const GRADIENT_GROWTH_LIMIT = 1e3;
/** The baseline: the median of this many steps, so one noisy mini-batch does not set the level. */
export const BASELINE_STEPS = 5;
/** Growth is measured over at most this many steps (the design's "grew 1.3e6x in 20 steps"). */
export const GROWTH_WINDOW = 20;
/**
 * AUTOTRAINER's exploding-gradient ratio: the first kernel's gradient norm over the last one's
 * above 70. Its rule looks at single steps of long runs; a probe's single step is one mini-batch,
 * so the median over the probe must pass it (sustained, not a spike).
 */
export const FIRST_LAST_RATIO_LIMIT = 70;
/** Fewer steps with a measurable ratio than this, and the median is not judged. */
export const MIN_RATIO_STEPS = 10;
/** A large ratio alone can come from a wide first layer (its norm sums more entries): capped confidence. */
const RATIO_ONLY_CONFIDENCE = 0.7;
/** Non-finite gradients while the loss is finite are an overflow; rarely a log/sqrt of 0 in the model. */
const NON_FINITE_CONFIDENCE = 0.9;

export interface GradientBlowUp {
  /** Growth of the global gradient norm, when it passed GRADIENT_GROWTH_LIMIT. */
  growth: Growth | null;
  /** The variable whose own gradient norm grew most (named in messages), with its growth. */
  worst: { variable: string; growth: Growth } | null;
  /** Indices of steps (with a finite loss) at which some gradient held a non-finite value. */
  nonFinite: number[];
  /** The first variable with a non-finite gradient. */
  firstNonFiniteVariable: string | null;
}

/**
 * What the gradients did over the steps with a finite loss (the first `span` indices): their
 * growth past GRADIENT_GROWTH_LIMIT, and steps with non-finite values. Shared with nan-loss, which
 * asks whether the gradients blew up before the loss did.
 */
export function gradientBlowUp(trace: ProbeTrace, span = finiteLossSteps(trace)): GradientBlowUp {
  const global = peakGrowth(trace.globalGradNorm.slice(0, span), BASELINE_STEPS, GROWTH_WINDOW, GRADIENT_GROWTH_LIMIT);
  const growth = global !== null && global.factor > GRADIENT_GROWTH_LIMIT ? global : null;
  let worst: GradientBlowUp['worst'] = null;
  for (const [variable, norms] of Object.entries(trace.gradNorm)) {
    const variableGrowth = peakGrowth(norms.slice(0, span), BASELINE_STEPS, GROWTH_WINDOW);
    if (variableGrowth !== null && (worst === null || variableGrowth.factor > worst.growth.factor))
      worst = { variable, growth: variableGrowth };
  }
  const spanSteps = new Set(trace.step.slice(0, span));
  const stepIndex = new Map(trace.step.map((step, index) => [step, index]));
  const nonFinite = new Set<number>();
  let firstNonFiniteVariable: string | null = null;
  let firstIndex = Number.POSITIVE_INFINITY;
  for (const [variable, steps] of Object.entries(trace.nonFiniteSteps)) {
    for (const step of steps) {
      if (!spanSteps.has(step)) continue;
      const index = stepIndex.get(step)!;
      nonFinite.add(index);
      if (index < firstIndex) [firstIndex, firstNonFiniteVariable] = [index, variable];
    }
  }
  return { growth, worst, nonFinite: [...nonFinite].sort((a, b) => a - b), firstNonFiniteVariable };
}

/** Per step, ‖g_first kernel‖ / ‖g_last kernel‖ where both are finite and non-zero (0/0 says nothing). */
export function firstLastRatios(
  trace: ProbeTrace,
  span = finiteLossSteps(trace),
): { first: string; last: string; ratios: { index: number; ratio: number }[] } | null {
  const kernels = kernelNames(trace);
  if (kernels.length < 2) return null;
  const first = kernels[0]!;
  const last = kernels.at(-1)!;
  const firstNorms = trace.gradNorm[first] ?? [];
  const lastNorms = trace.gradNorm[last] ?? [];
  const ratios: { index: number; ratio: number }[] = [];
  for (let index = 0; index < Math.min(span, firstNorms.length, lastNorms.length); index++) {
    const a = firstNorms[index]!;
    const b = lastNorms[index]!;
    if (Number.isFinite(a) && Number.isFinite(b) && a > 0 && b > 0) ratios.push({ index, ratio: a / b });
  }
  return { first, last, ratios };
}

function stepRange(first: number, last: number): string {
  return first === last ? `step ${first}` : `steps ${first}-${last}`;
}

/** What every branch of the detector shares: the blow-up, the fixes, and how the run ended. */
interface Context {
  trace: ProbeTrace;
  span: number;
  blowUp: GradientBlowUp;
  fixes: FixId[];
  /** `, then the loss became NaN at step N`, or empty. */
  nanAfter: string;
  cure: string;
  stepAt: (index: number) => number;
}

export const explodingGradients = defineDetector({
  id: 'exploding-gradients',
  description:
    'The gradient norm blows up by orders of magnitude within a few steps, or holds Inf/NaN values: each update throws the weights far away, the loss jumps or becomes NaN, and ReLUs die.',
  fixes: ['clip', 'lr-schedule'],
  needs: ['grad_norm'],
  detect({ trace }: DynamicsInput) {
    const span = finiteLossSteps(trace);
    const stepAt = (index: number) => trace.step[index] ?? index;
    const atInit = growthAtInit(trace);
    const context: Context = {
      trace,
      span,
      blowUp: gradientBlowUp(trace, span),
      fixes: explosionFixes(trace, atInit !== null),
      nanAfter:
        span < trace.loss.length || trace.stoppedEarly === 'nan-loss'
          ? `, then the loss became ${nonFiniteLossName(trace, span)} at step ${trace.nanStep ?? stepAt(span)}`
          : '',
      cure: cureText(trace, atInit !== null),
      stepAt,
    };
    const finding =
      growthFinding(context) ?? nonFiniteFinding(context) ?? initFinding(context, atInit) ?? ratioFinding(context);
    return finding === null ? [] : [finding];
  },
});

/**
 * Clipping is the standard cure in recurrent networks (Pascanu, Mikolov & Bengio 2013); gradients
 * that already grow through the stack before any update come from the initialization, which batch
 * normalization rescales layer by layer (Ioffe & Szegedy 2015) and clipping caps; elsewhere a lower
 * learning rate is the cure.
 */
function explosionFixes(trace: ProbeTrace, atInit: boolean): FixId[] {
  if (hasRecurrentLayer(trace)) return ['clip', 'lr-schedule'];
  return atInit ? ['batchnorm', 'clip', 'lr-schedule'] : ['lr-schedule', 'clip'];
}

function cureText(trace: ProbeTrace, atInit: boolean): string {
  if (hasRecurrentLayer(trace))
    return 'The model is recurrent: clip the global gradient norm (Pascanu et al. 2013), then lower the learning rate.';
  return atInit
    ? 'The gradients grew through the stack before any update: batch normalization keeps each layer at scale and clipping caps the step; a lower rate alone does not.'
    : 'Lower the learning rate (with a schedule); clipping the gradient norm caps what is left.';
}

function growthFinding({ blowUp, fixes, nanAfter, cure, stepAt }: Context): Detection | null {
  const { growth, worst } = blowUp;
  if (growth === null) return null;
  const worstText =
    worst === null
      ? ''
      : `; most in ${worst.variable} (${formatNumber(worst.growth.factor)}x, to ${formatNumber(worst.growth.value)})`;
  const baselineSteps = stepRange(
    stepAt(growth.from),
    stepAt(Math.min(growth.index, growth.from + BASELINE_STEPS) - 1),
  );
  const finding: Detection = {
    severity: 'critical',
    confidence: confidenceFromMargin(growth.factor, GRADIENT_GROWTH_LIMIT),
    step: stepAt(growth.firstPast),
    evidence: {
      measured: growth.factor,
      threshold: GRADIENT_GROWTH_LIMIT,
      what: `global gradient norm growth over at most ${GROWTH_WINDOW} steps (peak over the median of the first ${BASELINE_STEPS})`,
    },
    message:
      `The global gradient norm grew ${formatNumber(growth.factor)}x in ${plural(growth.index - growth.from, 'step')} ` +
      `(from a median ${formatNumber(growth.baseline)} over ${baselineSteps} to ${formatNumber(growth.value)} at step ${stepAt(growth.index)}), past the ${formatNumber(GRADIENT_GROWTH_LIMIT)}x limit at step ${stepAt(growth.firstPast)}` +
      `${worstText}${nonFiniteText(blowUp, stepAt)}${nanAfter}. ${cure}`,
    fixes,
  };
  if (worst !== null) finding.layer = layerOf(worst.variable);
  return finding;
}

function nonFiniteText(blowUp: GradientBlowUp, stepAt: (index: number) => number): string {
  return blowUp.nonFinite.length > 0
    ? `, then gradients held non-finite values (Inf/NaN) at ${plural(blowUp.nonFinite.length, 'step')} from step ${stepAt(blowUp.nonFinite[0]!)} on (first in ${blowUp.firstNonFiniteVariable})`
    : '';
}

function nonFiniteFinding({ blowUp, span, fixes, nanAfter, cure, stepAt }: Context): Detection | null {
  if (blowUp.nonFinite.length === 0) return null;
  const first = blowUp.nonFinite[0]!;
  return {
    severity: 'critical',
    confidence: NON_FINITE_CONFIDENCE,
    layer: layerOf(blowUp.firstNonFiniteVariable!),
    step: stepAt(first),
    evidence: {
      measured: blowUp.nonFinite.length,
      threshold: 0,
      what: 'steps with a non-finite (Inf/NaN) gradient while the loss was finite',
    },
    message:
      `Gradients held non-finite values (Inf/NaN) at ${plural(blowUp.nonFinite.length, 'step')} of ${span} while the loss was finite (limit 0), ` +
      `first at step ${stepAt(first)} in ${blowUp.firstNonFiniteVariable}${nanAfter}: they overflowed float32. ${cure}`,
    fixes,
  };
}

/** Gradients growing through the stack on the first step, before any update: AUTOTRAINER's ratio, at step 0. */
interface InitGrowth {
  first: string;
  last: string;
  ratio: number;
  kernels: number;
}

/**
 * At least this many kernels: the ratio of a two-layer net says more about its layers' widths than
 * about growth through depth.
 */
const MIN_INIT_KERNELS = 3;
/**
 * "Growing with depth": at least this share of consecutive kernels, from the output back to the
 * input, has a larger gradient norm than the one after it (one exception in a five-kernel stack).
 */
const GROWING_PAIRS = 0.75;

/**
 * The first step's kernel gradient norms, when they grow back through a stack of MIN_INIT_KERNELS
 * or more and the first over the last passes FIRST_LAST_RATIO_LIMIT: before any update, only the
 * initialization (or the data's scale) can have made them.
 */
export function growthAtInit(trace: ProbeTrace): InitGrowth | null {
  const kernels = kernelNames(trace);
  const norms = kernels.map((variable) => trace.gradNorm[variable]?.[0] ?? Number.NaN);
  if (kernels.length < MIN_INIT_KERNELS || !norms.every((norm) => Number.isFinite(norm) && norm > 0)) return null;
  const ratio = norms[0]! / norms.at(-1)!;
  const growing = norms.slice(1).filter((norm, index) => norms[index]! > norm).length;
  if (!(ratio > FIRST_LAST_RATIO_LIMIT) || growing < GROWING_PAIRS * (norms.length - 1)) return null;
  return { first: kernels[0]!, last: kernels.at(-1)!, ratio, kernels: kernels.length };
}

/**
 * Growth at the first step that ended in a NaN: critical, and the init's doing. Without the NaN the
 * ratio rule below judges it, with its caveat (a wide first layer has a larger norm by its size).
 */
function initFinding({ trace, fixes, nanAfter, cure, stepAt }: Context, atInit: InitGrowth | null): Detection | null {
  if (atInit === null || nanAfter === '') return null;
  return {
    severity: 'critical',
    confidence: Math.min(NON_FINITE_CONFIDENCE, confidenceFromMargin(atInit.ratio, FIRST_LAST_RATIO_LIMIT)),
    layer: layerOf(atInit.first),
    step: stepAt(0),
    evidence: {
      measured: atInit.ratio,
      threshold: FIRST_LAST_RATIO_LIMIT,
      what: `gradient norm of ${atInit.first} over ${atInit.last} on the first step, before any update`,
    },
    message:
      `Before any update, the gradient norm grows ${formatNumber(atInit.ratio)}x from ${atInit.last} back to ${atInit.first} ` +
      `through ${atInit.kernels} kernels (AUTOTRAINER's limit ${FIRST_LAST_RATIO_LIMIT}x)${nanAfter}: ` +
      `the initialization amplifies gradients with depth (${trace.layers.length} layers). ${cure}`,
    fixes,
  };
}

function ratioFinding({ trace, span, fixes, cure, stepAt }: Context): Detection | null {
  const measured = firstLastRatios(trace, span);
  if (measured === null || measured.ratios.length < MIN_RATIO_STEPS) return null;
  const ratio = median(measured.ratios.map(({ ratio }) => ratio));
  if (!(ratio > FIRST_LAST_RATIO_LIMIT)) return null;
  const firstPast = measured.ratios.find(({ ratio }) => ratio > FIRST_LAST_RATIO_LIMIT)!.index;
  return {
    severity: 'warning',
    confidence: Math.min(RATIO_ONLY_CONFIDENCE, confidenceFromMargin(ratio, FIRST_LAST_RATIO_LIMIT)),
    layer: layerOf(measured.first),
    step: stepAt(firstPast),
    evidence: {
      measured: ratio,
      threshold: FIRST_LAST_RATIO_LIMIT,
      what: `median gradient norm of ${measured.first} over ${measured.last}`,
    },
    message:
      `The gradient norm of ${measured.first} is a median ${formatNumber(ratio)}x that of ${measured.last} over ${plural(measured.ratios.length, 'step')} ` +
      `(AUTOTRAINER's limit ${FIRST_LAST_RATIO_LIMIT}x), first past it at step ${stepAt(firstPast)}: gradients grow on the way back to the input. ` +
      `Less certain: the norm did not blow up over time, and a wide first layer has a larger gradient norm by its size alone. ${cure}`,
    fixes,
  };
}
