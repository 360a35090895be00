/**
 * Dead and saturated units per layer as horizontal bars: the last evaluation's fraction, with a
 * tick at the first evaluation's, so a layer that died or saturated during the probe stands out.
 * Each bar is named in words and filled with its own pattern as well as its own colour.
 */
import type { ActivationTrace } from '../../trace/trace.js';
import type { Report } from '../report.js';
import { isFiniteNumber } from './axis-scale.js';
import { escapeHtml } from './escape.js';
import type { Drawing, Figure } from './figure.js';
import { formatFinitePercent } from '../../util/format.js';
import { coord } from './plot-overlays.js';

export const ACTIVATION_PLOT_TITLE = 'Dead and saturated units per layer';

type Measure = 'deadFraction' | 'saturatedFraction' | 'nearSaturatedFraction';

const MEASURES: readonly { key: Measure; word: string; fill: string }[] = [
  { key: 'deadFraction', word: 'dead', fill: '#D55E00' },
  { key: 'saturatedFraction', word: 'saturated', fill: 'url(#convdoc-hatch-saturated)' },
  { key: 'nearSaturatedFraction', word: 'near-saturated', fill: 'url(#convdoc-dots-near-saturated)' },
];

/**
 * Patterns for the bars, so the three measures differ without colour too. Ids are fixed: the page
 * has one such plot.
 */
const PATTERNS = [
  '<pattern id="convdoc-hatch-saturated" patternUnits="userSpaceOnUse" width="6" height="6" ' +
    'patternTransform="rotate(45)"><rect width="6" height="6" fill="#0072B2"/><line x1="0" y1="0" x2="0" ' +
    'y2="6" stroke="#fff" stroke-width="2"/></pattern>',
  '<pattern id="convdoc-dots-near-saturated" patternUnits="userSpaceOnUse" width="5" height="5"><rect ' +
    'width="5" height="5" fill="#56B4E9"/><circle cx="2.5" cy="2.5" r="1.1" fill="#000"/></pattern>',
].join('');

const WIDTH = 720;
const LABEL_RIGHT = 200;
const BAR_RIGHT = 560;
const ROW_HEIGHT = 20;
const TOP = 24;

interface Bar {
  layer: string;
  word: string;
  fill: string;
  first: number;
  last: number;
  /** The highest value at any evaluation. */
  peak: number;
}

/**
 * The bars, or the sentence of what was measured when every bar would be empty (a sigmoid network
 * with no saturated unit); null when no layer records these fractions.
 */
export function activationPlot(report: Report): Drawing | null {
  const trace = report.probe?.trace;
  if (trace === undefined) return null;
  const bars = trace.activations.flatMap(barsOf);
  if (bars.length === 0) return null;
  const unit = report.log?.axis ?? 'step';
  const where = report.log === undefined ? 'on the probe batch' : 'in the log';
  if (bars.every((bar) => bar.first === 0 && bar.last === 0)) return { unplotted: allZeroSentence(bars, unit, where) };
  return barChart(bars, trace.activations, trace.evalStep, unit);
}

function barChart(
  bars: readonly Bar[],
  activations: readonly ActivationTrace[],
  evalStep: readonly number[],
  unit: string,
): Figure {
  const height = TOP + bars.length * ROW_HEIGHT + 12;
  const toX = (fraction: number) => LABEL_RIGHT + fraction * (BAR_RIGHT - LABEL_RIGHT);
  const axis = [0, 0.25, 0.5, 0.75, 1].map(
    (fraction) =>
      `<line class="grid" x1="${toX(fraction)}" x2="${toX(fraction)}" y1="${TOP - 4}" ` +
      `y2="${height - 10}"/><text x="${toX(fraction)}" y="${TOP - 8}" ` +
      `text-anchor="middle">${fraction * 100}%</text>`,
  );
  const svg = [
    `<svg class="plot" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}" role="img" ` +
      `aria-label="${ACTIVATION_PLOT_TITLE}">`,
    `<title>${ACTIVATION_PLOT_TITLE}</title>`,
    `<defs>${PATTERNS}</defs>`,
    ...axis,
    ...bars.map((bar, index) => barRow(bar, TOP + index * ROW_HEIGHT, toX)),
    '</svg>',
  ].join('\n');
  const steps = activations.find((layer) => layer.step !== undefined)?.step ?? evalStep;
  return { svg, caption: barCaption(bars, steps, unit) };
}

/** One layer's bar at height `y`: its label, the last value, and a tick at the first where it differs. */
function barRow(bar: Bar, y: number, toX: (fraction: number) => number): string {
  const change = bar.first === bar.last ? '' : ` (first ${formatFinitePercent(bar.first)})`;
  return [
    `<text x="${LABEL_RIGHT - 8}" y="${y + 7}" dy="0.32em" ` +
      `text-anchor="end">${escapeHtml(`${bar.layer} · ${bar.word}`)}</text>`,
    `<rect x="${LABEL_RIGHT}" y="${y + 1}" width="${coord(toX(bar.last) - LABEL_RIGHT)}" height="12" ` +
      `fill="${bar.fill}" stroke="#333" stroke-width="0.5"/>`,
    bar.first === bar.last
      ? ''
      : `<line class="first-tick" x1="${coord(toX(bar.first))}" x2="${coord(toX(bar.first))}" ` +
        `y1="${y - 2}" y2="${y + 16}"/>`,
    `<text x="${BAR_RIGHT + 8}" y="${y + 7}" ` +
      `dy="0.32em">${escapeHtml(`${formatFinitePercent(bar.last)}${change}`)}</text>`,
  ].join('');
}

function barCaption(bars: readonly Bar[], steps: readonly number[], unit: string): string {
  const lastStep = steps.at(-1);
  // The tick is drawn only where the first evaluation differs from the last: say so only then.
  const ticks =
    steps.length <= 1
      ? '. '
      : bars.some((bar) => bar.first !== bar.last)
        ? '; the black tick and the number in brackets: at the first, where it differs. '
        : '; each is the same at the first. ';
  return (
    `Bars: the fraction at the ${steps.length <= 1 ? 'only' : 'last'} evaluation` +
    `${lastStep === undefined ? '' : ` (${unit} ${lastStep})`}${ticks}Dead: ` +
    'ReLU units never active on the probe batch. Saturated: ' +
    'sigmoid/tanh inputs where the gradient is zero in float32; near-saturated: below 1% of its peak.'
  );
}

/** One bar per measure the layer records, from its first and last finite values. */
function barsOf(activation: ActivationTrace): Bar[] {
  return MEASURES.flatMap(({ key, word, fill }) => {
    const finite = (activation[key] ?? []).filter(isFiniteNumber);
    if (finite.length === 0) return [];
    const peak = finite.reduce((a, b) => Math.max(a, b));
    return [{ layer: activation.layer, word, fill, first: finite[0]!, last: finite.at(-1)!, peak }];
  });
}

/** What was measured on which layers, and that it stayed at zero (at every evaluation, or at the first and last). */
function allZeroSentence(bars: readonly Bar[], unit: string, where: string): string {
  const layers = [...new Set(bars.map((bar) => bar.layer))];
  const words = [...new Set(bars.map((bar) => bar.word))];
  const measures = words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
  const peak = bars.reduce((highest, bar) => Math.max(highest, bar.peak), 0);
  const when =
    peak === 0
      ? 'at every evaluation'
      : `at the first and the last evaluation (at most ${formatFinitePercent(peak)} at one ${unit} between)`;
  return (
    `Measured the fraction of ${measures} units in ${layers.length === 1 ? 'layer' : `${layers.length} layers`} ` +
    `(${layers.join(', ')}) ${where}: 0% ${when}, so no bars are drawn.`
  );
}
