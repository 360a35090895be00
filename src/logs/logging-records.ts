/**
 * JSON Lines of logging records, whose numbers are inside a message string: Python's `logging` with a
 * JSON formatter (python-json-logger's `{"asctime": ..., "levelname": ..., "message": ...}`; bench
 * log 605, `{"timestamp", "level", "message": "Epoch : 1\t Loss : 0.001074"}`), and the structured
 * loggers that name it `msg` (Go's log/slog, zap, pino, bunyan). No key of such a record names a
 * loss, so the JSON Lines reader finds none; each record's message is read as a printed line
 * (printed-log.ts), at the record's line of the file.
 */
import { isPlainObject } from '../util/plain-object.js';
import { flattenRecord } from './flatten-record.js';
import { parseOrUndefined } from './jsonl-log.js';
import { keyMeaning } from './log-keys.js';
import { logLines, type LogLine } from './log-lines.js';
import type { LogReader } from './log-reader.js';
import { printsLossLines, readPrintedLines } from './printed-log.js';

/** The keys that hold a logging record's text: python-json-logger's, then slog's, zap's, pino's and bunyan's. */
const MESSAGE_KEYS = ['message', 'msg'];

export const loggingRecordsReader: LogReader = {
  format: 'printed',
  sniff: ({ text }) => {
    const lines = text.split(/\r\n|\r|\n/);
    const first = recordOf(lines.find((line) => line.trim() !== '') ?? '');
    if (first === undefined || messageOf(first) === undefined || holdsLoss(first)) return false;
    return printsLossLines(lines.map((line) => messageOf(recordOf(line)) ?? ''));
  },
  read: (file, shown) =>
    readPrintedLines(
      messageLines(file),
      shown,
      'JSON Lines of logging records: each record\'s "message" (or "msg") read as a printed line',
    ),
};

function recordOf(line: string): Record<string, unknown> | undefined {
  const value = parseOrUndefined(line.trim());
  return isPlainObject(value) ? value : undefined;
}

function messageOf(record: Record<string, unknown> | undefined): string | undefined {
  const key = MESSAGE_KEYS.find((name) => typeof record?.[name] === 'string');
  return key === undefined ? undefined : (record![key] as string);
}

/** Whether the record names a loss among its keys: a JSON Lines log, which a message beside it does not change. */
function holdsLoss(record: Record<string, unknown>): boolean {
  return Object.keys(flattenRecord(record)).some((name) => keyMeaning(name)?.quantity === 'loss');
}

/** The messages of the file's records, a message of several lines as several, numbered by their record's line. */
async function* messageLines(file: string): AsyncGenerator<LogLine[], void, undefined> {
  for await (const batch of logLines(file))
    yield batch.flatMap(({ line, text }) =>
      (messageOf(recordOf(text)) ?? '')
        .split(/\r?\n|\r/)
        .map((part) => ({ line, text: part.trim() }))
        .filter((part) => part.text !== ''),
    );
}
