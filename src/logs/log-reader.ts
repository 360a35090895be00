/**
 * What a log reader is: a content sniff and a parse. read-log.ts tries the readers of log-readers.ts
 * in order on the file's first bytes and name, so a new format is one more reader in that list.
 */
import type { LayerSummary } from '../trace/trace.js';
import type { LogRow } from './log-row.js';

/** Every format analyze reads, as the report's `log.format` names it. */
export const LOG_FORMATS = [
  'keras-csv',
  'lightning-csv',
  'history-csv',
  'jsonl',
  'history-json',
  'hf-trainer-state',
  'tensorboard-csv',
  'tensorboard-json',
  'tensorboard-events',
  'convdoc-torch',
  'printed',
] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** What a reader sees to decide whether a file is its format. */
export interface LogSample {
  /** The file's base name (`metrics.csv`, `run-train-tag-epoch_loss.csv`). */
  name: string;
  /** Its first bytes (up to 64 KiB): binary formats read these, text formats `text`. */
  head: Buffer;
  /** The head as UTF-8 without a byte-order mark, for text formats. */
  text: string;
}

export interface ReadLogResult {
  rows: LogRow[];
  /** The rows count epochs, not optimizer steps. */
  byEpoch: boolean;
  /**
   * The training loss is each epoch's mean (epoch-loss.ts: Lightning's `train_loss_epoch`), one value
   * per epoch, though the rows may count steps: the run spans as many epochs as it has losses.
   */
  epochMeans?: boolean;
  /** How the reader took what the file says, when a reader should know (`test_loss read as the validation loss`). */
  notes: string[];
  /** The column, key or tag read as the training loss (several, comma-separated, when the lines of a JSON log differ). */
  lossColumn?: string;
  /** The model's layers, when the log names them (a convdoc_torch recording): module paths, types, activations. */
  layers?: LayerSummary[];
}

/** What the user chose about reading the log. */
export interface ReadOptions {
  /** `--tag`: the scalar tag or column to read as the training loss (formats with `takesTag`). */
  tag?: string;
}

/** One file of a run that spans several (TensorBoard), and the run folder it belongs to ('' for the run's own). */
export interface RunFile {
  file: string;
  run: string;
}

export interface LogReader {
  format: LogFormat;
  /** Names a directory argument looks for (`metrics.csv`); without it, only files named on the command line. */
  findIn?: RegExp;
  sniff(sample: LogSample): boolean;
  /** Whether `--tag` chooses among the log's series (TensorBoard's tags, the columns of a CSV or JSON Lines log). */
  takesTag?: boolean;
  /** `shown` is the file as messages name it. Bad content throws a DataError at its line. */
  read(file: string, shown: string, options: ReadOptions): Promise<ReadLogResult>;
  /** For a directory argument, when the format's run spans several files: all of them, in reading order. */
  readRun?(files: readonly RunFile[], shown: string, options: ReadOptions): Promise<ReadLogResult>;
}
