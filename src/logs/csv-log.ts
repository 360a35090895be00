/**
 * CSV logs with named columns, read through the alias table: Keras' CSVLogger (`epoch,loss,...`,
 * any line ending, append=True runs), Lightning's CSVLogger `metrics.csv` (`epoch,step,...`, rows
 * that fill only some columns), and histories saved by pandas or written by hand (an unnamed index
 * column or none; `train_`/`val_`/`valid_`/`test_` prefixes), any of them saved again with `;`
 * between cells and decimal commas (decimal-commas.ts). Streamed line by line.
 */
import { DataError } from '../errors.js';
import { csvCells, csvDelimiter } from './csv-line.js';
import { CsvLineCells } from './csv-line-cells.js';
import { LossVariation } from './constant-loss.js';
import { judgeEpochLoss } from './epoch-loss.js';
import { columnsRow, hasLoss, logColumns, tagNote, type LogColumns } from './log-columns.js';
import { logLines } from './log-lines.js';
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
 * The rows of a CSV log. `tag`: the loss column the user named (`--tag`). A loss column that holds
 * one value on every line while another varies is read again through that other (constant-loss.ts).
 */
async function readCsvLog(file: string, shown: string, tag?: string): Promise<ReadLogResult> {
  const read = await readCsvColumns(file, shown, tag);
  if (tag !== undefined) return { ...read.result, notes: [tagNote(tag), ...read.result.notes] };
  const instead = read.instead();
  if (instead === undefined) return read.result;
  const again = await readCsvColumns(file, shown, instead.loss);
  return { ...again.result, notes: [instead.note, ...again.result.notes] };
}

async function readCsvColumns(
  file: string,
  shown: string,
  chosenLoss?: string,
): Promise<{ result: ReadLogResult; instead: () => ReturnType<LossVariation['instead']> }> {
  let header: string[] | undefined;
  // An appended run that wrote its header again: the line is passed over, the steps going back start its segment.
  let headerText: string | undefined;
  let columns: LogColumns | undefined;
  let columnIndex = new Map<string, number>();
  let indexColumn = false;
  let ordinal = 0;
  const rows: LogRow[] = [];
  // The epoch on each row's line, when a step column stands beside it (steps-across-epochs.ts).
  const epochs: (number | undefined)[] = [];
  const malformed = new MalformedRows(shown);
  const variation = new LossVariation();
  let watched: string[] = [];
  const lineCells = new CsvLineCells();
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      if (text === headerText) continue;
      if (header === undefined) {
        header = lineCells.header(text);
        headerText = text;
        columns = logColumns(header, chosenLoss);
        if (chosenLoss !== undefined && !header.includes(chosenLoss)) throw noColumn(shown, chosenLoss, header);
        watched = LossVariation.watches(columns.loss, columns.lossAlternatives)
          ? [columns.loss!, ...columns.lossAlternatives]
          : [];
        columnIndex = new Map(header.map((name, index) => [name, index]));
        // pandas' `to_csv` writes the index as a first column with an empty name: the epoch.
        indexColumn = columns.step === undefined && header[0] === '';
        continue;
      }
      const where = `${shown}:${line}`;
      const cells = lineCells.row(text, where);
      if (!malformed.fits(cells.length, header.length, line)) continue;
      const cell = (name: string) => cells[columnIndex.get(name)!];
      const row = columnsRow(columns!, cell, where, line, indexColumn ? stepOfIndex(cells[0], where) : ordinal);
      ordinal++;
      for (const name of watched) variation.see(name, cell(name));
      if (row !== null) rows.push(row);
      if (row !== null && columns!.epoch !== undefined) epochs.push(epochOf(cell(columns!.epoch)));
    }
  const result = csvResult(rejectTestEvaluation(columns, rows, shown), epochs, columns, malformed, lineCells.notes());
  const loss = columns?.loss;
  return {
    result,
    instead: () =>
      loss === undefined || watched.length === 0 ? undefined : variation.instead([loss], columns!.lossAlternatives),
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
