/**
 * The activation samples of a recorded run (convdoc_torch) as the trace's per-layer series: one
 * value per sampled step, in the model's layer order, with the steps they were taken at (a recording
 * samples training batches, not the evaluations a probe measures them at).
 */
import type { ActivationTrace, LayerSummary } from '../trace/trace.js';
import type { ActivationSample, LogRow } from './log-row.js';

type Fraction = 'deadFraction' | 'saturatedFraction' | 'nearSaturatedFraction';

export function recordedActivations(rows: readonly LogRow[], layers: readonly LayerSummary[]): ActivationTrace[] {
  const sampled = rows.filter((row) => row.activations !== undefined);
  const position = (name: string) => {
    const index = layers.findIndex((layer) => layer.name === name);
    return index < 0 ? layers.length : index;
  };
  const names = [...new Set(sampled.flatMap((row) => Object.keys(row.activations!)))];
  names.sort((a, b) => position(a) - position(b));
  const step = sampled.map((row) => row.step);
  return names.map((layer) => {
    const samples: (ActivationSample | undefined)[] = sampled.map((row) => row.activations![layer]);
    const series = (field: 'mean' | 'std' | Fraction) => samples.map((sample) => sample?.[field] ?? Number.NaN);
    // A fraction the recorder does not measure for this activation (dead units of a sigmoid) is null, as in a probe.
    const fraction = (field: Fraction) =>
      samples.some((sample) => sample?.[field] !== undefined) ? series(field) : null;
    return {
      layer,
      activation: samples.find((sample) => sample !== undefined)!.activation,
      mean: series('mean'),
      std: series('std'),
      deadFraction: fraction('deadFraction'),
      saturatedFraction: fraction('saturatedFraction'),
      nearSaturatedFraction: fraction('nearSaturatedFraction'),
      step,
    };
  });
}
