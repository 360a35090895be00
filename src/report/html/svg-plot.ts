/**
 * One inline SVG line plot: frame, grid, ticks, axis labels, series (broken where a value cannot
 * be drawn, thinned to what the width can show), vertical markers with their labels, and a legend
 * that shows each series' dash pattern and marker beside its name. No script, no external reference.
 */
import type { Scale, TickLabel } from './axis-scale.js';
import { downsampleRuns, drawableRuns, type Point } from './downsample.js';
import { escapeHtml } from './escape.js';
import type { MarkerShape, SeriesStyle } from './series-style.js';
import { bandsSvg, CHARACTER_WIDTH, coord, levelsSvg, markersSvg, type Area, type Overlays } from './plot-overlays.js';

export interface PlotSeries {
  label: string;
  x: readonly number[];
  /** null, NaN and ±Infinity (and values ≤ 0 on a log axis) break the line. */
  y: readonly (number | null)[];
  style: SeriesStyle;
  /** Thin and pale: a raw series drawn under its smoothed version. */
  faint?: boolean;
}

/** A plot's size in CSS pixels, before its legend; text keeps its pixel size whatever the size. */
export interface PlotSize {
  width: number;
  height: number;
}

export interface LinePlot extends Overlays {
  /** What the plot shows, for screen readers (aria-label and <title>). */
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly PlotSeries[];
  /** A last legend row saying what the legend leaves out and why ("8 of 12 kernels; biases left out"). */
  legendNote?: string;
  width?: number;
  height?: number;
}

/**
 * A plot is drawn at its size in CSS pixels and only ever shrinks: 720 fits the page's column from
 * an 800 px window on, so its 12 px text stays 12 px there (a 960 px plot shrank it to 9 px).
 */
const DEFAULT_WIDTH = 720;
const MARGIN = { top: 10, right: 18, bottom: 44, left: 70 };
const LEGEND_ROW_HEIGHT = 18;
/** Per line: a point per pixel column at most, 400 at most; more only adds bytes. */
const MAX_POINTS_PER_LINE = 400;
/** Series with this many drawable points or fewer get a marker on every point (evaluations, short runs). */
const MARKER_LIMIT = 40;

export function renderLinePlot(plot: LinePlot): string {
  const width = plot.width ?? DEFAULT_WIDTH;
  const height = plot.height ?? 320;
  const area = { left: MARGIN.left, right: width - MARGIN.right, top: MARGIN.top, bottom: height - MARGIN.bottom };
  const toPixel = (point: Point): Point => ({
    x: area.left + plot.xScale.fraction(point.x) * (area.right - area.left),
    y: area.bottom - plot.yScale.fraction(point.y) * (area.bottom - area.top),
  });
  const maxPoints = Math.min(MAX_POINTS_PER_LINE, Math.round(area.right - area.left));
  const drawn = plot.series.map((series) => {
    const runs = drawableRuns(series.x, series.y, (x, y) => plot.xScale.drawable(x) && plot.yScale.drawable(y));
    const marked = runs.reduce((sum, run) => sum + run.length, 0) <= MARKER_LIMIT && !series.faint;
    return {
      series,
      marked,
      svg: seriesSvg(
        series,
        downsampleRuns(runs, maxPoints).map((run) => run.map(toPixel)),
        marked,
      ),
    };
  });
  const legend = legendSvg(drawn, plot.legendNote, { left: area.left, top: height + 4, right: width - MARGIN.right });
  const totalHeight = height + legend.height;
  return [
    `<svg class="plot" viewBox="0 0 ${width} ${totalHeight}" width="${width}" height="${totalHeight}" ` +
      `role="img" aria-label="${escapeHtml(plot.title)}">`,
    `<title>${escapeHtml(plot.title)}</title>`,
    axesSvg(plot, area),
    bandsSvg(plot, area),
    // A nested viewport clips lines that leave the axes' domain (a loss above the axis' ceiling)
    // without needing a page-unique id.
    clipViewport(area),
    ...drawn.map((entry) => entry.svg),
    '</svg>',
    markersSvg(plot, area),
    levelsSvg(plot, area),
    legend.svg,
    '</svg>',
  ].join('\n');
}

/** Room around the axes' area for markers on its edge (the evaluation at step 0). */
const CLIP_PAD = 5;

function clipViewport(area: Area): string {
  const [x, y] = [area.left - CLIP_PAD, area.top - CLIP_PAD];
  const [width, height] = [area.right - area.left + 2 * CLIP_PAD, area.bottom - area.top + 2 * CLIP_PAD];
  return (
    `<svg x="${x}" y="${y}" width="${width}" height="${height}" viewBox="${x} ${y} ${width} ${height}" ` +
    'overflow="hidden">'
  );
}

function axesSvg(plot: LinePlot, area: Area): string {
  const parts: string[] = [];
  for (const tick of plot.yScale.ticks) {
    const y = area.bottom - plot.yScale.fraction(tick.value) * (area.bottom - area.top);
    parts.push(`<line class="grid" x1="${area.left}" x2="${area.right}" y1="${coord(y)}" y2="${coord(y)}"/>`);
    parts.push(
      `<text x="${area.left - 6}" y="${coord(y)}" dy="0.32em" text-anchor="end">${tickLabelSvg(tick.label)}</text>`,
    );
  }
  for (const tick of plot.xScale.ticks) {
    const x = area.left + plot.xScale.fraction(tick.value) * (area.right - area.left);
    parts.push(`<line class="grid" x1="${coord(x)}" x2="${coord(x)}" y1="${area.top}" y2="${area.bottom}"/>`);
    parts.push(`<text x="${coord(x)}" y="${area.bottom + 16}" text-anchor="middle">${tickLabelSvg(tick.label)}</text>`);
  }
  const middleY = (area.top + area.bottom) / 2;
  parts.push(
    `<rect class="frame" x="${area.left}" y="${area.top}" width="${area.right - area.left}" ` +
      `height="${area.bottom - area.top}"/>`,
  );
  parts.push(
    `<text class="axis-label" x="${(area.left + area.right) / 2}" y="${area.bottom + 36}" ` +
      `text-anchor="middle">${escapeHtml(axisLabel(plot.xLabel, plot.xScale))}</text>`,
  );
  parts.push(
    `<text class="axis-label" transform="translate(14 ${middleY}) ` +
      `rotate(-90)" text-anchor="middle">${escapeHtml(axisLabel(plot.yLabel, plot.yScale))}</text>`,
  );
  return parts.join('\n');
}

function axisLabel(label: string, scale: Scale): string {
  return scale.kind === 'log' ? `${label} (log scale)` : label;
}

function tickLabelSvg(label: TickLabel): string {
  if ('text' in label) return escapeHtml(label.text);
  const exponent = label.power < 0 ? `\u2212${-label.power}` : String(label.power);
  return `10<tspan dy="-0.45em" font-size="0.8em">${exponent}</tspan>`;
}

function seriesSvg(series: PlotSeries, runs: readonly Point[][], marked: boolean): string {
  const { color } = series.style;
  const lines = runs
    .filter((run) => run.length > 1)
    .map((run) => `M${run.map((point) => `${coord(point.x)},${coord(point.y)}`).join('L')}`);
  // A run of one point has no line to show it: it always gets its marker.
  const markerPoints = runs.flatMap((run) => (marked || run.length === 1 ? run : []));
  return [
    `<g aria-label="${escapeHtml(series.label)}">`,
    ...(lines.length === 0 ? [] : [`<path fill="none" ${strokeAttributes(series)} d="${lines.join('')}"/>`]),
    ...(markerPoints.length === 0
      ? []
      : [`<g fill="${color}">${markerPoints.map((point) => markerSvg(series.style.marker, point)).join('')}</g>`]),
    '</g>',
  ].join('');
}

function strokeAttributes({ style, faint }: PlotSeries): string {
  const opacity = faint ? ' stroke-opacity="0.45"' : '';
  const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
  return `stroke="${style.color}" stroke-width="${faint ? 1 : 1.8}"${opacity}${dash}`;
}

function markerSvg(shape: MarkerShape, { x, y }: Point): string {
  if (shape === 'circle') return `<circle cx="${coord(x)}" cy="${coord(y)}" r="3"/>`;
  if (shape === 'square') return `<rect x="${coord(x - 2.8)}" y="${coord(y - 2.8)}" width="5.6" height="5.6"/>`;
  if (shape === 'triangle') return pathSvg([x, y - 3.6], [x + 3.6, y + 2.8], [x - 3.6, y + 2.8]);
  return pathSvg([x, y - 4], [x + 4, y], [x, y + 4], [x - 4, y]);
}

/** A closed path through the corners: `<path d="Mx,yLx,y...Z"/>`. */
function pathSvg(...corners: [number, number][]): string {
  return `<path d="M${corners.map(([x, y]) => `${coord(x)},${coord(y)}`).join('L')}Z"/>`;
}

/** Entries flow left to right and wrap; each shows the series' stroke and marker as drawn. */
function legendSvg(
  entries: readonly { series: PlotSeries; marked: boolean }[],
  note: string | undefined,
  { left, top, right }: { left: number; top: number; right: number },
): { svg: string; height: number } {
  if (entries.length === 0 && note === undefined) return { svg: '', height: 0 };
  const parts: string[] = [];
  let x = left;
  let row = 0;
  for (const { series, marked } of entries) {
    const entryWidth = 34 + series.label.length * CHARACTER_WIDTH + 14;
    if (x > left && x + entryWidth > right) {
      x = left;
      row += 1;
    }
    const y = top + row * LEGEND_ROW_HEIGHT + 9;
    const { color, marker } = series.style;
    parts.push(
      `<line x1="${coord(x)}" x2="${coord(x + 28)}" y1="${y}" y2="${y}" ${strokeAttributes(series)}/>`,
      marked ? `<g fill="${color}">${markerSvg(marker, { x: x + 14, y })}</g>` : '',
      `<text x="${coord(x + 34)}" y="${y}" dy="0.32em">${escapeHtml(series.label)}</text>`,
    );
    x += entryWidth;
  }
  if (note !== undefined) {
    if (entries.length > 0) row += 1;
    const y = top + row * LEGEND_ROW_HEIGHT + 9;
    parts.push(`<text class="legend-note" x="${left}" y="${y}" dy="0.32em">${escapeHtml(note)}</text>`);
  }
  return { svg: `<g class="legend">${parts.join('')}</g>`, height: (row + 1) * LEGEND_ROW_HEIGHT + 4 };
}
