/**
 * Statistics of one layer's output on the probe batch, computed in JS from the values tfjs hands
 * back: mean and std, dead ReLU units and saturated sigmoid/tanh inputs. The last axis is the
 * unit (dense) or channel (conv) axis; every other axis is batch or position.
 *
 * Only outputs are read: every activation measured here is monotone, so an input beyond a bound
 * is an output beyond the activation of that bound, and a ReLU-like unit's input is positive
 * exactly when its output is. (Splitting activations off to read inputs would cost training
 * speed: tfjs then computes a gradient for the model's input that nothing uses.)
 */

/** Activations whose units die: output 0 (or below, for the leaky kinds) wherever the input is not positive. */
const RELU_LIKE: ReadonlySet<string> = new Set([
  'relu',
  'relu6',
  'elu',
  'selu',
  'leakyRelu',
  'prelu',
  'thresholdedRelu',
]);

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * Pre-activations past which the activation's gradient is exactly 0 in float32 (SageMaker
 * Debugger's saturation rule: sigmoid x outside (-23, 17), tanh |x| > 9.5), as output bounds.
 */
const SATURATION_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  sigmoid: [sigmoid(-23), sigmoid(17)],
  tanh: [Math.tanh(-9.5), Math.tanh(9.5)],
};

/**
 * Where the local gradient falls below 1% of its peak: sigmoid'(x) < 0.0025 for |x| > 6,
 * tanh'(x) < 0.01 for |x| > 3. Short probes rarely reach the float32 bounds; this softer bound
 * shows a layer heading there.
 */
const NEAR_SATURATION: Readonly<Record<string, readonly [number, number]>> = {
  sigmoid: [sigmoid(-6), sigmoid(6)],
  tanh: [Math.tanh(-3), Math.tanh(3)],
};

export interface LayerStatistics {
  mean: number;
  std: number;
  deadFraction: number | null;
  saturatedFraction: number | null;
  nearSaturatedFraction: number | null;
}

export function measureLayer(activation: string, output: ArrayLike<number>, units: number): LayerStatistics {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < output.length; i++) {
    sum += output[i]!;
    squares += output[i]! * output[i]!;
  }
  const mean = sum / output.length;
  const saturation = SATURATION_BOUNDS[activation];
  const nearSaturation = NEAR_SATURATION[activation];
  return {
    mean,
    std: Math.sqrt(Math.max(0, squares / output.length - mean * mean)),
    deadFraction: RELU_LIKE.has(activation) ? deadFraction(output, units) : null,
    saturatedFraction: saturation === undefined ? null : fractionOutside(output, saturation),
    nearSaturatedFraction: nearSaturation === undefined ? null : fractionOutside(output, nearSaturation),
  };
}

/** The fraction of units whose output is never positive over the whole batch (and every position). */
function deadFraction(output: ArrayLike<number>, units: number): number {
  const alive = new Uint8Array(units);
  for (let base = 0; base < output.length; base += units) {
    for (let unit = 0; unit < units; unit++) if (output[base + unit]! > 0) alive[unit] = 1;
  }
  let dead = 0;
  for (let unit = 0; unit < units; unit++) if (alive[unit] === 0) dead++;
  return dead / units;
}

/** Outside the open interval: at or past a bound counts, as the float32 output of a saturated unit equals it. */
function fractionOutside(values: ArrayLike<number>, [low, high]: readonly [number, number]): number {
  let outside = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! <= low || values[i]! >= high) outside++;
  return outside / values.length;
}
