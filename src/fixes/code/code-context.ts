/**
 * What a fix's code snippet is written from: the model's layers (a recording's module paths, or a
 * config's layer names) and the numbers the fix's config transform chose, so the code says the
 * same as the report's `change` line.
 */
import type { LayerSummary } from '../../trace/trace.js';

export const FRAMEWORKS = ['pytorch', 'keras', 'tfjs'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** A fix as the code change of one framework (the report's `recommendedFixes[].code`). */
export interface FixCode {
  framework: Framework;
  code: string;
}

export interface CodeContext {
  layers: readonly LayerSummary[];
  /** The learning rate to start from: the transform's new rate, else the run's own. */
  learningRate?: number;
  /** Why the rate is what it is, for a comment: `a decade below the rate that diverged`. */
  rateWhy?: string;
  /** Optimizer steps of the whole run, for a schedule's length. */
  steps?: number;
  /** The global-norm clipping bound the clip transform chose (default 1.0). */
  clipNorm?: number;
}

type CodeWriter = (context: CodeContext) => string;
/** A fix's code in every framework: its registry entry holds one, so a fix without its code does not compile. */
export type FixCodeWriters = Record<Framework, CodeWriter>;

const SQUASHING: ReadonlySet<string> = new Set(['sigmoid', 'tanh', 'hardsigmoid', 'softsign']);
const WEIGHTED = /^(dense|conv[123]d)$/;

/** Hidden layers (the last layer is the output, left alone) whose activation squashes: sigmoid, tanh. */
export function squashingLayers(context: CodeContext): LayerSummary[] {
  return context.layers.slice(0, -1).filter((layer) => SQUASHING.has(layer.activation.toLowerCase()));
}

/** Hidden dense and conv layers (all but the last weighted one), with their units when known. */
export function hiddenWeightedLayers(context: CodeContext): { layer: LayerSummary; units: number | null }[] {
  const weighted = context.layers.filter((layer) => WEIGHTED.test(layer.type));
  return weighted.slice(0, -1).map((layer) => {
    const units = layer.outputShape.at(-1);
    return { layer, units: typeof units === 'number' ? units : null };
  });
}

/** A number as code writes it: `1.0`, `0.001`, `3e-05`. */
export function codeNumber(value: number): string {
  if (Number.isInteger(value)) return value.toFixed(1);
  return String(Number(value.toPrecision(3)));
}

/** The names of some layers in a comment, at most four. */
export function nameList(layers: readonly LayerSummary[]): string {
  const names = layers.map((layer) => layer.name);
  return names.length > 4 ? `${names.slice(0, 4).join(', ')}, ...` : names.join(', ');
}

/** The comment on the rate, when the context says why it is what it is. */
export function rateNote(context: CodeContext): string {
  return context.rateWhy === undefined ? '' : ` (${context.rateWhy})`;
}

/** The rate a snippet writes: the context's, else a placeholder the user must fill in. */
export function rateText(context: CodeContext, placeholder: string): string {
  return context.learningRate === undefined ? placeholder : codeNumber(context.learningRate);
}
