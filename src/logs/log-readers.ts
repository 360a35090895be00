/**
 * Every log format analyze reads, in the order their sniffs are tried: the most specific first
 * (a TensorBoard export's fixed header before any CSV with a loss column; trainer_state.json
 * before JSON Lines). A new format is one more entry here and its name in LOG_FORMATS.
 */
import { historyCsvReader, kerasCsvReader, lightningCsvReader } from './csv-log.js';
import { jsonlReader } from './jsonl-log.js';
import type { LogReader } from './log-reader.js';
import { tensorBoardCsvReader, tensorBoardJsonReader } from './tensorboard-export.js';
import { trainerStateReader } from './trainer-state.js';

export const LOG_READERS: readonly LogReader[] = [
  tensorBoardCsvReader,
  tensorBoardJsonReader,
  trainerStateReader,
  jsonlReader,
  lightningCsvReader,
  kerasCsvReader,
  historyCsvReader,
];
