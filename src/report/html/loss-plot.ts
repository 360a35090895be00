/**
 * The probe's training loss per step and validation loss per evaluation, with the step where the
 * loss stopped being finite.
 */
import type { Report } from '../report.js';
import { linearScale, lossScale } from './axis-scale.js';
import type { Figure } from './figure.js';
import { formatFinite } from '../../util/format.js';
import { styleAt } from './series-style.js';
import { renderLinePlot, type PlotSeries } from './svg-plot.js';

export const LOSS_PLOT_TITLE = 'Probe loss: training and validation loss per step';

export function lossPlot(report: Report): Figure | null {
  const probe = report.probe;
  if (probe === undefined || probe.trace.step.length === 0) return null;
  const { trace, loss, nanStep } = probe;
  const series: PlotSeries[] = [
    { label: `training loss (${probe.lossName})`, x: trace.step, y: trace.loss, style: styleAt(0) },
  ];
  if (trace.valLoss.some(Number.isFinite))
    series.push({ label: 'validation loss', x: trace.evalStep, y: trace.valLoss, style: styleAt(1) });
  const svg = renderLinePlot({
    title: LOSS_PLOT_TITLE,
    xLabel: 'step',
    yLabel: 'loss',
    xScale: linearScale(trace.step),
    yScale: lossScale([...trace.loss, ...trace.valLoss]),
    series,
    markers: nanStep === null ? [] : [{ x: nanStep, label: `loss not finite from step ${nanStep}` }],
  });
  const chance = loss.chance === null ? '' : `; a model that learned nothing scores ${formatFinite(loss.chance)}`;
  return {
    svg,
    caption:
      `Training loss from ${formatFinite(loss.initial)} to ${formatFinite(loss.final)} (best ` +
      `${formatFinite(loss.best)}) over ${probe.steps} of ${probe.stepsPlanned} steps${chance}.`,
  };
}
