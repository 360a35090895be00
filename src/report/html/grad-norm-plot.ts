/**
 * Gradient norm per trainable variable over the probe's steps, on a log axis: vanishing gradients
 * show as the first layers lying decades below the last, exploding ones as lines climbing off the top.
 */
import type { Report } from '../report.js';
import { stepScale, logScale } from './axis-scale.js';
import type { Figure } from './figure.js';
import { MAX_STYLES, styleAt } from './series-style.js';
import { renderLinePlot, type PlotSize } from './svg-plot.js';

export const GRAD_NORM_PLOT_TITLE = 'Gradient norm per variable over steps';

export function gradNormPlot(report: Report, size?: PlotSize): Figure | null {
  const trace = report.probe?.trace;
  if (trace === undefined) return null;
  const variables = Object.keys(trace.gradNorm);
  if (variables.length === 0) return null;
  const shown = variablesToShow(variables);
  const series = shown.map((name, index) => ({
    label: name,
    x: trace.step,
    y: trace.gradNorm[name]!,
    style: styleAt(index),
  }));
  const svg = renderLinePlot({
    title: GRAD_NORM_PLOT_TITLE,
    xLabel: 'step',
    yLabel: 'gradient L2 norm',
    xScale: stepScale(trace.step),
    yScale: logScale(series.flatMap((entry) => entry.y)),
    series,
    ...size,
  });
  const left = variables.filter((name) => !shown.includes(name));
  const caption =
    left.length === 0
      ? 'The L2 norm of each variable’s gradient at every step, before clipping. ' +
        'Breaks in a line are steps where it was not finite or exactly zero (a log axis cannot show 0).'
      : `${shown.length} of ${variables.length} variables shown (kernels first, ` +
        `spread from the first layer to the last); not shown: ${left.join(', ')}.`;
  return { svg, caption };
}

/**
 * At most MAX_STYLES variables: kernels before biases (they carry the signal), and when even those
 * are too many, an even spread that keeps the first and the last layer, where vanishing and
 * exploding gradients differ most.
 */
export function variablesToShow(variables: readonly string[]): string[] {
  if (variables.length <= MAX_STYLES) return [...variables];
  const weights = variables.filter((name) => !name.endsWith('/bias'));
  const pool = weights.length > 0 ? weights : [...variables];
  if (pool.length <= MAX_STYLES) return pool;
  const picked = new Set(
    Array.from({ length: MAX_STYLES }, (_, index) => Math.round((index * (pool.length - 1)) / (MAX_STYLES - 1))),
  );
  return [...picked].map((index) => pool[index]!);
}
