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

/**
 * Whether Number() reads `text` as DECIMAL does: it starts with a digit (then Number() accepts
 * nothing DECIMAL rejects but the 0x, 0b and 0o prefixes, and any text it cannot read is NaN).
 */
function plainDecimal(text: string): boolean {
  const first = text.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39)) return false; // NaN for an empty cell
  const second = text.charCodeAt(1) | 0x20; // lower case
  return !(first === 0x30 && (second === 0x78 || second === 0x62 || second === 0x6f));
}

/** The cell's number; NaN for a missing value; undefined when the cell is text that is not a number. */
export function parseNumber(cell: Cell): number | undefined {
  if (typeof cell === 'number') return cell;
  if (typeof cell === 'boolean') return cell ? 1 : 0;
  if (cell === null || cell === undefined) return Number.NaN;
  // Most cells of a numeric table: one Number() call, without the trim and the expression below
  // (784k cells of a 1000×784 pixel CSV: ~0.1 s of `diagnose`, issue 14).
  if (plainDecimal(cell)) {
    const value = Number(cell);
    if (!Number.isNaN(value)) return value;
  }
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
