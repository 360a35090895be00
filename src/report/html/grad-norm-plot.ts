/**
 * Gradient norm per trainable variable over the probe's steps, on a log axis: vanishing gradients
 * show as the first layers lying decades below the last, exploding ones as lines climbing off the top.
 */
import type { Report } from '../report.js';
import { stepScale, logScale } from './axis-scale.js';
import type { Drawing } from './figure.js';
import { styleAt } from './series-style.js';
import { leftOutNote, nothingOnLogAxis, reportKernels, variablesToShow } from './variable-choice.js';
import { renderLinePlot, type PlotSize } from './svg-plot.js';

export const GRAD_NORM_PLOT_TITLE = 'Gradient norm per variable over steps';

export function gradNormPlot(report: Report, size?: PlotSize): Drawing | null {
  const trace = report.probe?.trace;
  if (trace === undefined) return null;
  const variables = Object.keys(trace.gradNorm);
  if (variables.length === 0) return null;
  const unit = report.log?.axis ?? 'step';
  const blank = nothingOnLogAxis(variables.map((name) => trace.gradNorm[name]!));
  if (blank !== null)
    return {
      unplotted:
        `Gradient norms: ${blank} for all ${variables.length} variables at every ${unit}, so no line can be ` +
        'drawn on a log axis: no gradient reached the weights.',
    };
  const kernels = reportKernels(report.probe!);
  const shown = variablesToShow(variables, kernels);
  const series = shown.map((name, index) => ({
    label: name,
    x: trace.step,
    y: trace.gradNorm[name]!,
    style: styleAt(index),
  }));
  const svg = renderLinePlot({
    title: GRAD_NORM_PLOT_TITLE,
    xLabel: unit,
    yLabel: 'gradient L2 norm',
    xScale: stepScale(trace.step),
    yScale: logScale(series.flatMap((entry) => entry.y)),
    series,
    legendNote: leftOutNote(shown, variables, kernels, 'a bias follows its kernel'),
    ...size,
  });
  const left = variables.filter((name) => !shown.includes(name));
  const caption =
    `The L2 norm of each variable’s gradient at every ${unit}, before clipping. Breaks in a line are ` +
    `${unit}s where it was not finite or exactly zero (a log axis cannot show 0).` +
    (left.length === 0 ? '' : ` Not drawn: ${left.join(', ')}.`);
  return { svg, caption };
}
