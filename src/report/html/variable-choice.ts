/**
 * Which trainable variables a per-variable plot draws when it cannot draw them all, and the legend
 * row that says what was left out and why, so a reader never takes 8 lines for the whole model.
 * Kernels (weight matrices) are told from biases by the engine's own rule (symptoms' kernelNames).
 */
import { kernelNames } from '../../symptoms/signals.js';
import type { ProbeTrace } from '../../trace/trace.js';
import { agree } from '../../util/format.js';
import type { Report } from '../report.js';
import { isFiniteNumber } from './axis-scale.js';
import { MAX_STYLES } from './series-style.js';

/** The report's kernels, by the engine's rule; it reads only the variables' names and the layers' types, both kept in a report. */
export function reportKernels(probe: NonNullable<Report['probe']>): ReadonlySet<string> {
  return new Set(kernelNames({ ...probe.trace, layers: probe.layers } as ProbeTrace));
}

/**
 * At most MAX_STYLES variables: kernels before biases (they carry the signal), and when even those
 * are too many, an even spread that keeps the first and the last layer, where vanishing and
 * exploding gradients differ most.
 */
export function variablesToShow(variables: readonly string[], kernels: ReadonlySet<string>): string[] {
  if (variables.length <= MAX_STYLES) return [...variables];
  const weights = variables.filter((name) => kernels.has(name));
  const pool = weights.length > 0 ? weights : variables;
  if (pool.length <= MAX_STYLES) return [...pool];
  const picked = new Set(
    Array.from({ length: MAX_STYLES }, (_, index) => Math.round((index * (pool.length - 1)) / (MAX_STYLES - 1))),
  );
  return [...picked].map((index) => pool[index]!);
}

/**
 * The legend row for `shown` out of `variables`, or undefined when nothing is left out; `why` says
 * why the rest are not drawn, in the plot's own terms.
 */
export function leftOutNote(
  shown: readonly string[],
  variables: readonly string[],
  kernels: ReadonlySet<string>,
  why: string,
): string | undefined {
  if (shown.length === variables.length) return undefined;
  const allKernels = variables.filter((name) => kernels.has(name)).length;
  const others = variables.length - allKernels;
  if (allKernels === 0 || shown.some((name) => !kernels.has(name)))
    return `${shown.length} of ${variables.length} variables, spread from the first layer to the last`;
  const drawn =
    shown.length < allKernels
      ? `${shown.length} of ${allKernels} kernels, spread from the first layer to the last`
      : 'kernels only';
  return others === 0 ? drawn : `${drawn}; ${others} ${agree(others, 'bias', 'biases')} not drawn (${why})`;
}

/**
 * What every value of these series is when none can be drawn on a log axis (none finite and
 * positive): "0", "not finite" or "0 or not finite"; null when one can be drawn.
 */
export function nothingOnLogAxis(series: readonly (readonly (number | null)[])[]): string | null {
  const values = series.flat();
  if (values.some((value) => isFiniteNumber(value) && value > 0)) return null;
  const zero = values.some((value) => value === 0);
  const other = values.some((value) => value !== 0);
  return zero && other ? '0 or not finite' : zero ? '0' : 'not finite';
}
