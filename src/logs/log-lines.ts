/**
 * A log file's lines as they stream in, in batches (one per chunk read: awaiting each of a million
 * lines costs more than parsing them), numbered as editors number them: a line ends at \n, \r\n or
 * a lone \r, so Keras' Windows `\r\r\n` (CSVLogger writes \r\n through a text-mode file) counts as
 * two lines, an empty one between rows, exactly as Notepad or VS Code shows it.
 */
import { createReadStream } from 'node:fs';

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
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_BYTES })) {
    const text = rest + (chunk as string);
    const batch: LogLine[] = [];
    let start = 0;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code !== LF && code !== CR) continue;
      // A \r that ends the chunk may be the first half of \r\n: decided with the next chunk.
      if (code === CR && index + 1 === text.length) break;
      take(text.slice(start, index), batch);
      if (code === CR && text.charCodeAt(index + 1) === LF) index++;
      start = index + 1;
    }
    rest = text.slice(start);
    yield batch;
  }
  const last: LogLine[] = [];
  if (rest !== '') take(rest.replace(/\r$/, ''), last);
  yield last;
}
