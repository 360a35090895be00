/**
 * A CSV log's rows whose number of fields is not the header's. A logger killed mid-write leaves one
 * such line (bench log 278: a resumed run whose cut-off row holds 9 of its 11 fields): it is passed
 * over with a note. More than one, or one in a log of fewer well-formed rows than the log rules need,
 * and the file is not a log of that header: exit 2 at the first.
 *
 * Rows longer than the header stay an error too, though Python's csv.DictReader keeps the named
 * fields by position (the rest under `restkey`) and pandas' read_csv with `index_col=False` drops
 * them with a ParserWarning (pandas/io/parsers/base_parser.py `_check_data_length`; by default it
 * raises "Expected 5 fields in line 33, saw 8"): which columns the unnamed values are cannot be told.
 * Keras' CSVLogger writes its header only into a new file and its keys sorted
 * (keras/src/callbacks/csv_logger.py), so a run appended with more metrics puts new values between
 * the old ones, and reading the first fields by the old names would read an accuracy as the loss.
 */
import { DataError } from '../errors.js';

/** Malformed rows a log may hold and still be read: one cut-off line per kill, and a log records one run. */
const MAX_MALFORMED = 1;
/** Fewest well-formed rows beside it: the three points the log rules need (epoch-loss.ts' MIN_EPOCH_VALUES). */
const MIN_WELL_FORMED = 3;

export class MalformedRows {
  private readonly lines: { line: number; fields: number; expected: number }[] = [];

  constructor(private readonly shown: string) {}

  /** Whether a row of `fields` fits a header of `expected`; a row that does not is kept to report. */
  fits(fields: number, expected: number, line: number): boolean {
    if (fields === expected) return true;
    this.lines.push({ line, fields, expected });
    if (this.lines.length > MAX_MALFORMED) this.fail();
    return false;
  }

  /** The note on a skipped row, once the file is read; throws when too few rows are well formed. */
  notes(wellFormed: number): string[] {
    const [first] = this.lines;
    if (first === undefined) return [];
    if (wellFormed < MIN_WELL_FORMED) this.fail();
    return [
      `line ${first.line} skipped: it has ${first.fields} fields but the header has ${first.expected} (a row cut off mid-write)`,
    ];
  }

  private fail(): never {
    const [first, second] = this.lines as [(typeof this.lines)[number], ...(typeof this.lines)[number][]];
    const also = second === undefined ? '' : ` (line ${second.line} too)`;
    const why =
      first.fields > first.expected
        ? ` Which of the ${first.fields} values the header's ${first.expected} names are cannot be told: name every column in the header.`
        : ' Every row needs one value per column.';
    throw new DataError(
      `${this.shown}:${first.line}: row has ${first.fields} fields but the header has ${first.expected}${also}.${why}`,
    );
  }
}
