import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import { outputLayerName } from './signals.js';

/**
 * Glorot & Bengio (2010) and He et al. (2015) choose initializations so that the variance of
 * activations stays constant from layer to layer; Ioffe & Szegedy (2015) name the drift of layer
 * input distributions as what batch normalization removes. A well-initialized network keeps the
 * std of its hidden outputs within a small factor through depth (the example traces stay within
 * 2x); two orders of magnitude, growing or shrinking, from the first hidden layer to the last means
 * the signal explodes or fades on the way. Scale-free: a ratio of stds.
 */
export const DEPTH_SCALE_LIMIT = 100;
/**
 * A hidden layer's output std growing 100x between the first evaluation (at initialization) and
 * the last: within a 300-step probe healthy layers grow a few times (the example traces: at most
 * 8x) as weights leave their small initial values.
 */
export const GROWTH_LIMIT = 100;
/** Four orders of magnitude: float32 activations heading for overflow (or underflow): critical. */
export const SCALE_CRITICAL = 1e4;

interface Scale {
  layer: string;
  std: number;
}

type HiddenActivations = ProbeTrace['activations'];

export const unstableActivations = defineDetector({
  id: 'unstable-activations',
  description:
    'The scale of hidden activations drifts by orders of magnitude through depth or during training, so later ' +
    'layers see inputs far from the range their initialization and learning rate suit.',
  fixes: ['batchnorm', 'normalize'],
  needs: ['activations'],
  detect({ trace }: DynamicsInput) {
    const output = outputLayerName(trace);
    const hidden = trace.activations.filter((activations) => activations.layer !== output);
    return [depthScaleFinding(trace, hidden), growthFinding(trace, hidden)].filter(
      (finding): finding is Detection => finding !== undefined,
    );
  },
});

/**
 * Through depth, at the last evaluation: the last hidden layer's std over the first's. Constant
 * (std 0) layers have no scale to compare; dead-relu reports them.
 */
function depthScaleFinding(trace: ProbeTrace, hidden: HiddenActivations): Detection | undefined {
  const lastEvaluation = Math.max(0, ...hidden.map((activations) => activations.std.length)) - 1;
  const scales: Scale[] = hidden.flatMap(({ layer, std }) => {
    const last = std[lastEvaluation];
    return last !== undefined && Number.isFinite(last) && last > 0 ? [{ layer, std: last }] : [];
  });
  const first = scales[0];
  const last = scales.at(-1);
  if (first === undefined || last === undefined || scales.length < 2) return undefined;
  const ratio = last.std / first.std;
  const growing = ratio > DEPTH_SCALE_LIMIT;
  if (!growing && ratio >= 1 / DEPTH_SCALE_LIMIT) return undefined;
  const factor = growing ? ratio : 1 / ratio;
  const step = trace.evalStep[lastEvaluation] ?? lastEvaluation;
  const limit = growing ? `${DEPTH_SCALE_LIMIT}x` : `1/${DEPTH_SCALE_LIMIT}`;
  const consequence = growing
    ? 'Exploding activations push later layers and the loss toward overflow'
    : 'Fading activations leave later layers almost constant inputs';
  return {
    severity: factor >= SCALE_CRITICAL ? 'critical' : 'warning',
    confidence: confidenceFromMargin(factor, DEPTH_SCALE_LIMIT),
    layer: last.layer,
    step,
    evidence: {
      measured: ratio,
      threshold: growing ? DEPTH_SCALE_LIMIT : 1 / DEPTH_SCALE_LIMIT,
      what: `std of the last hidden layer's output (${last.layer}) over the first's (${first.layer})`,
    },
    message:
      `Activation scale ${growing ? 'grows' : 'shrinks'} ${formatNumber(factor)}x through depth at step ${step}: ` +
      `the output std is ${formatNumber(first.std)} at ${first.layer} ` +
      `and ${formatNumber(last.std)} at ${last.layer} (ratio ${formatNumber(ratio)}, limit ${limit}). ` +
      `${consequence}; batch normalization rescales every layer's input.`,
  };
}

/** During training: each hidden layer's std at the last evaluation over its std at the first; the worst one. */
function growthFinding(trace: ProbeTrace, hidden: HiddenActivations): Detection | undefined {
  const growth = hidden.flatMap(({ layer, std }) => {
    const finiteIndices = std.flatMap((value, index) => (Number.isFinite(value) && value > 0 ? [index] : []));
    const from = finiteIndices[0];
    const to = finiteIndices.at(-1);
    if (from === undefined || to === undefined || to === from) return [];
    return [{ layer, from, to, ratio: std[to]! / std[from]!, start: std[from]!, end: std[to]! }];
  });
  const worst = growth.reduce<(typeof growth)[number] | undefined>(
    (best, layer) => (best === undefined || layer.ratio > best.ratio ? layer : best),
    undefined,
  );
  if (worst === undefined || worst.ratio <= GROWTH_LIMIT) return undefined;
  const step = stepOf(trace, worst.to);
  const fromStep = stepOf(trace, worst.from);
  const others = growth.filter((layer) => layer !== worst && layer.ratio > GROWTH_LIMIT);
  const also =
    others.length > 0
      ? `; also ${others.map((layer) => `${layer.layer} (${formatNumber(layer.ratio)}x)`).join(', ')}`
      : '';
  return {
    severity: worst.ratio >= SCALE_CRITICAL ? 'critical' : 'warning',
    confidence: confidenceFromMargin(worst.ratio, GROWTH_LIMIT),
    layer: worst.layer,
    step,
    evidence: {
      measured: worst.ratio,
      threshold: GROWTH_LIMIT,
      what: `growth of ${worst.layer}'s output std from step ${fromStep} to step ${step}`,
    },
    message:
      `The output std of ${worst.layer} grew ${formatNumber(worst.ratio)}x during the probe, ` +
      `from ${formatNumber(worst.start)} at step ${fromStep} to ${formatNumber(worst.end)} at step ${step} ` +
      `(limit ${GROWTH_LIMIT}x)${also}. ` +
      'Weights growing without bound drive activations toward overflow; ' +
      'batch normalization keeps each layer at unit scale.',
  };
}

function stepOf(trace: ProbeTrace, evaluation: number): number {
  return trace.evalStep[evaluation] ?? evaluation;
}
