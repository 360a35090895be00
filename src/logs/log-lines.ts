/**
 * A log file's lines as they stream in, numbered as editors number them: node:readline ends a line
 * at \n, \r\n or a lone \r, so Keras' Windows `\r\r\n` (CSVLogger writes \r\n through a text-mode
 * file) counts as two lines, an empty one between rows, exactly as Notepad or VS Code shows it.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface LogLine {
  /** 1-based, blank lines counted. */
  line: number;
  /** Trimmed; a byte-order mark is white space to trim(). Blank lines are not yielded. */
  text: string;
}

export async function* logLines(file: string): AsyncGenerator<LogLine, void, undefined> {
  const reader = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  try {
    let line = 0;
    for await (const raw of reader) {
      line++;
      const text = raw.trim();
      if (text !== '') yield { line, text };
    }
  } finally {
    reader.close();
  }
}
