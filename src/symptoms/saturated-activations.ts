import type { ActivationTrace, ProbeTrace } from '../trace/trace.js';
import { formatPercent } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import type { FixId } from './ids.js';
import { lossLevels, outputLayerName, SUSTAINED_EVALUATIONS, sustainedLevel } from './signals.js';

/**
 * A layer is saturated when more than half of its pre-activations lie beyond SageMaker Debugger's
 * saturation bounds (sigmoid x outside (-23, 17), tanh |x| > 9.5), where the activation's gradient
 * is exactly 0 in float32. SageMaker's SaturatedActivation rule flags a layer when more than
 * `threshold_layer` percent of its nodes are saturated over many steps; the probe measures values
 * (examples x units) on one batch instead, and takes 50%, the layer share of SageMaker's dead-ReLU
 * rule: a layer still learns through its other half.
 */
export const SATURATED_FRACTION_LIMIT = 0.5;
/**
 * The softer bound (sigmoid |x| > 6, tanh |x| > 3: gradient below 1% of its peak) with the same
 * share: a 300-step probe rarely drives inputs to the float32 bounds, but a layer past this bound
 * already learns 100x slower than at its centre.
 */
export const NEAR_SATURATED_FRACTION_LIMIT = 0.5;
/**
 * Critical: more than half of the layer at the float32 bounds (no gradient at all), or 90% of it
 * past the softer bound (as with dead ReLUs, almost nothing flows back through such a layer).
 */
export const NEAR_SATURATED_CRITICAL = 0.9;
/** The lowest fraction over the last evaluations counts: saturation that lasts, not a blip. */
export const LAST_EVALUATIONS = SUSTAINED_EVALUATIONS;
/**
 * A saturated sigmoid output is how a confident classifier looks, and cross-entropy keeps its
 * gradient alive (p - y); it is a problem only while the model is not fitting: the loss ends at or
 * above half the chance-level loss.
 */
export const OUTPUT_STUCK_FRACTION_OF_CHANCE = 0.5;

interface Saturated {
  layer: string;
  activation: string;
  /** Which bound crossed the limit: the float32 one or the softer one. */
  hard: boolean;
  fraction: number;
  since: number;
  evaluations: number;
}

export const saturatedActivations = defineDetector({
  id: 'saturated-activations',
  description:
    'Most pre-activations of a sigmoid or tanh layer sit where the curve is flat, ' +
    'so its gradient is (nearly) zero and the layers before it stop learning.',
  fixes: ['activation', 'batchnorm', 'normalize'],
  needs: ['activations'],
  detect({ trace }: DynamicsInput) {
    const output = outputLayerName(trace);
    const saturated = trace.activations.flatMap((activations) => {
      const measured = saturation(activations);
      return measured === null ? [] : [measured];
    });
    const hidden = saturated.filter((layer) => layer.layer !== output);
    const findings: Detection[] = [];
    if (hidden.length > 0) {
      const first = trace.activations[0]?.layer;
      const fixes: FixId[] = [
        'activation',
        'batchnorm',
        ...(hidden.some((layer) => layer.layer === first) ? (['normalize'] as const) : []),
      ];
      findings.push(finding(trace, hidden[0]!, hidden.slice(1), fixes, false, []));
    }
    const outputLayer = saturated.find((layer) => layer.layer === output);
    if (outputLayer !== undefined) {
      const levels = lossLevels(trace);
      const chance = trace.chanceLoss;
      const known = chance !== null && chance > 0 && levels !== null;
      if (!known || levels.end >= OUTPUT_STUCK_FRACTION_OF_CHANCE * chance) {
        const caveats = known
          ? []
          : ['without a chance-level loss to compare with, the loss cannot tell a stuck output from a confident one'];
        findings.push(finding(trace, outputLayer, [], ['normalize', 'batchnorm'], true, caveats));
      }
    }
    return findings;
  },
});

function saturation(activations: ActivationTrace): Saturated | null {
  const usable = (fractions: readonly number[] | null) =>
    fractions?.map((fraction, index) =>
      Number.isFinite(activations.mean[index]) && Number.isFinite(activations.std[index]) ? fraction : Number.NaN,
    ) ?? [];
  const hard = sustainedLevel(usable(activations.saturatedFraction), SATURATED_FRACTION_LIMIT, LAST_EVALUATIONS);
  const near = sustainedLevel(
    usable(activations.nearSaturatedFraction),
    NEAR_SATURATED_FRACTION_LIMIT,
    LAST_EVALUATIONS,
  );
  const base = { layer: activations.layer, activation: activations.activation };
  if (hard.level > SATURATED_FRACTION_LIMIT)
    return { ...base, hard: true, fraction: hard.level, since: hard.since, evaluations: hard.evaluations };
  if (near.level > NEAR_SATURATED_FRACTION_LIMIT)
    return { ...base, hard: false, fraction: near.level, since: near.since, evaluations: near.evaluations };
  return null;
}

function finding(
  trace: ProbeTrace,
  layer: Saturated,
  others: readonly Saturated[],
  fixes: FixId[],
  isOutput: boolean,
  caveats: string[],
): Detection {
  const limit = layer.hard ? SATURATED_FRACTION_LIMIT : NEAR_SATURATED_FRACTION_LIMIT;
  const critical = [layer, ...others].some((saturated) =>
    saturated.hard ? saturated.fraction > SATURATED_FRACTION_LIMIT : saturated.fraction >= NEAR_SATURATED_CRITICAL,
  );
  const step = trace.evalStep[layer.since] ?? layer.since;
  const lastStep = trace.evalStep.at(-1) ?? step;
  const bound = boundText(layer.activation, layer.hard);
  const notes = [
    ...caveats,
    ...(layer.evaluations < LAST_EVALUATIONS
      ? [`measured at only ${layer.evaluations} evaluation(s), so it may not last`]
      : []),
  ];
  // The softer bound leaves a small gradient: the layer learns slowly rather than not at all.
  const confidence =
    (0.6 + (0.39 * (layer.fraction - limit)) / (1 - limit)) * (layer.hard ? 1 : 0.85) * (notes.length > 0 ? 0.8 : 1);
  const where = isOutput ? `the output layer ${layer.layer}` : layer.layer;
  return {
    severity: critical ? 'critical' : 'warning',
    confidence: Math.round(Math.min(0.99, confidence) * 100) / 100,
    layer: layer.layer,
    step,
    evidence: {
      measured: layer.fraction,
      threshold: limit,
      what: `fraction of ${layer.layer}'s pre-activations ${bound}, lowest of the last ${LAST_EVALUATIONS} evaluations`,
    },
    message:
      `${formatPercent(layer.fraction)} of the pre-activations of ${where} (${layer.activation}) ` +
      `are ${bound} from step ${step} to step ${lastStep}, past the ${formatPercent(limit)} limit.` +
      (others.length > 0
        ? ' Also saturated after it: ' +
          `${others.map((other) => `${other.layer} (${formatPercent(other.fraction)})`).join(', ')}.`
        : '') +
      consequence(layer, isOutput) +
      (notes.length > 0 ? ` Less certain: ${notes.join('; ')}.` : ''),
    fixes,
  };
}

/** What the saturation does to training, and which fix answers it. */
function consequence(layer: Saturated, isOutput: boolean): string {
  if (isOutput)
    return (
      ' A saturated output usually means the targets lie outside what the activation can produce (see ' +
      'config-output-activation); the activation fix leaves the output layer untouched, ' +
      'scaling the target (normalize) brings it into range.'
    );
  return (
    ` Saturated units pass back ${layer.hard ? 'no' : 'almost no'} gradient, ` +
    'so the layers before them stop learning; ' +
    'ReLU or batch normalization keeps pre-activations in the responsive range.'
  );
}

function boundText(activation: string, hard: boolean): string {
  if (hard)
    return activation === 'tanh'
      ? 'beyond |x| > 9.5 (zero gradient in float32)'
      : activation === 'sigmoid'
        ? 'outside (-23, 17) (zero gradient in float32)'
        : 'beyond the saturation bounds';
  return activation === 'tanh'
    ? 'beyond |x| > 3 (gradient under 1% of its peak)'
    : activation === 'sigmoid'
      ? 'beyond |x| > 6 (gradient under 1% of its peak)'
      : 'near saturation';
}
