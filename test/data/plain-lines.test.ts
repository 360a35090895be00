import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { plainRecords, type PlainEnd } from '../../src/data/plain-lines.js';
import { scanTable } from '../../src/data/scan.js';
import { openTable } from '../../src/data/table.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-plain-'));
});

const CSV_OPTIONS = { bom: true, delimiter: ',', skip_empty_lines: true, relax_quotes: false } as const;

/** csv-parse's records of `input` (arrays: no `columns` option). */
function csvRecords(
  input: string | Buffer,
  options: typeof CSV_OPTIONS & { relax_column_count?: boolean },
): string[][] {
  return parse(input, options);
}

/** What the plain reader gives for `text` cut into `chunks` pieces: its records and why it stopped. */
async function readPlain(text: string, chunkLength = text.length): Promise<{ records: string[][]; end: PlainEnd }> {
  function* chunks() {
    for (let start = 0; start < text.length; start += Math.max(1, chunkLength))
      yield text.slice(start, start + chunkLength);
  }
  const records: string[][] = [];
  const reader = plainRecords(chunks(), ',');
  let next = await reader.next();
  for (; !next.done; next = await reader.next()) records.push(next.value);
  return { records, end: next.value };
}

const CASES: [string, string, PlainEnd][] = [
  ['LF', 'a,b,y\n1,2,3\n4,5,6\n', 'end'],
  ['CRLF', 'a,b,y\r\n1,2,3\r\n4,5,6\r\n', 'end'],
  ['a byte-order mark', '\uFEFFa,b,y\n1,2,3\n', 'end'],
  ['blank lines, no final newline', '\na,b,y\n\n1,2,3\n\n4,5,6', 'end'],
  ['blank CRLF lines', 'a,y\r\n\r\n1,2\r\n', 'end'],
  ['empty fields and spaces', 'a,b,y\n,,\n 1 , 2,x y\n', 'end'],
  ['text labels, not ASCII', 'a,y\n1,chat\n2,éléphant\n', 'end'],
  ['a quote late in the file', 'a,y\n1,2\n3,"x, y"\n4,5\n', 'not-plain'],
  ['a quoted line break', 'a,y\n1,"multi\nline"\n', 'not-plain'],
  ['a lone CR', 'a,y\n1,2\r3,4\n', 'not-plain'],
  ['LF after CRLF', 'a,y\r\n1,2\n3,4\r\n', 'not-plain'],
  ['a CR at the end of the file', 'a,y\n1,2\r', 'not-plain'],
  ['a ragged row', 'a,b,y\n1,2,3\n4,5\n', 'not-plain'],
];

describe('plain lines', () => {
  it.each(CASES)('%s: the records csv-parse gives, up to where it stops', async (_, text, end) => {
    const expected = csvRecords(text, { ...CSV_OPTIONS, relax_column_count: true });
    for (const chunkLength of [text.length, 1, 2, 3, 5]) {
      const plain = await readPlain(text, chunkLength);
      expect(plain.end).toBe(end);
      expect(plain.records).toEqual(expected.slice(0, plain.records.length));
      if (end === 'end') expect(plain.records).toHaveLength(expected.length);
    }
  });

  it('stops at the first line that is not plain', async () => {
    expect((await readPlain('a,y\n1,2\n3,"4"\n5,6\n')).records).toEqual([
      ['a', 'y'],
      ['1', '2'],
    ]);
  });
});

describe('a table read by plain lines and csv-parse after them', () => {
  it.each([
    ...CASES.filter(([name]) => name !== 'a ragged row'),
    ['an undecodable byte', Buffer.concat([Buffer.from('a,y\n1,'), Buffer.from([0xff]), Buffer.from('\n2,3\n')])],
    ['a UTF-8 character across read chunks', `a,y\n${'1,ü\n'.repeat(40_000)}`],
    ['a quote past the first read chunk', `a,y\n${'1,2\n'.repeat(40_000)}3,"x\ny"\n4,5\n`],
  ] as [string, string | Buffer][])(
    '%s: the records csv-parse gives, or an error where it fails',
    async (_, content) => {
      const file = path.join(directory, 'table.csv');
      await writeFile(file, content);
      const read = async () => {
        const table = await openTable(file);
        const records = [table.header];
        for await (const row of table.rows) records.push(row as string[]);
        return records;
      };
      let expected: string[][];
      try {
        expected = csvRecords(typeof content === 'string' ? Buffer.from(content) : content, CSV_OPTIONS);
      } catch {
        await expect(read()).rejects.toBeInstanceOf(DataError);
        return;
      }
      expect(await read()).toEqual([expected[0]!.map((name) => name.trim()), ...expected.slice(1)]);
    },
  );
});

describe('a plain row before one csv-parse refuses', () => {
  it('is read first: its bad cell is the error, at its line (the line search ignores the ragged row after it)', async () => {
    const file = path.join(directory, 'bad-cell.csv');
    await writeFile(file, 'a,y\nx,0\n ');
    const error: unknown = await scanTable(file, { target: ['y'], sampleRows: 10, seed: 1 }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(DataError);
    expect((error as DataError).message).toMatch(/bad-cell\.csv:2: feature column "a" has the non-numeric value "x"/);
  });
});
