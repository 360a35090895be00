/**
 * The probe's (or log's) training loss per step and validation loss per evaluation, with the chance
 * level, the step where the loss stopped being finite and, for a log, the best validation loss;
 * under it on the page, the validation metric and the learning rate over the same steps.
 */
import type { Report } from '../report.js';
import { isFiniteNumber, stepScale, lossScale, type Scale } from './axis-scale.js';
import type { Figure } from './figure.js';
import { formatFinite, formatNumber, plural } from '../../util/format.js';
import { UNKNOWN_LOSS } from '../../logs/log-trace.js';
import { styleAt } from './series-style.js';
import { chanceLevel } from './chance-level.js';
import type { PlotMarker } from './plot-overlays.js';
import { renderLinePlot, type PlotSeries, type PlotSize } from './svg-plot.js';

export const LOSS_PLOT_TITLE = 'Probe loss: training and validation loss per step';

type Probe = NonNullable<Report['probe']>;

/** The x axis the loss and its panels share: every training step and evaluation. */
export function runScale(probe: Probe): Scale {
  return stepScale([...probe.trace.step, ...probe.trace.evalStep]);
}

/** `size` for a plot beside other content (the first screen's proof); the default fills the page's width. */
export function lossPlot(report: Report, size?: PlotSize): Figure | null {
  const probe = report.probe;
  if (probe === undefined || probe.trace.step.length === 0) return null;
  const { trace, loss } = probe;
  // A log names no loss function unless its framework wrote one; "training loss (unknown)" reads as a fault.
  const named = probe.lossName === UNKNOWN_LOSS ? '' : ` (${probe.lossName})`;
  const unit = report.log?.axis ?? 'step';
  const curve = report.log?.lossCurve === 'validation' ? 'validation loss (no training loss logged)' : 'training loss';
  const series: PlotSeries[] = [{ label: `${curve}${named}`, x: trace.step, y: trace.loss, style: styleAt(0) }];
  if (trace.valLoss.some(Number.isFinite))
    series.push({ label: 'validation loss', x: trace.evalStep, y: trace.valLoss, style: styleAt(1) });
  const levels = chanceLevel(report, 'probe');
  const best = bestEvaluation(report);
  const svg = renderLinePlot({
    // A log was not probed, and an epoch log has no steps: its title says what is drawn.
    title: report.log === undefined ? LOSS_PLOT_TITLE : `Logged loss: training and validation loss per ${unit}`,
    xLabel: unit,
    yLabel: 'loss',
    xScale: runScale(probe),
    yScale: lossScale([...trace.loss, ...trace.valLoss, ...levels.map((level) => level.y)]),
    series,
    markers: lossMarkers(report, unit),
    levels,
    ...size,
  });
  const chance =
    levels.length === 0 ? '' : '; the dash-dotted line is the chance level, what a model that learned nothing scores';
  const bestNote =
    best === null
      ? ''
      : `; the best validation loss, ${formatFinite(best.loss)}, came at ${unit} ${formatNumber(best.step)} (marked)`;
  return {
    svg,
    caption:
      `Training loss from ${formatFinite(loss.initial)} to ${formatFinite(loss.final)} (best ` +
      `${formatFinite(loss.best)}) over ${probe.steps} of ${plural(probe.stepsPlanned, unit)}${chance}${bestNote}.`,
  };
}

function lossMarkers(report: Report, unit: string): PlotMarker[] {
  const { nanStep } = report.probe!;
  const best = bestEvaluation(report);
  return [
    ...(nanStep === null ? [] : [{ x: nanStep, label: `loss not finite from ${unit} ${nanStep}` }]),
    ...(best === null ? [] : [{ x: best.step, label: `best validation loss: ${unit} ${formatNumber(best.step)}` }]),
  ];
}

/**
 * An analyzed log's evaluation with the lowest validation loss (the first, on a tie): the epoch a
 * checkpoint callback would have kept. Null for a probe, which saves no checkpoint, and for a log
 * without a finite validation loss.
 */
export function bestEvaluation(report: Report): { step: number; loss: number } | null {
  const trace = report.probe?.trace;
  if (report.log === undefined || trace === undefined) return null;
  let best: { step: number; loss: number } | null = null;
  trace.valLoss.forEach((loss, index) => {
    if (isFiniteNumber(loss) && (best === null || loss < best.loss)) best = { step: trace.evalStep[index]!, loss };
  });
  return best;
}
