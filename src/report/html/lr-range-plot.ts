/**
 * The LR range test behind the lr-schedule trial: raw and smoothed loss against the learning rate
 * on a log axis, with the steepest descent, the valley and the suggested rate marked.
 */
import { formatRate } from '../../util/format.js';
import { formatNumber } from '../../util/format.js';
import type { LrRangeCurve } from '../../trials/apply-fixes.js';
import type { Report } from '../report.js';
import { isFiniteNumber, leavesTop, logScale, lossScale } from './axis-scale.js';
import { chanceLevel, chanceSentence } from './chance-level.js';
import type { Figure } from './figure.js';
import { styleAt } from './series-style.js';
import type { PlotMarker } from './plot-overlays.js';
import { renderLinePlot } from './svg-plot.js';

/** The blow-up at high rates is cut off here, so the descent that the suggestions come from stays readable. */
const CEILING_OVER_SMOOTHED = 10;

export const LR_RANGE_PLOT_TITLE = 'LR range test: loss against learning rate';

export function lrRangePlot(report: Report): Figure | null {
  const curve = report.lrRangeTest;
  if (curve === undefined || curve.learningRate.length === 0) return null;
  // smoothed[0] belongs to the step at index smoothedFrom: the burn-in before it is not smoothed.
  const burnIn = curve.smoothedFrom > 0 ? curve.learningRate[curve.smoothedFrom] : undefined;
  const smoothedRates = curve.learningRate.slice(curve.smoothedFrom, curve.smoothedFrom + curve.smoothed.length);
  const ceiling =
    CEILING_OVER_SMOOTHED *
    [...curve.smoothed, curve.loss.find(isFiniteNumber) ?? 0]
      .filter(isFiniteNumber)
      .reduce((highest, loss) => Math.max(highest, loss), 0);
  const cut = ceiling > 0 && curve.loss.some((loss) => isFiniteNumber(loss) && loss > ceiling);
  // The sweep trains the baseline config, so its losses are in the probe's units.
  const levels = chanceLevel(report, 'probe');
  const yScale = lossScale(
    [...curve.loss, ...curve.smoothed, ...levels.map((level) => level.y)],
    cut ? ceiling : Number.POSITIVE_INFINITY,
  );
  const svg = renderLinePlot({
    title: LR_RANGE_PLOT_TITLE,
    xLabel: 'learning rate',
    yLabel: 'loss',
    xScale: logScale(curve.learningRate),
    yScale,
    levels,
    series: [
      { label: 'loss per step', x: curve.learningRate, y: curve.loss, style: styleAt(0), faint: true },
      { label: 'smoothed loss', x: smoothedRates, y: curve.smoothed, style: styleAt(1) },
    ],
    markers: markersOf(curve),
    bands: burnIn === undefined ? [] : [{ from: curve.learningRate[0]!, to: burnIn, label: 'burn-in, not judged' }],
  });
  const start =
    curve.suggested === null
      ? 'after the burn-in the smoothed loss shows no descent to take a starting rate from'
      : `the lr-schedule trial started at the suggested ${formatRate(curve.suggested)}`;
  // A descent inside the burn-in is visible in the raw loss but not used: the caption must say why.
  const skipped =
    burnIn === undefined
      ? ''
      : ` The shaded first ${curve.smoothedFrom} steps, up to ${formatRate(burnIn)}, are a burn-in the analysis ` +
        'skips, as fastai and Lightning do: a fall there shows the first steps from the initialization more than the rate.';
  const top = leavesTop(yScale, curve.loss)
    ? `; the loss axis is fitted to ${CEILING_OVER_SMOOTHED}× the highest smoothed loss, and losses above ` +
      `${formatNumber(yScale.top)} leave through the top`
    : '';
  const chance = chanceSentence(levels);
  return { svg, caption: `The sweep raised the learning rate every step; ${start}${top}.${skipped}${chance}` };
}

function markersOf(curve: LrRangeCurve): PlotMarker[] {
  const named: [number | null, string][] = [
    [curve.steepest, 'steepest descent'],
    [curve.valley, 'valley'],
    [curve.suggested, 'suggested'],
  ];
  return named.flatMap(([rate, name]) =>
    isFiniteNumber(rate) ? [{ x: rate, label: `${name} ${formatRate(rate)}` }] : [],
  );
}
