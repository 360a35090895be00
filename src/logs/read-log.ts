/**
 * Reads a training log of any supported format: the extension says JSON Lines or CSV, the header
 * says which CSV (a TensorBoard export or a Keras-style log). Logs are small (a row per epoch or
 * step), so the file is read whole.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../errors.js';
import { JSON_LINES_EXTENSIONS } from '../data/json-lines.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import { csvRecords } from './csv-records.js';
import { jsonlRows } from './jsonl-log.js';
import { isKerasHeader, kerasRows } from './keras-csv.js';
import type { LogRow } from './log-row.js';
import { isTensorBoardHeader, tensorBoardRows } from './tensorboard-csv.js';

export type LogFormat = 'keras-csv' | 'jsonl' | 'tensorboard-csv';

export interface TrainingLog {
  /** The file as users should see it in messages. */
  file: string;
  format: LogFormat;
  rows: LogRow[];
}

/** Keras' own example names its CSVLogger file `training.log`. */
const CSV_EXTENSIONS = new Set(['.csv', '.log', '.txt']);

export async function readLog(file: string): Promise<TrainingLog> {
  const shown = displayPath(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataError(`${shown}: cannot read the log (${errorCode(error)}). Check the path.`);
  }
  const extension = path.extname(file).toLowerCase();
  if (
    JSON_LINES_EXTENSIONS.has(extension) ||
    // trimStart() passes over a byte-order mark too.
    (!CSV_EXTENSIONS.has(extension) && text.trimStart().startsWith('{'))
  ) {
    return { file: shown, format: 'jsonl', rows: await jsonlRows(shown, text) };
  }
  const { header, rows } = csvRecords(shown, text);
  if (isTensorBoardHeader(header.cells))
    return { file: shown, format: 'tensorboard-csv', rows: tensorBoardRows(shown, header, rows) };
  if (isKerasHeader(header.cells)) return { file: shown, format: 'keras-csv', rows: kerasRows(shown, header, rows) };
  throw new DataError(
    `${shown}:${header.line}: not a training log: expected a Keras CSVLogger header (epoch,loss,...), a TensorBoard scalar export (Wall time,Step,Value) ` +
      'or JSON Lines of {"step" or "epoch", "loss", ...}.',
  );
}
