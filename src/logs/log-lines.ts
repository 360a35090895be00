/**
 * A log file's lines as they stream in, in batches (one per chunk read: awaiting each of a million
 * lines costs more than parsing them), numbered as git, GitHub, grep -n, less and vim number them:
 * a line ends at \n, at \r\n, and at Keras' Windows `\r\r\n` (CSVLogger writes \r\n through a
 * text-mode file, which adds a \r), so a 3-row CSVLogger file has 3 lines and `--format github`
 * annotations land on the row GitHub shows. A lone \r (classic Mac) ends a line too. VS Code and
 * Notepad++ show an empty line inside `\r\r\n` and number the rows 1, 3, 5 instead. UTF-16 with a
 * byte-order mark is decoded as such (log-encoding.ts).
 */
import { createReadStream } from 'node:fs';
import { fileEncoding } from './log-encoding.js';

export interface LogLine {
  /** 1-based, blank lines counted. */
  line: number;
  /** Trimmed; a byte-order mark is white space to trim(). Blank lines are not yielded. */
  text: string;
}

const LF = 10;
const CR = 13;
const CHUNK_BYTES = 1 << 20;

export async function* logLines(file: string): AsyncGenerator<LogLine[], void, undefined> {
  let rest = '';
  let line = 0;
  const take = (raw: string, batch: LogLine[]) => {
    line++;
    const text = raw.trim();
    if (text !== '') batch.push({ line, text });
  };
  const encoding = await fileEncoding(file);
  for await (const chunk of createReadStream(file, { encoding, highWaterMark: CHUNK_BYTES })) {
    const text = rest + (chunk as string);
    const batch: LogLine[] = [];
    let start = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== LF && code !== CR) continue;
      const end = code === CR ? lineEndAfterCr(text, index) : index;
      // \r's that end the chunk may be the start of \r\n or \r\r\n: decided with the next chunk.
      if (end === text.length) break;
      take(text.slice(start, index), batch);
      index = end;
      start = index + 1;
    }
    rest = text.slice(start);
    yield batch;
  }
  const last: LogLine[] = [];
  if (rest !== '') take(rest.replace(/\r+$/, ''), last);
  yield last;
}

/**
 * Where the line end that starts with the \r at `index` ends: at the \n after a run of \r's
 * (\r\n, \r\r\n), else at the \r itself (a lone \r); `text.length` when the run reaches the end.
 */
function lineEndAfterCr(text: string, index: number): number {
  let after = index + 1;
  while (after < text.length && text.charCodeAt(after) === CR) after++;
  if (after === text.length) return after;
  return text.charCodeAt(after) === LF ? after : index;
}
