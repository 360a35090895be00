/**
 * Before and after for --apply-fix: one small plot per measured fix, its training and validation
 * loss over the baseline's, all on the same axes so the panels compare at a glance. Drawn from the
 * first seed's run of each trial (`trials[].curve`); reports written before curves existed have none.
 */
import type { Trial, TrialCurve } from '../../trials/trial-stats.js';
import type { Report } from '../report.js';
import { formatNumber } from '../../util/format.js';
import { fittedCeiling, isFiniteNumber, leavesTop, lossScale, stepScale, type Scale } from './axis-scale.js';
import { escapeHtml } from './escape.js';
import { BASELINE_STYLE, FIXED_STYLE, type SeriesStyle } from './series-style.js';
import type { PlotLevel, PlotMarker } from './plot-overlays.js';
import { renderLinePlot, type PlotSeries } from './svg-plot.js';
import { chanceLevel, chanceSentence } from './chance-level.js';
import { divergedAt, improvementText } from '../trial-facts.js';

export const TRIALS_PLOT_TITLE = 'Before and after';

const PANEL_WIDTH = 420;
const PANEL_HEIGHT = 240;
/** Validation losses: the run's colour with a dotted line and a marker per evaluation. */
const VALIDATION_DASH = '2 3';

type Drawn = Trial & { curve: TrialCurve };

/**
 * The shared loss axis covers this share of the finite trials' losses: a trial stopped as lost may
 * spike to 1e11 for a few steps, which would stretch every panel's log axis by ten decades.
 */
const CEILING_QUANTILE = 0.95;

/** A grid of panels (HTML with inline SVG), or null when no trial but the baseline carries a curve. */
export function trialsPlots(report: Report): string | null {
  const [baseline, ...fixed] = report.trials ?? [];
  const withCurves = fixed.filter((trial): trial is Drawn => trial.curve !== undefined);
  if (baseline?.curve === undefined || withCurves.length === 0) return null;
  const curves = [baseline.curve, ...withCurves.map((trial) => trial.curve)];
  const xScale = stepScale(curves.flatMap((curve) => [...curve.step, ...curve.evalStep]));
  const levels = chanceLevel(report, 'original');
  // The axis is fitted to the runs that stayed finite, and the chance level, so a diverging run
  // cannot squash them into the bottom of a log axis running to 1e8; it leaves through the top instead.
  const finite = withCurves.filter((trial) => !trial.diverged);
  const readable = (finite.length > 0 ? finite : withCurves).flatMap((trial) => [
    ...trial.curve.loss,
    ...trial.curve.valLoss,
  ]);
  const ceiling =
    fittedCeiling([...readable, ...levels.map((level) => level.y)], CEILING_QUANTILE) ?? Number.POSITIVE_INFINITY;
  const losses = curves.flatMap((curve) => [...curve.loss, ...curve.valLoss]);
  const cut = losses.some((loss) => isFiniteNumber(loss) && loss > ceiling);
  const yScale = lossScale([...losses, ...levels.map((level) => level.y)], cut ? ceiling : Number.POSITIVE_INFINITY);
  const diverged = divergedAt(baseline, report);
  const markers: PlotMarker[] =
    diverged === null ? [] : [{ x: diverged, label: `baseline diverged at step ${diverged}` }];
  const panels = withCurves.map((trial) => panel(baseline.curve!, trial, { report, xScale, yScale, levels, markers }));
  const cutNote = leavesTop(yScale, losses)
    ? `; the loss axis fits the trials that stayed finite, and losses above ${formatNumber(yScale.top)} leave through the top`
    : '';
  const chance = chanceSentence(levels);
  const note =
    `The first seed’s run of each trial against the baseline’s, on shared axes${cutNote}. ` +
    `Breaks in a line are steps where the loss was not finite.${chance}`;
  return `<p>${escapeHtml(note)}</p>\n<div class="panels">\n${panels.join('\n')}\n</div>`;
}

interface PanelAxes {
  report: Report;
  xScale: Scale;
  yScale: Scale;
  levels: PlotLevel[];
  markers: PlotMarker[];
}

function panel(baseline: TrialCurve, trial: Drawn, axes: PanelAxes): string {
  const name = trial.fixes.join(' + ');
  const svg = renderLinePlot({
    title: `${TRIALS_PLOT_TITLE}: training and validation loss of the baseline and of ${name}`,
    xLabel: 'step',
    yLabel: 'loss',
    xScale: axes.xScale,
    yScale: axes.yScale,
    levels: axes.levels,
    markers: axes.markers,
    series: [...curveSeries('baseline', baseline, BASELINE_STYLE), ...curveSeries(name, trial.curve, FIXED_STYLE)],
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
  });
  return (
    `<figure class="panel">\n<figcaption><strong>${escapeHtml(name)}</strong> ` +
    `${escapeHtml(outcome(trial, axes.report))}</figcaption>\n${svg}\n</figure>`
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

function outcome(trial: Trial, report: Report): string {
  if (trial.diverged) return 'diverged';
  const versus = improvementText(trial, report);
  return [
    versus === '' || versus.startsWith('baseline') ? versus : `improvement ${versus}`,
    trial.verified ? 'verified' : trial.verified === false ? 'not verified' : '',
    trial.lost ? 'stopped early: lost' : '',
  ]
    .filter(Boolean)
    .join(', ');
}
