/**
 * Streams a data file as a header and rows of cells: CSV or TSV through csv-parse (streaming, no
 * `cast` callback, which is 8x slower), or JSON Lines. Line numbers are not tracked on the hot path;
 * `lineOfRow` finds one by reading the file again, which only error messages need.
 */
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import type { CsvError } from 'csv-parse';
import { DataError } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';
import type { Cell } from './cell.js';
import { JSON_LINES_EXTENSIONS, jsonLines, type JsonLineHints } from './json-lines.js';
import { plainRecords } from './plain-lines.js';

/** The data file is missing or unreadable: the loader of a config adds the key that names it. */
export class UnreadableDataError extends DataError {
  override name = 'UnreadableDataError';
}

export interface Table {
  header: string[];
  /** The data rows in file order, each with one cell per header column; the file closes when they stop. */
  rows: AsyncIterable<Cell[]>;
  /** Closes the file without reading the rows. */
  close(): void;
}

const DELIMITERS: Record<string, string> = { '.csv': ',', '.tsv': '\t', '.tab': '\t', '.txt': ',' };
const SUPPORTED_EXTENSIONS = [...Object.keys(DELIMITERS), ...JSON_LINES_EXTENSIONS];
const DATA_LINE_HINTS: JsonLineHints = { notJson: 'Each line must be one JSON object.', example: '{"x": 1, "y": 0}' };

export async function openTable(file: string): Promise<Table> {
  const extension = path.extname(file).toLowerCase();
  if (!SUPPORTED_EXTENSIONS.includes(extension)) {
    throw new DataError(
      `${displayPath(file)}: unsupported data file type "${extension || '(none)'}". Use one of ${SUPPORTED_EXTENSIONS.join(', ')}${extension === '.npy' || extension === '.npz' ? ', or name NumPy files in a config (data.train, data.target)' : ''}.`,
    );
  }
  try {
    await access(file);
  } catch (error) {
    throw new UnreadableDataError(
      `${displayPath(file)}: cannot read the data file (${errorCode(error)}). Check the path.`,
    );
  }
  return JSON_LINES_EXTENSIONS.has(extension) ? openJsonLines(file) : openDelimited(file, DELIMITERS[extension]!);
}

/** The column names of a data file, read without reading its rows. */
export async function readHeader(file: string): Promise<string[]> {
  const table = await openTable(file);
  table.close();
  return table.header;
}

/** The 1-based line of data row `rowIndex` (0-based, header excluded); for a row that spans lines, its last. */
export async function lineOfRow(file: string, rowIndex: number): Promise<number | undefined> {
  const extension = path.extname(file).toLowerCase();
  if (JSON_LINES_EXTENSIONS.has(extension)) {
    const source = createReadStream(file);
    let row = -1;
    try {
      // The first object is data row 0 as well as the source of the header.
      for await (const { line } of jsonLines(source, displayPath(file), DATA_LINE_HINTS))
        if (++row === rowIndex) return line;
      return undefined;
    } finally {
      source.destroy();
    }
  }
  const { CsvError: CsvErrorClass, parse } = await import('csv-parse');
  const source = createReadStream(file);
  // Row widths are not checked here: a ragged row after the one asked for must not hide its line.
  const parser = source.pipe(parse({ ...csvOptions(DELIMITERS[extension]!), info: true, relax_column_count: true }));
  try {
    let row = -1;
    // With `info`, csv-parse yields {record, info} per row; its stream typings do not say so.
    for await (const { info } of parser as AsyncIterable<{ info: { lines: number } }>)
      if (row++ === rowIndex) return info.lines;
    return undefined;
  } catch (error) {
    // A broken quote in the same read chunk fails the whole read: the message then names the file only.
    if (error instanceof CsvErrorClass) return undefined;
    throw error;
  } finally {
    // Stopping early must close the file too, not only the parser.
    parser.destroy();
    source.destroy();
  }
}

function csvOptions(delimiter: string) {
  return { bom: true, delimiter, skip_empty_lines: true, relax_quotes: false } as const;
}

async function openDelimited(file: string, delimiter: string): Promise<Table> {
  const streams: { destroy(): void }[] = [];
  const records = delimitedRecords(file, delimiter, streams);
  return withHeader(
    async () => {
      const first = await records.next();
      if (first.done)
        throw new DataError(
          `${displayPath(file)}: the file is empty. Expected a header row with column names, then data rows.`,
        );
      const header = checkHeader(file, first.value);
      async function* rows() {
        for (let next = await records.next(); !next.done; next = await records.next()) yield next.value;
      }
      return { header, rows: rows() };
    },
    () => {
      for (const stream of streams) stream.destroy();
    },
  );
}

/**
 * The file's records: its lines split while they are plain (plain-lines.ts), then csv-parse's from
 * the first line that is not, which is loaded only then. `streams` collects what to close.
 */
async function* delimitedRecords(file: string, delimiter: string, streams: { destroy(): void }[]) {
  const text = createReadStream(file, { encoding: 'utf8' });
  streams.push(text);
  const plain = plainRecords(text, delimiter);
  let read = 0;
  let next = await plain.next();
  for (; !next.done; next = await plain.next()) {
    read++;
    yield next.value;
  }
  text.destroy();
  if (next.value === 'not-plain') yield* parsedRecords(file, delimiter, read, streams);
}

/** csv-parse's records of the file after the first `skip`, its errors as DataErrors. */
async function* parsedRecords(file: string, delimiter: string, skip: number, streams: { destroy(): void }[]) {
  const { CsvError: CsvErrorClass, parse } = await import('csv-parse');
  const source = createReadStream(file);
  const parser = source.pipe(parse(csvOptions(delimiter)));
  streams.push(source, parser);
  // The header's width for csv-parse's messages: none while the header itself is being read.
  let columns = 0;
  let left = skip;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      columns ||= record.length;
      if (left > 0) left--;
      else yield record;
    }
  } catch (error) {
    if (!(error instanceof CsvErrorClass)) throw error;
    throw csvDataError(displayPath(file), error, columns);
  }
}

/**
 * Reads the header with `read`, then hands out rows that close the file when the reader stops,
 * whether at the end, on an error, or early: an error message must not leak an open file.
 */
async function withHeader(
  read: () => Promise<{ header: string[]; rows: AsyncGenerator<Cell[]> }>,
  close: () => void,
): Promise<Table> {
  let opened: Awaited<ReturnType<typeof read>>;
  try {
    opened = await read();
  } catch (error) {
    close();
    throw error;
  }
  async function* closing() {
    try {
      yield* opened.rows;
    } finally {
      close();
    }
  }
  return { header: opened.header, rows: closing(), close };
}

/** csv-parse's errors (ragged rows, broken quotes) as DataErrors at the line they name; `shownFile` as messages show it. */
function csvDataError(shownFile: string, error: CsvError, columns?: number): DataError {
  const line = (error as CsvError & { lines?: number }).lines;
  const where = line === undefined ? shownFile : `${shownFile}:${line}`;
  if (error.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH') {
    const { record } = error as CsvError & { record?: unknown[] };
    // csv-parse's own count ("expect 4, got 3"): the error can end the stream before the header row
    // reaches the reader, and then the reader knows no header length.
    const expected = /expect (\d+),/.exec(error.message)?.[1] ?? (columns || undefined);
    return new DataError(
      `${where}: row has ${record?.length ?? 'a different number of'} fields but the header has ${expected ?? 'another number'}. Fix the row so every row has one value per column.`,
    );
  }
  return new DataError(`${where}: malformed CSV: ${error.message.replace(/^Invalid [^:]*: /, '')}`);
}

function checkHeader(file: string, names: readonly string[]): string[] {
  const header = names.map((name) => name.trim());
  const blank = header.findIndex((name) => name === '');
  if (blank >= 0)
    throw new DataError(
      `${displayPath(file)}:1: column ${blank + 1} of the header has no name. The first row must name every column.`,
    );
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name))
      throw new DataError(
        `${displayPath(file)}:1: the header names column "${name}" twice. Column names must be unique.`,
      );
    seen.add(name);
  }
  return header;
}

async function openJsonLines(file: string): Promise<Table> {
  const source = createReadStream(file);
  const lines = jsonLines(source, displayPath(file), DATA_LINE_HINTS);
  let lineNumber = 0;
  const nextObject = async (): Promise<Record<string, unknown> | undefined> => {
    const next = await lines.next();
    if (next.done) return undefined;
    lineNumber = next.value.line;
    return next.value.object;
  };
  return withHeader(
    async () => {
      const first = await nextObject();
      if (first === undefined)
        throw new DataError(`${displayPath(file)}: the file is empty. Expected one JSON object per line.`);
      const header = checkHeader(file, Object.keys(first));
      const toCells = (object: Record<string, unknown>): Cell[] =>
        header.map((name) => {
          const value = object[name];
          if (
            value === undefined ||
            value === null ||
            typeof value === 'string' ||
            typeof value === 'number' ||
            typeof value === 'boolean'
          )
            return value;
          throw new DataError(
            `${displayPath(file)}:${lineNumber}: "${name}" holds ${Array.isArray(value) ? 'a list' : 'an object'}; expected a number or a string.`,
          );
        });
      async function* rows() {
        yield toCells(first!);
        for (let object = await nextObject(); object !== undefined; object = await nextObject()) yield toCells(object);
      }
      return { header, rows: rows() };
    },
    () => {
      void lines.return();
      source.destroy();
    },
  );
}
