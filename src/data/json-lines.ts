/**
 * JSON Lines data files, streamed: one JSON object per line. Lines end as node:readline ends them
 * (\n, \r\n or \r); a byte-order mark and blank lines are passed over; each line is parsed alone,
 * so that an error names its file and line. Training logs are not read here: src/logs/jsonl-log.ts
 * reads a log whole (it is sniffed, re-read as it grows under --follow, and split into segments) and
 * accepts Python's bare NaN and Infinity, which in a data file are an error, not a loss to judge.
 */
import type { Readable } from 'node:stream';
import { createInterface } from 'node:readline';
import { DataError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';

export const JSON_LINES_EXTENSIONS: ReadonlySet<string> = new Set(['.jsonl', '.ndjson']);

export interface JsonLine {
  /** 1-based, blank lines counted. */
  line: number;
  object: Record<string, unknown>;
}

/** How messages describe a line of this kind of file. */
export interface JsonLineHints {
  /** Ends the message on a line that is not valid JSON. */
  notJson: string;
  /** An object of the kind the file holds, for the message on a line that holds another JSON value. */
  example: string;
}

/** The objects of `input` in order; `shownFile` names the file in messages. Stopping early closes the reader. */
export async function* jsonLines(
  input: Readable,
  shownFile: string,
  hints: JsonLineHints,
): AsyncGenerator<JsonLine, void, undefined> {
  const reader = createInterface({ input, crlfDelay: Infinity });
  try {
    let line = 0;
    for await (const text of reader) {
      line++;
      // trim() removes a byte-order mark too: it is white space to JavaScript.
      const source = text.trim();
      if (source !== '') yield { line, object: parseObject(source, `${shownFile}:${line}`, hints) };
    }
  } finally {
    reader.close();
  }
}

function parseObject(source: string, where: string, hints: JsonLineHints): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(source);
  } catch (error) {
    throw new DataError(`${where}: not valid JSON (${(error as Error).message}). ${hints.notJson}`);
  }
  if (!isPlainObject(value))
    throw new DataError(`${where}: expected a JSON object such as ${hints.example} on each line.`);
  return value;
}
