/**
 * TensorBoard's "download" of one scalar: CSV (`Wall time,Step,Value`) or JSON
 * (`[[wall time, step, value], ...]`). The file holds no name for its scalar; TensorBoard names the
 * download `run-<run>-tag-<tag>.<ext>`, so the tag (and the run) come from the file name through
 * the alias table: `tag-val_loss` or `tag-Loss_val` is the validation loss, `run-validation-tag-epoch_loss`
 * too (Keras' TensorBoard callback writes its runs `train` and `validation`).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../errors.js';
import { csvCells } from './csv-line.js';
import { keyMeaning, type KeyMeaning } from './log-keys.js';
import { logLines } from './log-lines.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { logNumber, logStep, type LogRow } from './log-row.js';
import { parsePythonJson } from './python-json.js';

const CSV_HEADER = 'Wall time,Step,Value';
const DOWNLOAD_NAME = /^run[-_](.*?)[-_]tag[-_](.+)\.(csv|json)$/i;
const HELD_OUT_RUN = /(^|[^a-z])(val|valid|validation|eval|test)([^a-z]|$)/i;

export const tensorBoardCsvReader: LogReader = {
  format: 'tensorboard-csv',
  sniff: ({ text }) => text.trimStart().startsWith(CSV_HEADER),
  read: async (file, shown) => {
    const points: Point[] = [];
    for await (const batch of logLines(file))
      for (const { line, text } of batch) {
        if (text === CSV_HEADER) continue;
        const cells = csvCells(text);
        if (cells.length !== 3)
          throw new DataError(`${shown}:${line}: row has ${cells.length} fields; expected ${CSV_HEADER}.`);
        points.push({ line, wallTime: cells[0], step: cells[1], value: cells[2] });
      }
    return exportRows(file, shown, points);
  },
};

export const tensorBoardJsonReader: LogReader = {
  format: 'tensorboard-json',
  sniff: ({ text }) => /^\s*\[\s*\[/.test(text),
  read: async (file, shown) => {
    const value = parsePythonJson(await readFile(file, 'utf8'));
    if (!Array.isArray(value)) throw new DataError(`${shown}: expected a list of [wall time, step, value].`);
    const points = value.map((entry: unknown, index) => {
      if (!Array.isArray(entry) || entry.length !== 3)
        throw new DataError(`${shown}: entry ${index + 1} is not [wall time, step, value].`);
      const [wallTime, step, scalar] = entry as unknown[];
      return { line: index + 1, wallTime, step, value: scalar } as Point;
    });
    return exportRows(file, shown, points);
  },
};

interface Point {
  line: number;
  wallTime: string | number | undefined;
  step: string | number | undefined;
  value: string | number | undefined;
}

function exportRows(file: string, shown: string, points: readonly Point[]): ReadLogResult {
  const { meaning, note } = scalarOf(file, shown);
  const rows = points.map(({ line, wallTime, step, value }): LogRow => {
    const where = `${shown}:${line}`;
    const number = logNumber(value, where, 'Value');
    if (number === undefined)
      throw new DataError(
        `${where}: Value is empty. Every row of a TensorBoard export needs a value (nan and inf are allowed).`,
      );
    return {
      line,
      step: logStep(step, where, 'Step'),
      ...(meaning.split === 'train' ? { loss: number } : { valLoss: number }),
      wallTime: logNumber(wallTime, where, 'Wall time'),
      variableGradNorms: {},
      updateRatios: {},
    };
  });
  return { rows, byEpoch: meaning.granularity === 'epoch', notes: [note] };
}

/** Which loss the file holds, from its download name; a file renamed without its tag is read as the training loss. */
function scalarOf(file: string, shown: string): { meaning: KeyMeaning; note: string } {
  const match = DOWNLOAD_NAME.exec(path.basename(file));
  if (match === null) return renamedScalarOf(path.basename(file));
  const [, run, tag] = match as unknown as [string, string, string];
  const meaning = keyMeaning(tag);
  if (meaning === null || meaning.quantity !== 'loss')
    throw new DataError(
      `${shown}: the export's tag "${tag}" is not a loss. Download the loss scalar (a tag such as loss, epoch_loss, train/loss or val_loss).`,
    );
  const heldOut = meaning.split !== 'train' || HELD_OUT_RUN.test(run);
  return {
    meaning: { ...meaning, split: heldOut ? 'validation' : 'train' },
    note: `tag "${tag}"${run === '' || run === '.' ? '' : ` of run "${run}"`} read as the ${heldOut ? 'validation' : 'training'} loss`,
  };
}

/**
 * A download renamed without its run and tag: the name may still say which loss it is
 * (`val_loss.csv`, `validation.csv`). A validation loss read as the training loss would be judged
 * by the wrong rules; a name that says nothing is read as the training loss, with a note.
 */
function renamedScalarOf(name: string): { meaning: KeyMeaning; note: string } {
  const stem = name.replace(/\.(csv|json)$/i, '');
  const meaning = keyMeaning(stem);
  const heldOut = (meaning?.quantity === 'loss' && meaning.split !== 'train') || HELD_OUT_RUN.test(stem);
  return {
    meaning: { quantity: 'loss', split: heldOut ? 'validation' : 'train', granularity: 'run' },
    note: heldOut
      ? `the file name "${name}" says validation: read as the validation loss`
      : 'the file name carries no tag (TensorBoard names a download run-<run>-tag-<tag>.csv): read as the training loss',
  };
}
