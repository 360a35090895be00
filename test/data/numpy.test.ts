import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadDataset } from '../../src/data/dataset.js';
import { openNpyFile } from '../../src/data/numpy-array.js';
import { readNpzArrays } from '../../src/data/npz.js';
import { ConvdocError } from '../../src/errors.js';

/** Written by real numpy: scripts/make-npy-fixtures.py, with numpy's own sums in expected.json. */
const FIXTURES = path.resolve('fixtures/numpy');
const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'expected.json'), 'utf8')) as Record<
  string,
  { shape?: number[]; sum: number; first?: number[] }
>;

async function readAll(name: string) {
  const array = await openNpyFile(path.join(FIXTURES, name), name);
  try {
    return { array, values: await array.readRows(0, array.rows) };
  } finally {
    await array.close();
  }
}

const sum = (values: Float64Array) => values.reduce((total, value) => total + value, 0);

describe('.npy files written by numpy', () => {
  it('reads float64 C-order values exactly', async () => {
    const { array, values } = await readAll('x.npy');
    expect(array.header.shape).toEqual(expected['x.npy']!.shape);
    expect([...values.subarray(0, 3)]).toEqual(expected['x.npy']!.first);
    expect(sum(values)).toBeCloseTo(expected['x.npy']!.sum, 9);
  });

  it.each([
    ['x-big-endian.npy', 'x.npy'],
    ['x-float16.npy', 'x-float16.npy'],
    ['x-int16.npy', 'x-int16.npy'],
    ['y.npy', 'y.npy'],
  ])('%s sums as numpy does', async (name, key) => {
    expect(sum((await readAll(name)).values)).toBeCloseTo(expected[key]!.sum, 6);
  });

  it.each([
    ['x-fortran.npy', /Fortran order .* Save numpy.ascontiguousarray/],
    ['x-complex.npy', /dtype "<c8" is not a numeric type/],
  ])('%s is refused with what it holds', async (name, message) => {
    await expect(openNpyFile(path.join(FIXTURES, name), name)).rejects.toThrow(message);
  });
});

describe('.npy headers that are not right', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'convdoc-npy-'));
  });
  const npy = (header: string, dataBytes = 0) => {
    const text = `${header}\n`;
    const preamble = Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, text.length, 0]);
    return Buffer.concat([preamble, Buffer.from(text, 'latin1'), Buffer.alloc(dataBytes)]);
  };
  it.each([
    ['not an array', Buffer.from('hello'), /not a NumPy .npy array: .* \(found "hello"\)/],
    [
      'a structured dtype',
      npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"),
      /found "\{'descr': \[/,
    ],
    ['an object dtype', npy("{'descr': '|O', 'fortran_order': False, 'shape': (2,), }"), /dtype "\|O"/],
    [
      'a truncated body',
      npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4, 2), }", 8),
      /32 bytes, but the file holds 8/,
    ],
    [
      'an unknown version',
      Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 9, 0, 0, 0]),
      /version 9.0 is not supported/,
    ],
  ])('%s: exit-2 error naming what was found', async (_, bytes, message) => {
    const file = path.join(directory, 'bad.npy');
    await writeFile(file, bytes);
    const opened = openNpyFile(file, 'bad.npy');
    await expect(opened).rejects.toThrow(ConvdocError);
    await expect(opened).rejects.toThrow(message);
  });
});

describe('.npz archives written by numpy', () => {
  it.each(['images.npz', 'images-compressed.npz'])('%s: named arrays, stored or deflated', async (name) => {
    const { arrays, names } = await readNpzArrays(path.join(FIXTURES, name), name, ['x_train', 'y_train', 'nope']);
    expect(names).toContain('x_train');
    expect(arrays.has('nope')).toBe(false);
    expect(arrays.get('x_train')!.header.shape).toEqual([96, 8, 8, 3]);
    expect(arrays.get('x_train')!.header.dtype.descr).toBe('|u1');
    expect(arrays.get('y_train')!.rows).toBe(96);
  });
});

describe('a NumPy dataset', () => {
  const load = async (yaml: string) => loadDataset(parseConfig(yaml, path.join(FIXTURES, 'config.yaml')));

  it('images: statistics and inputShape per channel, x_test as validation', async () => {
    const dataset = await load('version: 1\ndata: {train: images.npz}\nmodel: {layers: [{type: flatten}]}\n');
    expect(dataset.inputShape).toEqual([8, 8, 3]);
    expect(dataset.features).toBe(192);
    expect(dataset.summary.featureStats.map((column) => column.name)).toEqual([
      'x_train[..., 0]',
      'x_train[..., 1]',
      'x_train[..., 2]',
    ]);
    expect(dataset.summary.featureStats[0]!.count).toBe(96 * 64);
    expect(dataset.summary.task).toBe('multiclass');
    expect([dataset.train.rows, dataset.validation.rows]).toEqual([96, 32]);
  });

  it('a .npy pair: one statistic per column, validation split off the sample', async () => {
    const dataset = await load(
      'version: 1\ndata: {train: x.npy, target: y.npy}\nmodel: {layers: [{type: dense, units: 1}]}\n',
    );
    expect(dataset.summary.featureStats.map((column) => column.name)).toEqual(['x[:, 0]', 'x[:, 1]', 'x[:, 2]']);
    expect(dataset.train.rows + dataset.validation.rows).toBe(80);
    expect(dataset.summary.targetStats[0]!.mean * 80).toBeCloseTo(expected['y.npy']!.sum, 4);
  });

  it.each([
    ['data: {train: x.npy}', /data.target: missing required key: the .npy file of the targets/],
    ['data: {train: x.npy, target: y}', /data.target: with a .npy train file, name the .npy file/],
    [
      'data: {train: images.npz, arrays: {yTrain: labels}}',
      /data.arrays.yTrain: .*images.npz has no array "labels".* It holds: x_train, y_train, x_test, y_test/,
    ],
    ['data: {train: images.npz, target: y}', /data.target: is not used with a .npz file/],
    [
      'data: {train: x.npy, target: y.npy, validation: x.npy}',
      /data.validation: with NumPy data, a validation file must be a .npz/,
    ],
    ['data: {train: x.npy, target: tokens-labels.npy}', /has 96 rows but .*x.npy has 80/],
    ['data: {train: x.npy, target: y.npy, features: [a]}', /data.features: selects columns of a table/],
    // Arrays have no column names to match by: a validation set of another shape is refused, not read past its rows.
    [
      'data: {train: x.npy, target: y.npy, validation: images.npz}',
      /data.validation: the validation examples are of shape \(8, 8, 3\) but the training examples of \(3\)/,
    ],
  ])('%s → a config problem at the key', async (data, message) => {
    const loading = load(`version: 1\n${data}\nmodel: {layers: [{type: dense, units: 1}]}\n`);
    await expect(loading).rejects.toThrow(ConvdocError);
    await expect(loading).rejects.toThrow(message);
  });
});
