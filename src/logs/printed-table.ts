/**
 * A table a training script printed: a header line of column names, then a line of values per
 * epoch under it. fastai's Learner prints one for every `fit` in a terminal (`epoch     train_loss
 * valid_loss  accuracy  time`, then `0         1.102223    0.367693    0.916667  00:00`: its
 * ProgressCallback's text output, seen in many public READMEs and logs), and hand-written loops
 * print the same with `|` between the columns (`epoch | tr_loss | tr_acc | va_loss | ...`, then
 * `    1 |   1.540 |  47.36 |   1.638 | ...`, held-out log 634) or as a Markdown table. The names go
 * through the alias table as a CSV header's do; a line that does not fit the header (a rule of
 * dashes, a message, a progress bar) is passed over, and a header printed again (fastai's
 * `fine_tune` prints one per phase) starts a new table whose epochs go back: a new segment
 * (log-segments.ts). Only a header with an epoch or step column: without one a line of names then
 * numbers is too weak a sign (a confusion matrix, a data summary).
 */
import { DataError } from '../errors.js';
import { isNumberText } from './config-fields.js';
import { ObjectRows } from './jsonl-log.js';
import { hasLoss, logColumns } from './log-columns.js';
import { logLines } from './log-lines.js';
import type { LogReader, ReadLogResult } from './log-reader.js';

/** Columns printed apart: a `|`, a tab, or two spaces or more (fastai pads its columns with spaces). */
const PIPE = '|';
const SPACED = /\t|\s{2,}/;
/** The fewest columns a table has: its epoch and a loss. */
const MIN_COLUMNS = 2;

/** A line's cells: split on `|` when it holds one (a Markdown row's outer bars dropped), else on wide spaces or tabs. */
export function tableCells(line: string): string[] {
  const text = line.trim();
  if (text.includes(PIPE))
    return text
      .replace(/^\|/, '')
      .replace(/\|$/, '')
      .split(PIPE)
      .map((cell) => cell.trim());
  return text.split(SPACED).map((cell) => cell.trim());
}

/** Whether a line's cells are a table's header: names only, an epoch or step among them, and a loss. */
export function isTableHeader(cells: readonly string[]): boolean {
  if (cells.length < MIN_COLUMNS || cells.some((cell) => cell === '' || isNumberText(cell))) return false;
  const columns = logColumns(cells);
  return columns.step !== undefined && hasLoss(columns);
}

export const printedTableReader: LogReader = {
  format: 'printed',
  sniff: ({ text }) => {
    const lines = text.split(/\r\n|\r|\n/);
    return lines.some((line, index) => isTableHeader(tableCells(line)) && fitsUnder(lines, index));
  },
  read: readPrintedTable,
};

/** A rule under a header: dashes, and the bars, colons and pluses of a Markdown or box table. */
const RULE = /^[\s|:+=-]*$/;

/** Whether the first line after the header at `index`, past a rule, is a row of it. */
function fitsUnder(lines: readonly string[], index: number): boolean {
  const next = lines.slice(index + 1, index + 3).find((line) => !RULE.test(line));
  return next !== undefined && isRowOf(tableCells(lines[index]!), tableCells(next));
}

/** Whether a line's cells are a row under the header: as many, the first (its epoch or step) a number. */
function isRowOf(header: readonly string[], cells: readonly string[]): boolean {
  return cells.length === header.length && isNumberText(cells[0]!);
}

async function readPrintedTable(file: string, shown: string): Promise<ReadLogResult> {
  const objects = new ObjectRows();
  let header: string[] | undefined;
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      const cells = tableCells(text);
      if (isTableHeader(cells)) header = cells;
      else if (header !== undefined && isRowOf(header, cells))
        objects.row(tableRecord(header, cells), `${shown}:${line}`, line);
    }
  if (objects.rows.length === 0)
    throw new DataError(`${shown}: no row of its table holds a loss; expected a row of numbers under its header.`);
  const result = objects.result();
  return { ...result, notes: ['a printed table read: one record per row under its header', ...result.notes] };
}

/** A row's numbers under their column names; a cell that is no number (`00:42`, `#na#`) is left out. */
function tableRecord(header: readonly string[], cells: readonly string[]): Record<string, string> {
  const record: Record<string, string> = {};
  header.forEach((name, index) => {
    if (isNumberText(cells[index]!)) record[name] = cells[index]!;
  });
  return record;
}
