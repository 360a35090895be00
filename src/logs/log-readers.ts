/**
 * Every log format analyze reads, in the order their sniffs are tried: the most specific first
 * (a TensorBoard export's fixed header before any CSV with a loss column; trainer_state.json
 * before JSON Lines). A new format is one more entry here and its name in LOG_FORMATS.
 */
import { historyCsvReader, kerasCsvReader, lightningCsvReader, lossFileCsvReader } from './csv-log.js';
import { historyJsonReader } from './history-json.js';
import { jsonlReader } from './jsonl-log.js';
import { loggingRecordsReader } from './logging-records.js';
import { longCsvReader } from './long-csv.js';
import { printedLogReader } from './printed-log.js';
import { printedTableReader } from './printed-table.js';
import type { LogReader } from './log-reader.js';
import { tensorBoardCsvReader, tensorBoardJsonReader } from './tensorboard-export.js';
import { tfEventsReader } from './tfevents-log.js';
import { torchRecordingReader } from './torch-recording.js';
import { trainerStateReader } from './trainer-state.js';

export const LOG_READERS: readonly LogReader[] = [
  // Binary: its framing checksum cannot pass on a text file.
  tfEventsReader,
  tensorBoardCsvReader,
  tensorBoardJsonReader,
  trainerStateReader,
  // An object whose first value is a list: a JSON Lines record's first value is a scalar.
  historyJsonReader,
  // Its first line is a JSON object too: before the plain JSON Lines reader.
  torchRecordingReader,
  // JSON Lines whose records name no loss but print one in their message: before the JSON Lines reader.
  loggingRecordsReader,
  jsonlReader,
  lightningCsvReader,
  kerasCsvReader,
  historyCsvReader,
  // Its header names no loss (the metric column does): after every CSV whose header does.
  longCsvReader,
  // Its header names no loss either: the file's name says its columns are losses.
  lossFileCsvReader,
  // Lines of `name: value` pairs: last, so that any CSV or JSON with a loss column is read as such.
  printedLogReader,
  // A header line then rows of numbers: no pair on a line, so after the printed lines of pairs.
  printedTableReader,
];
