import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { jsonLines, type JsonLineHints } from '../../src/data/json-lines.js';
import { DataError } from '../../src/errors.js';

const HINTS: JsonLineHints = { notJson: 'One object a line.', example: '{"a": 1}' };

async function read(text: string) {
  const lines = [];
  for await (const line of jsonLines(Readable.from([text]), 'f.jsonl', HINTS)) lines.push(line);
  return lines;
}

describe('jsonLines', () => {
  it('numbers lines as the file does, past a byte-order mark, blank lines and every line ending', async () => {
    expect(await read('\ufeff{"a": 1}\r\n\n  \n{"a": 2}\r{"a": 3}\n')).toEqual([
      { line: 1, object: { a: 1 } },
      { line: 4, object: { a: 2 } },
      { line: 5, object: { a: 3 } },
    ]);
  });

  it.each([
    ['{"a": 1}\n{"a": \n', /^f\.jsonl:2: not valid JSON \(.+\)\. One object a line\.$/],
    ['\n[1, 2]\n', /^f\.jsonl:2: expected a JSON object such as \{"a": 1\} on each line\.$/],
    ['null', /^f\.jsonl:1: expected a JSON object/],
  ])('%j is a DataError at its line', async (text, message) => {
    const reading = read(text);
    await expect(reading).rejects.toThrow(DataError);
    await expect(reading).rejects.toThrow(message);
  });

  it('hands out the objects before a broken line', async () => {
    const lines = jsonLines(Readable.from(['{"a": 1}\nbroken\n']), 'f.jsonl', HINTS);
    expect((await lines.next()).value).toEqual({ line: 1, object: { a: 1 } });
    await expect(lines.next()).rejects.toThrow(/f\.jsonl:2: not valid JSON/);
  });
});
