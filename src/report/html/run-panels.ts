/**
 * Small panels under the loss, on its steps: the validation metric at each evaluation and the
 * learning rate at each step (its schedule). A constant rate is a sentence, not a flat line.
 */
import { formatFinite, formatNumber, formatRate } from '../../util/format.js';
import type { Report } from '../report.js';
import { isFiniteNumber, lossScale, PANEL_TICKS } from './axis-scale.js';
import type { Drawing } from './figure.js';
import { runScale } from './loss-plot.js';
import { styleAt } from './series-style.js';
import { renderLinePlot } from './svg-plot.js';

export const LEARNING_RATE_PLOT_TITLE = 'Learning rate per step';
export const METRIC_PLOT_TITLE = 'Validation metric per evaluation';

/** Short: the panel reads as part of the loss plot above it, not as a plot of its own. */
const PANEL_HEIGHT = 160;
/** Metrics where higher is better; the others (mae, mse) are errors. */
const HIGHER_IS_BETTER: ReadonlySet<string> = new Set(['accuracy']);

/** Null when the trace records no learning rate. */
export function learningRatePanel(report: Report): Drawing | null {
  const probe = report.probe;
  const rates = probe?.trace.learningRate.filter(isFiniteNumber) ?? [];
  if (probe === undefined || rates.length === 0) return null;
  const unit = report.log?.axis ?? 'step';
  // A loop, not Math.min(...rates): spreading a long log's series overflows the stack.
  const low = rates.reduce((a, b) => Math.min(a, b));
  const high = rates.reduce((a, b) => Math.max(a, b));
  if (low === high)
    return { unplotted: `Learning rate: ${formatRate(low)} at every ${unit} (no schedule), so no panel is drawn.` };
  const svg = renderLinePlot({
    title: LEARNING_RATE_PLOT_TITLE,
    xLabel: unit,
    yLabel: 'learning rate',
    xScale: runScale(probe),
    yScale: lossScale(rates, Number.POSITIVE_INFINITY, PANEL_TICKS),
    series: [{ label: 'learning rate', x: probe.trace.step, y: probe.trace.learningRate, style: styleAt(2) }],
    height: PANEL_HEIGHT,
  });
  const first = rates[0]!;
  const last = rates.at(-1)!;
  return {
    svg,
    caption:
      `The learning rate the optimizer used at each ${unit}: from ${formatRate(first)} to ${formatRate(last)}, ` +
      `between ${formatRate(low)} and ${formatRate(high)}.`,
  };
}

/** Null when the trace records no finite validation metric. */
export function metricPanel(report: Report): Drawing | null {
  const probe = report.probe;
  const metric = probe?.trace.valMetric;
  if (probe === undefined || metric === null || metric === undefined || !metric.values.some(isFiniteNumber))
    return null;
  const unit = report.log?.axis ?? 'step';
  const { evalStep } = probe.trace;
  const best = bestIndex(metric.values, HIGHER_IS_BETTER.has(metric.name));
  const finite = metric.values.filter(isFiniteNumber);
  if (finite.every((value) => value === finite[0]))
    return {
      unplotted:
        `Validation ${metric.name}: ${formatFinite(finite[0])} at every evaluation ` +
        `(${finite.length} of them), so no panel is drawn.`,
    };
  const svg = renderLinePlot({
    title: METRIC_PLOT_TITLE,
    xLabel: unit,
    // Short: a rotated label longer than the panel is cut; the legend names the split.
    yLabel: metric.name,
    xScale: runScale(probe),
    yScale: lossScale(metric.values, Number.POSITIVE_INFINITY, PANEL_TICKS),
    series: [{ label: `validation ${metric.name}`, x: evalStep, y: metric.values, style: styleAt(3) }],
    markers: [{ x: evalStep[best]!, label: `best ${formatFinite(metric.values[best])}` }],
    height: PANEL_HEIGHT,
  });
  return {
    svg,
    caption:
      `Validation ${metric.name} at each evaluation: from ${formatFinite(metric.values.find(isFiniteNumber))} to ` +
      `${formatFinite(metric.values.findLast(isFiniteNumber))}, best ${formatFinite(metric.values[best])} at ${unit} ` +
      `${formatNumber(evalStep[best]!)} (marked).`,
  };
}

/** The index of the best finite value: the highest or the lowest. */
function bestIndex(values: readonly (number | null)[], higher: boolean): number {
  let best = -1;
  values.forEach((value, index) => {
    if (!isFiniteNumber(value)) return;
    if (best < 0 || (higher ? value > values[best]! : value < values[best]!)) best = index;
  });
  return best;
}
