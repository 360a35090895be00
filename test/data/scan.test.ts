import { mkdtemp, readdir, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { scanTable, type ScanSpec } from '../../src/data/scan.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-scan-'));
});

async function fileWith(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(directory, name);
  await writeFile(file, content);
  return file;
}

const spec: ScanSpec = { target: ['y'], sampleRows: 100, seed: 1 };

/** Scans `content` written to `name` and returns the error message it fails with. */
async function errorOf(name: string, content: string, options: Partial<ScanSpec> = {}): Promise<string> {
  const file = await fileWith(name, content);
  const error = await scanTable(file, { ...spec, ...options }).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DataError);
  return (error as DataError).message.replace(`${directory}${path.sep}`, '');
}

describe('reading CSV and friends', () => {
  it.each([
    ['plain LF', 'a,b,y\n1,2,3\n4,5,6\n'],
    ['CRLF line ends', 'a,b,y\r\n1,2,3\r\n4,5,6\r\n'],
    ['a byte-order mark', '\uFEFFa,b,y\n1,2,3\n4,5,6\n'],
    ['blank lines', 'a,b,y\n\n1,2,3\n\n4,5,6\n\n'],
    ['quoted fields', '"a","b","y"\n"1","2",3\n4,"5","6"\n'],
    ['no final newline', 'a,b,y\n1,2,3\n4,5,6'],
  ])('%s', async (_, content) => {
    const scan = await scanTable(await fileWith('plain.csv', content), spec);
    expect(scan.rows).toBe(2);
    expect(scan.featureNames).toEqual(['a', 'b']);
    expect(scan.features.map((column) => column.mean)).toEqual([2.5, 3.5]);
    expect(scan.targets[0]!.mean).toBe(4.5);
  });

  it('reads a quoted field with a comma and a line break inside a text label', async () => {
    const scan = await scanTable(await fileWith('label.csv', 'a,y\n1,"x, y"\n2,"multi\nline"\n'), spec);
    expect([...scan.labelCounts!.keys()]).toEqual(['x, y', 'multi\nline']);
  });

  it('reads TSV by its extension', async () => {
    const scan = await scanTable(await fileWith('data.tsv', 'a\tb\ty\n1\t2\t0\n'), spec);
    expect(scan.features.map((column) => column.max)).toEqual([1, 2]);
  });

  it('reads JSON Lines, with null as a missing value', async () => {
    const scan = await scanTable(
      await fileWith('data.jsonl', '{"a": 1, "y": 0}\n\n{"a": null, "y": 1}\n{"a": 3, "y": 1}\n'),
      spec,
    );
    expect(scan.rows).toBe(3);
    expect(scan.features[0]).toMatchObject({ count: 2, nonFinite: 1, mean: 2 });
  });

  it('reads one row', async () => {
    const scan = await scanTable(await fileWith('one.csv', 'a,y\n5,1\n'), spec);
    expect(scan).toMatchObject({ rows: 1, sample: [{ features: new Float32Array([5]), target: ['1'] }] });
    expect(scan.features[0]).toMatchObject({ mean: 5, std: 0, min: 5, max: 5 });
  });

  it('counts NaN, Inf and empty cells as non-finite, not as errors', async () => {
    const scan = await scanTable(await fileWith('nan.csv', 'a,b,y\nNaN,inf,1\n,-Infinity,2\nNA,3,3\n4,5,4\n'), spec);
    expect(scan.features.map(({ count, nonFinite }) => ({ count, nonFinite }))).toEqual([
      { count: 1, nonFinite: 3 },
      { count: 2, nonFinite: 2 },
    ]);
  });

  it('keeps only the features named, in their order', async () => {
    const scan = await scanTable(await fileWith('pick.csv', 'a,b,c,y\n1,2,3,4\n'), { ...spec, features: ['c', 'a'] });
    expect(scan.featureNames).toEqual(['c', 'a']);
    expect(scan.sample[0]!.features).toEqual(new Float32Array([3, 1]));
  });

  it('samples at most sampleRows rows, the same ones for the same seed', async () => {
    const rows = Array.from({ length: 1000 }, (_, index) => `${index},${index % 2}`).join('\n');
    const file = await fileWith('many.csv', `a,y\n${rows}\n`);
    const first = await scanTable(file, { ...spec, sampleRows: 50, seed: 7 });
    const again = await scanTable(file, { ...spec, sampleRows: 50, seed: 7 });
    const other = await scanTable(file, { ...spec, sampleRows: 50, seed: 8 });
    const picked = (scan: typeof first) => scan.sample.map((row) => row.features[0]);
    expect(first.rows).toBe(1000);
    expect(first.sample).toHaveLength(50);
    expect(picked(again)).toEqual(picked(first));
    expect(picked(other)).not.toEqual(picked(first));
    // A uniform sample of 0..999 should reach well into the second half of the file.
    expect(Math.max(...picked(first).map(Number))).toBeGreaterThan(500);
  });
});

describe('bad data: one message naming the file, the line and what to change', () => {
  it.each([
    [
      'an empty file',
      'empty.csv',
      '',
      {},
      'empty.csv: the file is empty. Expected a header row with column names, then data rows.',
    ],
    ['a header and no rows', 'header.csv', 'a,y\n', {}, 'header.csv: the file has a header but no data rows.'],
    [
      'a ragged row',
      'ragged.csv',
      'a,b,y\n1,2,3\n4,5\n',
      {},
      'ragged.csv:3: row has 2 fields but the header has 3. Fix the row so every row has one value per column.',
    ],
    [
      'a ragged row that ends the stream before the header is read',
      'ragged-early.csv',
      'a,b,c,y\n1,2,3,4\n5,6\n7,8,9,10\n',
      {},
      'ragged-early.csv:3: row has 2 fields but the header has 4. Fix the row so every row has one value per column.',
    ],
    [
      'a non-numeric feature',
      'text.csv',
      'a,b,y\n1,2,3\n4,red,6\n',
      {},
      'text.csv:3: feature column "b" has the non-numeric value "red". Features must be numeric: encode it (e.g. one-hot) or leave the column out with data.features.',
    ],
    [
      'a non-numeric feature after blank lines and CRLF',
      'crlf.csv',
      'a,y\r\n\r\n1,2\r\n\r\nx,3\r\n',
      {},
      'crlf.csv:5: feature column "a" has the non-numeric value "x". Features must be numeric: encode it (e.g. one-hot) or leave the column out with data.features.',
    ],
    [
      'a missing target column',
      'target.csv',
      'a,b,medv\n1,2,3\n',
      { target: ['mdev'] },
      'target.csv: there is no column "mdev" (named as a target). Did you mean "medv"? The header has: a, b, medv.',
    ],
    [
      'a missing feature column',
      'feature.csv',
      'a,b,y\n1,2,3\n',
      { features: ['a', 'c'] },
      'feature.csv: there is no column "c" (named as a feature). The header has: a, b, y.',
    ],
    [
      'a header name left blank',
      'blank.csv',
      'a,,y\n1,2,3\n',
      {},
      'blank.csv:1: column 2 of the header has no name. The first row must name every column.',
    ],
    [
      'a header name used twice',
      'twice.csv',
      'a,a,y\n1,2,3\n',
      {},
      'twice.csv:1: the header names column "a" twice. Column names must be unique.',
    ],
    [
      'an unclosed quote',
      'quote.csv',
      'a,y\n"1,2\n',
      {},
      'quote.csv:2: malformed CSV: Quote Not Closed: the parsing is finished with an opening quote at line 2',
    ],
    [
      'an unsupported extension',
      'data.xlsx',
      'a,y\n',
      {},
      'data.xlsx: unsupported data file type ".xlsx". Use one of .csv, .tsv, .tab, .txt, .jsonl, .ndjson.',
    ],
    [
      'a JSON line that is not an object',
      'bad.jsonl',
      '{"a": 1, "y": 2}\n[1, 2]\n',
      {},
      'bad.jsonl:2: expected a JSON object such as {"x": 1, "y": 0} on each line.',
    ],
    [
      'a JSON line that does not parse',
      'broken.jsonl',
      '{"a": 1, "y": 2}\n{"a": 1,\n',
      {},
      `broken.jsonl:2: not valid JSON (Expected double-quoted property name in JSON at position 8). Each line must be one JSON object.`,
    ],
    [
      'a non-numeric JSON value on the second line',
      'text.jsonl',
      '{"a": 1, "y": 2}\n{"a": "x", "y": 2}\n',
      {},
      'text.jsonl:2: feature column "a" has the non-numeric value "x". Features must be numeric: encode it (e.g. one-hot) or leave the column out with data.features.',
    ],
    [
      'a header name with a line break, shown escaped',
      'newline.csv',
      '"a\nb",y\n1,2\n',
      { target: ['z'] },
      'newline.csv: there is no column "z" (named as a target). The header has: a\\nb, y.',
    ],
    [
      'a non-numeric cell in one of several targets',
      'multi.csv',
      'a,y1,y2\n1,0,1\n2,1,no\n',
      { target: ['y1', 'y2'] },
      'multi.csv:3: target column "y2" has the non-numeric value "no". Several target columns must all be numeric (one-hot, multilabel or multi-output).',
    ],
  ])('%s', async (_, name, content, options, expected) => {
    expect(await errorOf(name, content, options)).toBe(expected);
  });

  it('closes the file when a scan stops on an error', async () => {
    // Descriptors of this file only: other test files run in threads of the same process and open their own.
    const openOn = async (file: string) => {
      const links = await Promise.all(
        (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      return links.filter((link) => link === file).length;
    };
    // Larger than a read stream's 64 KiB buffer, so the file is still open when the bad cell is found.
    const file = await fileWith('leak.csv', `a,y\n1,2\nx,3\n${'4,5\n'.repeat(50_000)}`);
    for (let i = 0; i < 20; i++) await scanTable(file, spec).catch(() => undefined);
    // destroy() closes asynchronously: give the last closes a moment before counting.
    for (let wait = 0; wait < 20 && (await openOn(file)) > 0; wait++) await new Promise((r) => setTimeout(r, 50));
    expect(await openOn(file)).toBe(0);
  });

  it('says when the file does not exist', async () => {
    await expect(scanTable(path.join(directory, 'missing.csv'), spec)).rejects.toThrow(
      /missing\.csv: cannot read the data file \(ENOENT\)\. Check the path\.$/,
    );
  });
});

describe('target labels', () => {
  it('counts text labels and numeric labels by value', async () => {
    const text = await scanTable(await fileWith('text.csv', 'a,y\n1,cat\n2,dog\n3,cat\n'), spec);
    expect(text.textLabels).toBe(true);
    expect([...text.labelCounts!]).toEqual([
      ['cat', 2],
      ['dog', 1],
    ]);
    const numeric = await scanTable(await fileWith('ids.csv', 'a,y\n1,1\n2,1.0\n3,2\n'), spec);
    expect([...numeric.labelCounts!]).toEqual([
      ['1', 2],
      ['2', 1],
    ]);
  });

  it('counts one-hot and 0/1 rows of a several-column target', async () => {
    const scan = await scanTable(await fileWith('onehot.csv', 'a,p,q\n1,1,0\n2,0,1\n3,1,1\n4,0,0\n5,0.5,0\n'), {
      ...spec,
      target: ['p', 'q'],
    });
    expect({ binary: scan.binaryTargetRows, oneHot: scan.oneHotRows }).toEqual({ binary: 4, oneHot: 2 });
  });
});
