/**
 * The probe's training loss per step and validation loss per evaluation, with the step where the
 * loss stopped being finite.
 */
import type { Report } from '../report.js';
import { stepScale, lossScale } from './axis-scale.js';
import type { Figure } from './figure.js';
import { formatFinite, plural } from '../../util/format.js';
import { UNKNOWN_LOSS } from '../../logs/log-trace.js';
import { styleAt } from './series-style.js';
import { chanceLevel } from './chance-level.js';
import { renderLinePlot, type PlotSeries, type PlotSize } from './svg-plot.js';

export const LOSS_PLOT_TITLE = 'Probe loss: training and validation loss per step';

/** `size` for a plot beside other content (the first screen's proof); the default fills the page's width. */
export function lossPlot(report: Report, size?: PlotSize): Figure | null {
  const probe = report.probe;
  if (probe === undefined || probe.trace.step.length === 0) return null;
  const { trace, loss, nanStep } = probe;
  // A log names no loss function unless its framework wrote one; "training loss (unknown)" reads as a fault.
  const named = probe.lossName === UNKNOWN_LOSS ? '' : ` (${probe.lossName})`;
  const unit = report.log?.axis ?? 'step';
  const series: PlotSeries[] = [{ label: `training loss${named}`, x: trace.step, y: trace.loss, style: styleAt(0) }];
  if (trace.valLoss.some(Number.isFinite))
    series.push({ label: 'validation loss', x: trace.evalStep, y: trace.valLoss, style: styleAt(1) });
  const levels = chanceLevel(report, 'probe');
  const svg = renderLinePlot({
    title: LOSS_PLOT_TITLE,
    xLabel: unit,
    yLabel: 'loss',
    xScale: stepScale(trace.step),
    yScale: lossScale([...trace.loss, ...trace.valLoss, ...levels.map((level) => level.y)]),
    series,
    markers: nanStep === null ? [] : [{ x: nanStep, label: `loss not finite from ${unit} ${nanStep}` }],
    levels,
    ...size,
  });
  const chance =
    loss.chance === null ? '' : `; the dash-dotted line is the chance level, what a model that learned nothing scores`;
  return {
    svg,
    caption:
      `Training loss from ${formatFinite(loss.initial)} to ${formatFinite(loss.final)} (best ` +
      `${formatFinite(loss.best)}) over ${probe.steps} of ${plural(probe.stepsPlanned, unit)}${chance}.`,
  };
}
