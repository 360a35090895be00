/**
 * A small CSV file (a log: one row per epoch or step) read whole, each record with its line, for
 * the readers of Keras CSVLogger and TensorBoard exports. Ragged rows are errors at their line,
 * once the header has shown that the file is a log at all.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { csvDataError } from '../data/table.js';
import { DataError } from '../errors.js';

export interface CsvRecord {
  line: number;
  cells: string[];
}

export function csvRecords(file: string, text: string): { header: CsvRecord; rows: CsvRecord[] } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, csv-parse yields {record, info} per row; its sync typings do not say so.
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw csvDataError(file, error);
  }
  const [header, ...rows] = parsed.map(({ record, info }) => ({
    line: info.lines,
    cells: record.map((cell) => cell.trim()),
  }));
  if (header === undefined) throw new DataError(`${file}: the log is empty.`);
  return { header, rows };
}

/** Every row has one cell per header column. */
export function checkRowLengths(file: string, header: CsvRecord, rows: readonly CsvRecord[]): void {
  for (const row of rows) {
    if (row.cells.length !== header.cells.length) {
      throw new DataError(
        `${file}:${row.line}: row has ${row.cells.length} fields but the header has ${header.cells.length}. Every row needs one value per column.`,
      );
    }
  }
}
