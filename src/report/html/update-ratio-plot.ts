/**
 * The update/weight ratio ‖Δw‖/‖w‖ of each kernel over the steps, on a log axis, with the ranges
 * the rules judge shaded: below lr-too-low's limit the weights do not move, from lr-too-high's
 * overshoot on one step replaces them. The evidence of lr-too-low and vanishing-gradients.
 */
import { OVERSHOOT_UPDATE_RATIO } from '../../symptoms/signals.js';
import { UPDATE_RATIO_LIMIT } from '../../symptoms/lr-too-low.js';
import { FIRST_LAYER_UPDATE_LIMIT } from '../../symptoms/vanishing-gradients.js';
import { formatNumber } from '../../util/format.js';
import type { Report } from '../report.js';
import { isFiniteNumber, logScale, stepScale } from './axis-scale.js';
import type { Drawing } from './figure.js';
import type { PlotBand } from './plot-overlays.js';
import { styleAt } from './series-style.js';
import { renderLinePlot, type PlotSize } from './svg-plot.js';
import { leftOutNote, nothingOnLogAxis, reportKernels, variablesToShow } from './variable-choice.js';

export const UPDATE_RATIO_PLOT_TITLE = 'Update/weight ratio per kernel over steps';

/** The rules' ranges, from their own constants: what a reader checks each line against. */
const UPDATE_RATIO_BANDS: readonly PlotBand[] = [
  { axis: 'y', to: UPDATE_RATIO_LIMIT, label: `below ${formatNumber(UPDATE_RATIO_LIMIT)}: weights barely move` },
  {
    axis: 'y',
    from: OVERSHOOT_UPDATE_RATIO,
    label: `from ${formatNumber(OVERSHOOT_UPDATE_RATIO)}: the step replaces the weights`,
  },
];

export function updateRatioPlot(report: Report, size?: PlotSize): Drawing | null {
  const trace = report.probe?.trace;
  if (trace === undefined) return null;
  // Variables the log or probe never measured (all NaN) are not lines to leave out: they are not there.
  const variables = Object.keys(trace.updateRatio).filter((name) => trace.updateRatio[name]!.some(isFiniteNumber));
  if (variables.length === 0) return null;
  const kernels = reportKernels(report.probe!);
  // Kernels only, whatever their number: the rules judge kernels, and a bias's ratio starts undefined (it starts at 0).
  const judged = variables.filter((name) => kernels.has(name));
  const shown = variablesToShow(judged.length > 0 ? judged : variables, kernels);
  const unit = report.log?.axis ?? 'step';
  const blank = nothingOnLogAxis(shown.map((name) => trace.updateRatio[name]!));
  if (blank !== null)
    return {
      unplotted:
        `Update/weight ratios: ${blank} for every kernel at every ${unit}, so no line can be drawn on a log ` +
        'axis: the weights never moved.',
    };
  const series = shown.map((name, index) => ({
    label: name,
    x: trace.step,
    y: trace.updateRatio[name]!,
    style: styleAt(index),
  }));
  const svg = renderLinePlot({
    title: UPDATE_RATIO_PLOT_TITLE,
    xLabel: unit,
    yLabel: 'update/weight ratio ‖Δw‖/‖w‖',
    xScale: stepScale(trace.step),
    // Both ranges show, a decade of each at least, however far the ratios lie from them.
    yScale: logScale([...series.flatMap((entry) => entry.y), UPDATE_RATIO_LIMIT / 10, OVERSHOOT_UPDATE_RATIO * 10]),
    series,
    bands: UPDATE_RATIO_BANDS,
    legendNote: leftOutNote(shown, variables, kernels, 'the rules judge kernels'),
    ...size,
  });
  return {
    svg,
    caption:
      `How far each ${unit}'s applied update moved a kernel, as a fraction of its norm. Shaded: below ` +
      `${formatNumber(UPDATE_RATIO_LIMIT)} (DeepDiagnosis) the weights do not move and lr-too-low judges the ` +
      `median (vanishing-gradients reads the first kernel against ${formatNumber(FIRST_LAYER_UPDATE_LIMIT)}); ` +
      `from ${formatNumber(OVERSHOOT_UPDATE_RATIO)} one step replaces the weights (lr-too-high). ` +
      'Breaks in a line are steps where the ratio was not finite or exactly zero.',
  };
}
