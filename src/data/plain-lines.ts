/**
 * The records of a delimited file read by splitting lines, for the lines where that gives exactly
 * what csv-parse gives: no quote, no carriage return but a CRLF ending, no U+FFFD (an undecodable
 * byte, which csv-parse decodes per field), and the header's width. csv-parse took 0.3 of the 0.37
 * CPU s that scanning a 1000×784 pixel CSV costs a diagnose (issue 14); split lines take 0.04.
 *
 * At the first line that is not plain, this stops and says how many records it gave: the caller
 * reads the rest with csv-parse from the file's start, past those records. Every line before was a
 * record of its own for csv-parse too (no quote can have opened), so the records are the same, and
 * ragged rows and broken quotes get csv-parse's errors at the lines it names.
 */

/** Why reading stopped: the end of the file, or a line csv-parse must read. */
export type PlainEnd = 'end' | 'not-plain';

const BYTE_ORDER_MARK = 0xfeff;

interface LineState {
  delimiter: string;
  /** Whether lines end in CRLF, as csv-parse decides at the first line end; undefined before. */
  crlf: boolean | undefined;
  /** Fields per record: the first record's. */
  width: number;
}

/** A line's record, null for an empty line (skipped, as skip_empty_lines does), undefined when it is not plain. */
function lineRecord(line: string, ended: boolean, state: LineState): string[] | null | undefined {
  let text = line;
  if (ended) {
    state.crlf ??= text.endsWith('\r');
    if (state.crlf) {
      if (!text.endsWith('\r')) return undefined;
      text = text.slice(0, -1);
    }
  }
  if (text.includes('"') || text.includes('\r') || text.includes('\uFFFD')) return undefined;
  if (text === '') return null;
  const record = text.split(state.delimiter);
  if (state.width < 0) state.width = record.length;
  return record.length === state.width ? record : undefined;
}

/** The records of `chunks` (the file's text) while its lines are plain; then why it stopped. */
export async function* plainRecords(
  chunks: AsyncIterable<string> | Iterable<string>,
  delimiter: string,
): AsyncGenerator<string[], PlainEnd> {
  const state: LineState = { delimiter, crlf: undefined, width: -1 };
  let carry = '';
  let first = true;
  for await (const chunk of chunks) {
    let text = chunk;
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === BYTE_ORDER_MARK) text = text.slice(1);
      first = false;
    }
    // Searched in the new text only: a line longer than a chunk is not scanned again per chunk.
    let end = text.indexOf('\n');
    if (end < 0) {
      carry += text;
      continue;
    }
    text = carry + text;
    end += carry.length;
    let start = 0;
    for (; end >= 0; end = text.indexOf('\n', start)) {
      const record = lineRecord(text.slice(start, end), true, state);
      if (record === undefined) return 'not-plain';
      if (record !== null) yield record;
      start = end + 1;
    }
    carry = text.slice(start);
  }
  const last = lineRecord(carry, false, state);
  if (last === undefined) return 'not-plain';
  if (last !== null) yield last;
  return 'end';
}
