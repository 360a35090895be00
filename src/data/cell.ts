/**
 * Reading one cell as a number. Empty cells and the usual spellings of missing and infinite values
 * (NaN, NA, null, Inf, ...) are non-finite values the data checks count; any other text is not a
 * number at all, which the caller reports with its column and line.
 */

/** A raw cell: text from CSV, or a JSON value from JSON Lines. */
export type Cell = string | number | boolean | null | undefined;

/** Spellings of a missing value written by pandas, R and spreadsheets (lower-cased). */
const MISSING = new Set(['', 'nan', 'na', 'n/a', 'null', 'none', '?']);
const POSITIVE_INFINITY = new Set(['inf', '+inf', 'infinity', '+infinity']);
const NEGATIVE_INFINITY = new Set(['-inf', '-infinity']);
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** The cell's number; NaN for a missing value; undefined when the cell is text that is not a number. */
export function parseNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell === null || cell === undefined) return Number.NaN;
  const text = cell.trim();
  // The common case first: Number() is fast, but it also accepts hex, binary and '' which we must not.
  if (DECIMAL.test(text)) return Number(text);
  const lower = text.toLowerCase();
  if (MISSING.has(lower)) return Number.NaN;
  if (POSITIVE_INFINITY.has(lower)) return Number.POSITIVE_INFINITY;
  if (NEGATIVE_INFINITY.has(lower)) return Number.NEGATIVE_INFINITY;
  return undefined;
}

/** Whether a cell is a missing value (as opposed to a number or a label). */
export function isMissing(cell: Cell): boolean {
  if (cell === null || cell === undefined) return true;
  return typeof cell === 'string' && MISSING.has(cell.trim().toLowerCase());
}
