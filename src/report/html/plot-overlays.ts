/**
 * What a line plot draws over its axes besides the series: vertical markers (the NaN step, a
 * suggested rate, the best epoch), horizontal levels (the chance-level loss), and shaded bands of x
 * values (the LR test's burn-in) or of y values (a rule's range, such as update ratios below 1e-5).
 */
import type { Scale } from './axis-scale.js';
import { escapeHtml } from './escape.js';

/** A vertical line at an x value, labelled at the top of the plot (the NaN step, a suggested rate). */
export interface PlotMarker {
  x: number;
  label: string;
}

/** A horizontal reference line at a y value, labelled at its right end (the chance-level loss). */
export interface PlotLevel {
  y: number;
  label: string;
}

/**
 * A shaded span under the series: of x values (default), labelled at its bottom left, or of y
 * values, labelled at its top left. An open end (undefined) runs to the edge of the axes.
 */
export interface PlotBand {
  axis?: 'x' | 'y';
  from?: number;
  to?: number;
  label: string;
}

export interface Overlays {
  xScale: Scale;
  yScale: Scale;
  markers?: readonly PlotMarker[];
  levels?: readonly PlotLevel[];
  bands?: readonly PlotBand[];
}

export type Area = { left: number; right: number; top: number; bottom: number };

/** Rough width of one character of 12px sans-serif, for laying out labels. */
export const CHARACTER_WIDTH = 6.9;

/** One decimal of a pixel is below what any screen shows, and keeps the file small. */
export function coord(value: number): string {
  return String(Math.round(value * 10) / 10);
}

function inside(scale: Scale, value: number): boolean {
  return scale.drawable(value) && scale.fraction(value) >= 0 && scale.fraction(value) <= 1;
}

/** Labels stack downwards from the top so that markers close together do not overwrite each other. */
export function markersSvg(plot: Overlays, area: Area): string {
  return (plot.markers ?? [])
    .filter((marker) => inside(plot.xScale, marker.x))
    .map((marker, index) => {
      const x = area.left + plot.xScale.fraction(marker.x) * (area.right - area.left);
      const y = area.top + 14 + index * 14;
      const nearRight = x > area.right - marker.label.length * CHARACTER_WIDTH - 8;
      return [
        `<line class="marker" x1="${coord(x)}" x2="${coord(x)}" y1="${area.top}" y2="${area.bottom}"/>`,
        `<text class="halo" x="${coord(nearRight ? x - 4 : x + 4)}" y="${y}" ` +
          `text-anchor="${nearRight ? 'end' : 'start'}">${escapeHtml(marker.label)}</text>`,
      ].join('');
    })
    .join('\n');
}

/** The pixel span of a band along its axis, clamped to the axes; null when it lies outside them. */
function bandSpan(band: PlotBand, scale: Scale, start: number, end: number): [number, number] | null {
  const at = (value: number | undefined, open: number) =>
    value === undefined ? open : scale.drawable(value) ? Math.min(1, Math.max(0, scale.fraction(value))) : null;
  const [from, to] = [at(band.from, 0), at(band.to, 1)];
  if (from === null || to === null || from >= to) return null;
  return [start + from * (end - start), start + to * (end - start)];
}

export function bandsSvg(plot: Overlays, area: Area): string {
  return (plot.bands ?? [])
    .map((band) => {
      const label = `<text class="halo band-label" x="`;
      if (band.axis === 'y') {
        const span = bandSpan(band, plot.yScale, area.bottom, area.top);
        if (span === null) return '';
        const [bottom, top] = span;
        return (
          `<rect class="band" x="${area.left}" y="${coord(top)}" width="${area.right - area.left}" ` +
          `height="${coord(bottom - top)}"/>${label}${area.left + 4}" y="${coord(top + 14)}">` +
          `${escapeHtml(band.label)}</text>`
        );
      }
      const span = bandSpan(band, plot.xScale, area.left, area.right);
      if (span === null) return '';
      const [left, right] = span;
      return (
        `<rect class="band" x="${coord(left)}" y="${area.top}" width="${coord(right - left)}" ` +
        `height="${area.bottom - area.top}"/>${label}${coord(left + 4)}" y="${area.bottom - 6}">` +
        `${escapeHtml(band.label)}</text>`
      );
    })
    .filter(Boolean)
    .join('\n');
}

/** Levels inside the axes' range: a dashed line across, its label above the line at the right. */
export function levelsSvg(plot: Overlays, area: Area): string {
  return (plot.levels ?? [])
    .filter((level) => inside(plot.yScale, level.y))
    .map((level) => {
      const y = coord(area.bottom - plot.yScale.fraction(level.y) * (area.bottom - area.top));
      return (
        `<line class="level" x1="${area.left}" x2="${area.right}" y1="${y}" y2="${y}"/>` +
        `<text class="halo" x="${area.right - 4}" y="${y}" dy="-0.4em" text-anchor="end">${escapeHtml(level.label)}</text>`
      );
    })
    .join('\n');
}
