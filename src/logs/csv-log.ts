/**
 * CSV logs with named columns, read through the alias table: Keras' CSVLogger (`epoch,loss,...`,
 * any line ending, append=True runs), Lightning's CSVLogger `metrics.csv` (`epoch,step,...`, rows
 * that fill only some columns), and histories saved by pandas or written by hand (an unnamed index
 * column or none; `train_`/`val_`/`valid_`/`test_` prefixes), any of them saved again with `;`
 * between cells and decimal commas (decimal-commas.ts). Streamed line by line.
 */
import path from 'node:path';
import { DataError } from '../errors.js';
import { csvCells, csvDelimiter } from './csv-line.js';
import { CsvLineCells } from './csv-line-cells.js';
import { LossVariation } from './constant-loss.js';
import { judgeEpochLoss } from './epoch-loss.js';
import { columnsRow, hasLoss, logColumns, tagNote, type LogColumns } from './log-columns.js';
import { logLines } from './log-lines.js';
import { lossFileHeader } from './loss-file-columns.js';
import { MalformedRows } from './malformed-rows.js';
import { stepsOfFractionalEpochs } from './fractional-epochs.js';
import { stepsAcrossEpochs } from './steps-across-epochs.js';
import type { LogReader, LogSample, ReadLogResult } from './log-reader.js';
import type { LogRow } from './log-row.js';

function firstLineOf(sample: LogSample): string {
  return sample.text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
}

/** The first line's cells, when the sample looks like CSV (a comma, or a one-column log). */
export function headerOf(sample: LogSample): string[] {
  return csvCells(firstLineOf(sample));
}

/** The first line's cells split on the delimiter it shows (csvDelimiter): the header of a CSV log. */
function csvLogHeader(sample: LogSample): string[] {
  const first = firstLineOf(sample);
  return csvCells(first, csvDelimiter(first));
}

function isLogHeader(cells: readonly string[]): boolean {
  return hasLoss(logColumns(cells));
}

export const kerasCsvReader: LogReader = {
  format: 'keras-csv',
  takesTag: true,
  sniff: (sample) => {
    const header = csvLogHeader(sample);
    return header[0] === 'epoch' && !header.includes('step') && isLogHeader(header);
  },
  read: (file, shown, options) => readCsvLog(file, shown, options.tag),
};

export const lightningCsvReader: LogReader = {
  format: 'lightning-csv',
  takesTag: true,
  findIn: /^metrics\.csv$/,
  sniff: (sample) => {
    const header = csvLogHeader(sample);
    return header.includes('step') && header.includes('epoch') && isLogHeader(header);
  },
  read: (file, shown, options) => readCsvLog(file, shown, options.tag),
};

export const historyCsvReader: LogReader = {
  format: 'history-csv',
  takesTag: true,
  sniff: (sample) => isLogHeader(csvLogHeader(sample)),
  read: (file, shown, options) => readCsvLog(file, shown, options.tag),
};

/**
 * A CSV whose header names no loss but whose file name says it holds losses (loss-file-columns.ts):
 * after every reader of a header that names its columns.
 */
export const lossFileCsvReader: LogReader = {
  format: 'history-csv',
  takesTag: true,
  sniff: (sample) => lossFileHeader(sample.name, csvLogHeader(sample)) !== undefined,
  read: (file, shown, options) => readCsvLog(file, shown, options.tag, true),
};

/**
 * The rows of a CSV log. `tag`: the loss column the user named (`--tag`). A loss column that holds
 * one value on every line while another varies is read again through that other (constant-loss.ts).
 */
async function readCsvLog(file: string, shown: string, tag?: string, asLosses = false): Promise<ReadLogResult> {
  const read = await readCsvColumns(file, shown, tag, asLosses);
  if (tag !== undefined) return { ...read.result, notes: [tagNote(tag), ...read.result.notes] };
  const instead = read.instead();
  if (instead === undefined) return read.result;
  const again = await readCsvColumns(file, shown, instead.loss, asLosses);
  return { ...again.result, notes: [instead.note, ...again.result.notes] };
}

async function readCsvColumns(
  file: string,
  shown: string,
  chosenLoss?: string,
  asLosses = false,
): Promise<{ result: ReadLogResult; instead: () => ReturnType<LossVariation['instead']> }> {
  let header: CsvHeader | undefined;
  let ordinal = 0;
  const rows: LogRow[] = [];
  // The epoch on each row's line, when a step column stands beside it (steps-across-epochs.ts).
  const epochs: (number | undefined)[] = [];
  const malformed = new MalformedRows(shown);
  const variation = new LossVariation();
  const lineCells = new CsvLineCells();
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      if (text === header?.text) continue;
      if (header === undefined) {
        header = csvHeader(lineCells.header(text), text, { file, shown, chosenLoss, asLosses });
        if (!header.firstIsRow) continue;
      }
      const { columns, columnIndex, names } = header;
      const where = `${shown}:${line}`;
      const cells = lineCells.row(text, where);
      if (!malformed.fits(cells.length, names.length, line)) continue;
      const cell = (name: string) => cells[columnIndex.get(name)!];
      const row = columnsRow(columns, cell, where, line, header.indexColumn ? stepOfIndex(cells[0], where) : ordinal);
      ordinal++;
      for (const name of header.watched) variation.see(name, cell(name));
      if (row !== null) rows.push(row);
      if (row !== null && columns.epoch !== undefined) epochs.push(epochOf(cell(columns.epoch)));
    }
  const columns = header?.columns;
  const lineNotes = [...(header?.notes ?? []), ...lineCells.notes()];
  const result = csvResult(rejectTestEvaluation(columns, rows, shown), epochs, columns, malformed, lineNotes);
  const watched = header?.watched ?? [];
  return {
    result,
    instead: () =>
      columns?.loss === undefined || watched.length === 0
        ? undefined
        : variation.instead([columns.loss], columns.lossAlternatives),
  };
}

/** A CSV log's first line, read as its header. */
interface CsvHeader {
  names: string[];
  /** The line as written: an appended run that wrote it again is passed over, the steps going back start its segment. Undefined when it was a row. */
  text: string | undefined;
  columns: LogColumns;
  columnIndex: Map<string, number>;
  /** pandas' `to_csv` writes the index as a first column with an empty name: the epoch. */
  indexColumn: boolean;
  /** The loss columns whose variation is watched (constant-loss.ts). */
  watched: string[];
  /** The first line holds values: a headerless file (loss-file-columns.ts). */
  firstIsRow: boolean;
  notes: string[];
}

interface HeaderContext {
  file: string;
  shown: string;
  chosenLoss: string | undefined;
  /** The file's name may say its columns are losses (loss-file-columns.ts). */
  asLosses: boolean;
}

function csvHeader(cells: string[], text: string, { file, shown, chosenLoss, asLosses }: HeaderContext): CsvHeader {
  const losses = asLosses ? lossFileHeader(path.basename(file), cells) : undefined;
  const names = losses?.names ?? cells;
  const chosen = chosenLoss ?? losses?.loss;
  const columns = logColumns(names, chosen);
  if (chosen !== undefined && !names.includes(chosen)) throw noColumn(shown, chosen, names);
  return {
    names,
    text: losses?.firstIsRow === true ? undefined : text,
    columns,
    columnIndex: new Map(names.map((name, index) => [name, index])),
    indexColumn: columns.step === undefined && names[0] === '',
    watched: LossVariation.watches(columns.loss, columns.lossAlternatives)
      ? [columns.loss!, ...columns.lossAlternatives]
      : [],
    firstIsRow: losses?.firstIsRow === true,
    notes: losses === undefined ? [] : [losses.note],
  };
}

/**
 * A test loss logged once, with no training and no validation loss: a test run's result, as
 * Lightning's `trainer.test()` writes it to a `metrics.csv` of its own (`epoch,test_loss,test_acc,step`
 * and one row, bench log 11), not a training log. A `test_` loss logged over steps is still read as
 * the validation loss (log-columns.ts): a loop may name its held-out split so.
 */
function rejectTestEvaluation(columns: LogColumns | undefined, rows: LogRow[], shown: string): LogRow[] {
  if (columns === undefined || columns.loss !== undefined || !columns.heldOutIsTest || rows.length !== 1) return rows;
  throw new DataError(
    `${shown}:${rows[0]!.line}: not a training log: one test evaluation (${columns.valLoss} on one row, no training or validation loss), as Lightning's trainer.test() writes; expected a training loss, or a held-out loss over more than one step.`,
  );
}

/** `--tag` named a column the header does not have: the columns it has. */
function noColumn(shown: string, tag: string, header: readonly string[]): DataError {
  return new DataError(
    `${shown}: no column "${tag}" (columns: ${header.map((name) => JSON.stringify(name)).join(', ')}). Pass --tag <name> with the training loss column.`,
  );
}

/** The rows to judge and the notes on them, once the whole file is read (`epochsRead`: each row's epoch cell). */
function csvResult(
  read: LogRow[],
  epochsRead: readonly (number | undefined)[],
  columns: LogColumns | undefined,
  malformed: MalformedRows,
  lineNotes: string[],
): ReadLogResult {
  const malformedNotes = [...malformed.notes(read.length), ...lineNotes];
  const across =
    columns?.step !== undefined && columns.epoch !== undefined
      ? stepsAcrossEpochs(read, epochsRead, columns.step, columns.epoch)
      : { rows: read, notes: [] };
  const readerNotes = [...malformedNotes, ...across.notes];
  const epochs = stepsOfFractionalEpochs(across.rows, columns?.step);
  const rows = epochs.rows;
  const notes = [...readerNotes, ...epochs.notes];
  const byEpoch = !epochs.renumbered && (columns?.byEpoch !== false || columns.step === undefined);
  if (columns?.loss === undefined) return { rows, byEpoch, notes: [...notes, ...(columns?.notes ?? [])] };
  const { loss, stepLoss } = columns;
  if (stepLoss === undefined) return { rows, byEpoch, notes: [...notes, ...columns.notes], lossColumn: loss };
  const judged = judgeEpochLoss(rows, loss, stepLoss, !byEpoch);
  return {
    rows: judged.rows,
    byEpoch,
    epochMeans: judged.perEpoch,
    notes: [...judged.notes, ...notes, ...columns.notes],
    lossColumn: judged.perEpoch ? loss : stepLoss,
  };
}

function stepOfIndex(cell: string | undefined, where: string): number {
  const value = Number(cell);
  if (cell === '' || !Number.isInteger(value) || value < 0)
    throw new DataError(
      `${where}: the index column holds ${JSON.stringify(cell)}; expected the epoch, a whole number.`,
    );
  return value;
}

/** An epoch cell as a number; undefined when the line leaves it empty or it is not a number. */
function epochOf(cell: string | undefined): number | undefined {
  const value = cell === undefined || cell.trim() === '' ? Number.NaN : Number(cell);
  return Number.isFinite(value) ? value : undefined;
}
