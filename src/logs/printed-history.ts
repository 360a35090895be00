/**
 * A Keras history as Python prints it rather than as `json.dump` writes it, turned into the JSON
 * object of lists history-json.ts reads:
 * - `print(history.history)`, the dict's repr: `{'loss': [0.52, 0.41], 'val_loss': [0.61, 0.55]}`,
 *   single-quoted names and Python's bare `nan`/`inf` (Keras' examples and many notebooks print it
 *   after `fit`; the public code searched for this shape holds `print(history.history)` in every
 *   kind of script);
 * - one `name:[values]` line per metric, the dict's items written in a loop (`f.write(f"{k}:{v}\n")`):
 *   bench log 648's `val_loss:[0.0325, ...]` then `loss:[0.6716, ...]`, 4,000 epochs, which was read
 *   as a printed log of two lines.
 * Only a text that opens so: a name, `:` and a list that starts with a number.
 */

/** The repr of a dict whose first value is a list of numbers: `{'loss': [0.52`. */
const OPENS_AS_REPR = /^\s*\{\s*'[^'\n]+'\s*:\s*\[\s*[-+\d.n]/;
/** A `name:[values]` line: the name bare or quoted, the list on the same line. */
const LIST_LINE = /^\s*['"]?([A-Za-z_][\w/.-]*)['"]?\s*:\s*(\[[^\]]*\])\s*,?\s*$/;
/** The first line of a `name:[values]` text, whose list may run past the sniffed head. */
const OPENS_AS_LIST_LINE = /^\s*['"]?[A-Za-z_][\w/.-]*['"]?\s*:\s*\[\s*[-+\d.n]/;
/** A line that closes the dict and more text after it: a printed log that prints a history among its lines. */
const TEXT_AFTER_DICT = /\}[ \t]*\r?\n\s*\S/;
/** Python's repr of a non-finite float, outside a quoted name: read as the strings logNumber reads. */
const BARE_NON_FINITE = /(?<=[[,]\s*)(-?inf|nan)(?=\s*[\],])/g;

/**
 * Whether the head of a file opens as a printed history: a repr with nothing after it (the head may
 * end inside it), or `name:[values]` lines only (the head's last line may be cut short; a printed log with
 * one `loss: [0.52]` line or `{'loss': [...]}` dict among others is none).
 */
export function opensAsPrintedHistory(text: string): boolean {
  if (OPENS_AS_REPR.test(text)) return !TEXT_AFTER_DICT.test(text);
  const whole = text.split(/\r\n|\r|\n/).slice(0, -1);
  return OPENS_AS_LIST_LINE.test(text) && whole.every((line) => line.trim() === '' || LIST_LINE.test(line));
}

/** The printed history as JSON text, or null when the text is not one (JSON itself is left to JSON.parse). */
export function printedHistoryJson(text: string): string | null {
  if (OPENS_AS_REPR.test(text)) return quotedNonFinite(text.replace(/'/g, '"'));
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  const items = lines.map((line) => LIST_LINE.exec(line));
  if (items.length === 0 || items.some((item) => item === null)) return null;
  const entries = items.map((item) => `${JSON.stringify(item![1])}: ${item![2]}`);
  return quotedNonFinite(`{${entries.join(', ')}}`);
}

function quotedNonFinite(json: string): string {
  return json.replace(BARE_NON_FINITE, '"$1"');
}
