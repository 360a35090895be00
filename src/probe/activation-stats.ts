/**
 * Statistics of one layer's output on the probe batch, computed in JS from the values tfjs hands
 * back: mean and std, dead ReLU units and saturated sigmoid/tanh inputs. The last axis is the
 * unit (dense) or channel (conv) axis; every other axis is batch or position.
 */

/** Activations whose units die: output 0 wherever the input is negative (or nearly so, for leaky kinds). */
const RELU_LIKE: ReadonlySet<string> = new Set(['relu', 'relu6', 'elu', 'selu', 'leakyRelu', 'prelu', 'thresholdedRelu']);

/**
 * Pre-activations past which the activation's gradient is exactly 0 in float32: SageMaker
 * Debugger's saturation rule (sigmoid x outside (-23, 17), tanh |x| > 9.5).
 */
const SATURATION_BOUNDS: Readonly<Record<string, readonly [number, number]>> = {
  sigmoid: [-23, 17],
  hardSigmoid: [-2.5, 2.5],
  tanh: [-9.5, 9.5],
};

/**
 * Where the local gradient falls below 1% of its peak: sigmoid'(x) < 0.0025 for |x| > 6,
 * tanh'(x) < 0.01 for |x| > 3. Short probes rarely reach the float32 bounds; this softer bound
 * shows a layer heading there.
 */
const NEAR_SATURATION: Readonly<Record<string, number>> = { sigmoid: 6, tanh: 3 };

export interface LayerStatistics {
  mean: number;
  std: number;
  deadFraction: number | null;
  saturatedFraction: number | null;
  nearSaturatedFraction: number | null;
}

export function measureLayer(activation: string, output: ArrayLike<number>, units: number, preActivation: ArrayLike<number> | null): LayerStatistics {
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < output.length; i++) {
    sum += output[i]!;
    squares += output[i]! * output[i]!;
  }
  const mean = sum / output.length;
  return {
    mean,
    std: Math.sqrt(Math.max(0, squares / output.length - mean * mean)),
    deadFraction: RELU_LIKE.has(activation) && preActivation !== null ? deadFraction(preActivation, units) : null,
    saturatedFraction: activation in SATURATION_BOUNDS && preActivation !== null ? fractionOutside(preActivation, SATURATION_BOUNDS[activation]!) : null,
    nearSaturatedFraction:
      activation in NEAR_SATURATION && preActivation !== null ? fractionOutside(preActivation, [-NEAR_SATURATION[activation]!, NEAR_SATURATION[activation]!]) : null,
  };
}

/** The fraction of units whose input is never positive over the whole batch (and every position). */
function deadFraction(preActivation: ArrayLike<number>, units: number): number {
  const alive = new Uint8Array(units);
  for (let i = 0; i < preActivation.length; i++) if (preActivation[i]! > 0) alive[i % units] = 1;
  let dead = 0;
  for (let unit = 0; unit < units; unit++) if (alive[unit] === 0) dead++;
  return dead / units;
}

function fractionOutside(values: ArrayLike<number>, [low, high]: readonly [number, number]): number {
  let outside = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! < low || values[i]! > high) outside++;
  return outside / values.length;
}
