/**
 * A CSV log's rows whose number of fields is not the header's. A logger killed mid-write leaves one
 * such line (bench log 278: a resumed run whose cut-off row holds 9 of its 11 fields): it is passed
 * over with a note. More than one, or one in a log of fewer well-formed rows than the log rules need,
 * and the file is not a log of that header: exit 2 at the first.
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
    throw new DataError(
      `${this.shown}:${first.line}: row has ${first.fields} fields but the header has ${first.expected}${also}. Every row needs one value per column.`,
    );
  }
}
