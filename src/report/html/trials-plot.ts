/**
 * Before and after for --apply-fix: one small plot per measured fix, its training and validation
 * loss over the baseline's, all on the same axes so the panels compare at a glance. Drawn from the
 * first seed's run of each trial (`trials[].curve`); reports written before curves existed have none.
 */
import type { Trial, TrialCurve } from '../../trials/trial-stats.js';
import type { Report } from '../report.js';
import { formatFinitePercent, formatNumber } from '../../util/format.js';
import { isFiniteNumber, stepScale, lossScale, type Scale } from './axis-scale.js';
import { escapeHtml } from './escape.js';
import { BASELINE_STYLE, FIXED_STYLE, type SeriesStyle } from './series-style.js';
import { renderLinePlot, type PlotSeries } from './svg-plot.js';

export const TRIALS_PLOT_TITLE = 'Before and after';

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 240;
/** Validation losses: the run's colour with a dotted line and a marker per evaluation. */
const VALIDATION_DASH = '2 3';

/**
 * Losses above this multiple of the largest first loss are cut off at the top: a diverged run would
 * otherwise flatten every other curve.
 */
const CEILING_OVER_FIRST_LOSS = 1e3;

/** A grid of panels (HTML with inline SVG), or null when no trial but the baseline carries a curve. */
export function trialsPlots(report: Report): string | null {
  const [baseline, ...fixed] = report.trials ?? [];
  const withCurves = fixed.filter((trial): trial is Trial & { curve: TrialCurve } => trial.curve !== undefined);
  if (baseline?.curve === undefined || withCurves.length === 0) return null;
  const curves = [baseline.curve, ...withCurves.map((trial) => trial.curve)];
  const xScale = stepScale(curves.flatMap((curve) => [...curve.step, ...curve.evalStep]));
  const losses = curves.flatMap((curve) => [...curve.loss, ...curve.valLoss]);
  const ceiling = CEILING_OVER_FIRST_LOSS * Math.max(...curves.map((curve) => curve.loss.find(isFiniteNumber) ?? 0));
  const cut = ceiling > 0 && losses.some((loss) => isFiniteNumber(loss) && loss > ceiling);
  const yScale = lossScale(losses, cut ? ceiling : Number.POSITIVE_INFINITY);
  const panels = withCurves.map((trial) => panel(baseline.curve!, trial, xScale, yScale));
  const cutNote = cut
    ? `; losses above ${formatNumber(ceiling)} (${formatNumber(CEILING_OVER_FIRST_LOSS)}× the first loss) ` +
      'leave through the top'
    : '';
  const note =
    `The first seed’s run of each trial against the baseline’s, on shared axes${cutNote}. ` +
    'Breaks in a line are steps where the loss was not finite.';
  return `<p>${escapeHtml(note)}</p>\n<div class="panels">\n${panels.join('\n')}\n</div>`;
}

function panel(baseline: TrialCurve, trial: Trial & { curve: TrialCurve }, xScale: Scale, yScale: Scale): string {
  const name = trial.fixes.join(' + ');
  const svg = renderLinePlot({
    title: `${TRIALS_PLOT_TITLE}: training and validation loss of the baseline and of ${name}`,
    xLabel: 'step',
    yLabel: 'loss',
    xScale,
    yScale,
    series: [...curveSeries('baseline', baseline, BASELINE_STYLE), ...curveSeries(name, trial.curve, FIXED_STYLE)],
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
  });
  return (
    `<figure class="panel">\n<figcaption><strong>${escapeHtml(name)}</strong> ` +
    `${escapeHtml(outcome(trial))}</figcaption>\n${svg}\n</figure>`
  );
}

export function curveSeries(name: string, curve: TrialCurve, style: SeriesStyle): PlotSeries[] {
  const series: PlotSeries[] = [{ label: `${name}: training`, x: curve.step, y: curve.loss, style }];
  if (curve.valLoss.some(Number.isFinite))
    series.push({
      label: `${name}: validation`,
      x: curve.evalStep,
      y: curve.valLoss,
      style: { ...style, dash: VALIDATION_DASH },
    });
  return series;
}

function outcome(trial: Trial): string {
  if (trial.diverged) return 'diverged';
  const improvement = trial.improvement === undefined ? '' : `improvement ${formatFinitePercent(trial.improvement)}`;
  return [
    improvement,
    trial.verified ? 'verified' : trial.verified === false ? 'not verified' : '',
    trial.lost ? 'stopped early: lost' : '',
  ]
    .filter(Boolean)
    .join(', ');
}
