/** A plot with the sentence that says what to read from it; every plot module returns one. */
import { escapeHtml } from './escape.js';

export interface Figure {
  svg: string;
  /** Plain text; escaped here. */
  caption: string;
}

export function figureHtml({ svg, caption }: Figure): string {
  return `<figure>\n${svg}\n<figcaption>${escapeHtml(caption)}</figcaption>\n</figure>`;
}
