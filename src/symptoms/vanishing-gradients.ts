import type { ProbeTrace } from '../trace/trace.js';
import { agree, formatLossChange, formatNumber, plural } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import type { FixId } from './ids.js';
import { firstLastRatios } from './exploding-gradients.js';
import { median } from '../util/stats.js';
import { finiteLossSteps, layerOf, lossLevels, PROGRESS_PER_WINDOW, type LossLevels } from './signals.js';

/**
 * AUTOTRAINER (Zhang et al., ICSE'21): gradients vanish when the first layer's gradient norm is
 * below 1e-3 of the last layer's. Its rule judges single steps of long runs; a probe step is one
 * mini-batch, so the median over the probe must be below it.
 */
export const FIRST_LAST_RATIO_LIMIT = 1e-3;
/**
 * AUTOTRAINER also asks for ‖g_first‖ < 1e-4, an absolute bound that moves with the loss scale
 * (an MSE on house prices has gradients 1000x those of a cross-entropy). Its purpose is to confirm
 * that the first layer is not learning, which a scale-free reading says directly: the first
 * kernel's median update ratio ‖Δw‖/‖w‖ below 1e-5, DeepDiagnosis' bound for weights that do not
 * move (300 such steps change the layer by under 0.3%). Adam rescales small gradients, so the first
 * layer can move while the gradient still vanishes; the other companion, the loss making less than
 * TheDeepChecker's 5% progress over the probe, covers that case. One of the two must hold.
 */
export const FIRST_LAYER_UPDATE_LIMIT = 1e-5;
export const MIN_PROGRESS = PROGRESS_PER_WINDOW;
/**
 * The median needs this many steps where both norms are finite and non-zero, and at least half the
 * steps with a finite loss: all-zero gradients (0/0, a broken output) and NaN runs are not judged.
 */
export const MIN_RATIO_STEPS = 10;
const MIN_RATIO_SHARE = 0.5;
/** Activations whose derivative is at most 1/4 (sigmoid) or 1 and shrinking (tanh): each layer shrinks the gradient. */
const SQUASHING: ReadonlySet<string> = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'softsign']);
/** One companion only: the evidence is less complete. */
const ONE_COMPANION = 0.85;

/** Hidden layers (all but the output) with a squashing activation. */
function squashingHiddenLayers(trace: ProbeTrace): string[] {
  return trace.layers
    .slice(0, -1)
    .filter((layer) => SQUASHING.has(layer.activation.toLowerCase()))
    .map((layer) => layer.name);
}

/** The loss's progress over the probe, the second companion sign. */
function progressText(levels: LossLevels | null): string {
  if (levels === null) return 'the loss progress was not measured';
  return (
    `the ${levels.series} loss ${formatLossChange(levels.progress)} over the probe ` +
    `(progress limit ${formatNumber(MIN_PROGRESS * 100)}%)`
  );
}

/** Why the gradient fades, and what to change: the squashing layers when there are any. */
function causeText(squashing: readonly string[]): string {
  if (squashing.length === 0)
    return "Batch normalization keeps every layer's input, and so its gradient, at unit scale.";
  return (
    `${plural(squashing.length, 'hidden layer')} with sigmoid/tanh ` +
    `(${squashing.slice(0, 3).join(', ')}${squashing.length > 3 ? ', ...' : ''}) ` +
    `${agree(squashing.length, 'shrinks', 'shrink')} the gradient on its way back: use ReLU, ` +
    'or batch normalization.'
  );
}

export const vanishingGradients = defineDetector({
  id: 'vanishing-gradients',
  description:
    'The gradient shrinks by orders of magnitude on its way back to the input, ' +
    'so the first layers barely learn. Typical of deep stacks of sigmoid or tanh layers.',
  fixes: ['activation', 'batchnorm'],
  needs: ['loss', 'grad_norm/<variable>'],
  detect({ trace }: DynamicsInput) {
    const span = finiteLossSteps(trace);
    const measured = firstLastRatios(trace, span);
    if (measured === null || measured.ratios.length < Math.max(MIN_RATIO_STEPS, MIN_RATIO_SHARE * span)) return [];
    const ratio = median(measured.ratios.map(({ ratio }) => ratio));
    if (!(ratio < FIRST_LAST_RATIO_LIMIT)) return [];

    const update = median((trace.updateRatio[measured.first] ?? []).slice(0, span));
    const frozen = update < FIRST_LAYER_UPDATE_LIMIT;
    const levels = lossLevels(trace);
    const stalled = levels !== null && levels.progress < MIN_PROGRESS;
    if (!frozen && !stalled) return [];

    const squashing = squashingHiddenLayers(trace);
    const fixes: FixId[] = squashing.length > 0 ? ['activation', 'batchnorm'] : ['batchnorm', 'activation'];
    const firstPast = measured.ratios.find(({ ratio }) => ratio < FIRST_LAST_RATIO_LIMIT)!.index;
    const step = trace.step[firstPast] ?? firstPast;
    const layer = layerOf(measured.first);
    const updateText = Number.isFinite(update)
      ? `${layer}'s weights move by a median ${formatNumber(update)} of their norm per step ` +
        `(${frozen ? 'below' : 'above'} the ${formatNumber(FIRST_LAYER_UPDATE_LIMIT)} limit)`
      : `${layer}'s update ratio was not measured`;
    const finding: Detection = {
      severity: stalled ? 'critical' : 'warning',
      confidence:
        Math.round(
          confidenceFromMargin(FIRST_LAST_RATIO_LIMIT, ratio) * (frozen && stalled ? 1 : ONE_COMPANION) * 100,
        ) / 100,
      layer,
      step,
      evidence: {
        measured: ratio,
        threshold: FIRST_LAST_RATIO_LIMIT,
        what: `median gradient norm of ${measured.first} over ${measured.last}`,
      },
      message:
        'Gradients vanish on the way back to the input: ' +
        `the gradient norm of ${measured.first} is a median ${formatNumber(ratio)} of ` +
        `${measured.last}'s ` +
        `over ${plural(measured.ratios.length, 'step')} (AUTOTRAINER's limit ` +
        `${formatNumber(FIRST_LAST_RATIO_LIMIT)}), below it from step ${step}; ` +
        `${updateText}, and ${progressText(levels)}. ${causeText(squashing)}`,
      fixes,
    };
    return [finding];
  },
});
