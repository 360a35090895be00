/** A plot with the sentence that says what to read from it; every plot module returns one. */
import { escapeHtml } from './escape.js';

export interface Figure {
  svg: string;
  /** Plain text; escaped here. */
  caption: string;
}

/**
 * What stands where a plot would: the plot, or the sentence that says what was measured and why
 * nothing shows (an all-zero bar chart or a flat line tells the reader less than the sentence).
 */
export type Drawing = Figure | { unplotted: string };

/** `id` names a figure that pages and checks find by it (the first screen's proof); it doubles as its class. */
export function figureHtml({ svg, caption }: Figure, id?: string): string {
  const attributes = id === undefined ? '' : ` class="${id}" id="${id}"`;
  return `<figure${attributes}>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}

export function drawingHtml(drawing: Drawing): string {
  return 'unplotted' in drawing ? `<p class="unplotted">${escapeHtml(drawing.unplotted)}</p>` : figureHtml(drawing);
}
