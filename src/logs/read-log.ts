/**
 * Reads a training log of any supported format, by content: each reader of log-readers.ts sniffs
 * the file's first bytes (and name), the first that recognizes it reads it. A directory argument
 * is searched for its log first (find-log-file.ts).
 */
import { open, stat } from 'node:fs/promises';
import path from 'node:path';
import { DataError, UsageError } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import { findLogFile, runFiles } from './find-log-file.js';
import { encodingOf } from './log-encoding.js';
import type { LogFormat, LogReader, LogSample, ReadLogResult, ReadOptions } from './log-reader.js';
import { LOG_READERS } from './log-readers.js';

export interface TrainingLog extends ReadLogResult {
  /** The file as users should see it in messages. */
  file: string;
  format: LogFormat;
}

/**
 * Enough of a file to see its header, its first JSON line or its binary framing, and a printed
 * log's first epochs after its setup: tqdm's redrawn progress bars fill 100 KB before the first
 * loss line in bench log 310 (a 70 KB bar of model loading, a 31 KB bar of the training steps).
 */
const SAMPLE_BYTES = 256 * 1024;
const EXPECTED =
  'expected a Keras CSVLogger or Lightning metrics.csv (a header with a loss column: loss, train_loss, val_loss, ...), ' +
  'a HuggingFace trainer_state.json, JSON Lines of {"step" or "epoch", "loss", ...}, a Keras history as JSON ({"loss": [...], ...}), a TensorBoard scalar export (Wall time,Step,Value), ' +
  'a TensorBoard event file (events.out.tfevents.*) or printed lines such as "Epoch 3/80  Train Loss: 2.37  Val Loss: 2.19"';

export async function readLog(
  file: string,
  options: ReadOptions = {},
  readers: readonly LogReader[] = LOG_READERS,
): Promise<TrainingLog> {
  const directory = await isDirectory(file);
  const logFile = directory ? await findLogFile(file, displayPath(file), readers) : file;
  const shown = displayPath(logFile);
  const sample = await sampleOf(logFile, shown);
  const reader = readers.find((candidate) => candidate.sniff(sample));
  if (reader === undefined) throw new DataError(`${shown}:${firstLine(sample)}: not a training log: ${EXPECTED}.`);
  if (options.tag !== undefined && reader.takesTag !== true)
    throw new UsageError(
      `--tag names the loss column of a CSV or JSON Lines log or the loss tag of a TensorBoard event file; ${shown} is a ${reader.format} log, whose loss is found by name. Drop --tag.`,
    );
  if (directory && reader.readRun !== undefined) {
    const run = await runFiles(file, logFile, reader);
    return {
      file: displayPath(file),
      format: reader.format,
      ...(await reader.readRun(run, displayPath(file), options)),
    };
  }
  return { file: shown, format: reader.format, ...(await reader.read(logFile, shown, options)) };
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch (error) {
    throw new DataError(`${displayPath(file)}: cannot read the log (${errorCode(error)}). Check the path.`);
  }
}

async function sampleOf(file: string, shown: string): Promise<LogSample> {
  try {
    const handle = await open(file);
    try {
      const buffer = Buffer.alloc(SAMPLE_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, SAMPLE_BYTES, 0);
      const head = buffer.subarray(0, bytesRead);
      return { name: path.basename(file), head, text: head.toString(encodingOf(head)).replace(/^\uFEFF/, '') };
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new DataError(`${shown}: cannot read the log (${errorCode(error)}). Check the path.`);
  }
}

/** The line the sniffs rejected: the first that is not blank, counted as log-lines.ts counts lines. */
function firstLine(sample: LogSample): number {
  const lines = sample.text.split(/\r*\n|\r/);
  const index = lines.findIndex((line) => line.trim() !== '');
  return index < 0 ? 1 : index + 1;
}
