import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadDataset, splitSample } from '../../src/data/dataset.js';
import { scanTable } from '../../src/data/scan.js';
import { inferTask, MAX_INFERRED_CLASSES } from '../../src/data/task.js';
import { ConfigError } from '../../src/errors.js';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-dataset-'));
});

async function scanOf(content: string, target: string[] = ['y']) {
  const file = path.join(directory, 'task.csv');
  await writeFile(file, content);
  return scanTable(file, { target, sampleRows: 100, seed: 1 });
}

const column = (values: readonly (string | number)[]) =>
  `a,y\n${values.map((value, index) => `${index},${value}`).join('\n')}\n`;

describe('task inference from the target values', () => {
  it.each([
    ['0/1 labels', column([0, 1, 1, 0]), 'binary'],
    ['two text labels', column(['yes', 'no', 'yes']), 'binary'],
    ['three text labels', column(['a', 'b', 'c']), 'multiclass'],
    ['integer ids 0..4', column([0, 1, 2, 3, 4, 2]), 'multiclass'],
    ['two integers that are not 0/1 (checked as bad binary labels)', column([1, 2, 2, 1]), 'binary'],
    ['fractional values', column([0.5, 1.5, 2.25]), 'regression'],
    ['negative integers', column([-1, 0, 1, 2]), 'regression'],
    ['integers spread over a range (prices, counts)', column([0, 10, 20, 30, 40]), 'regression'],
    [
      `more than ${MAX_INFERRED_CLASSES} integers`,
      column(Array.from({ length: MAX_INFERRED_CLASSES + 1 }, (_, i) => i)),
      'regression',
    ],
  ])('%s → %s', async (_, content, task) => {
    expect(inferTask(await scanOf(content))).toEqual({ task, source: 'data' });
  });

  it.each([
    ['one-hot columns', 'a,p,q\n1,1,0\n2,0,1\n', 'multiclass'],
    ['multi-hot columns', 'a,p,q\n1,1,1\n2,0,1\n', 'multilabel'],
    ['real-valued columns', 'a,p,q\n1,0.5,3\n2,1,2\n', 'regression'],
  ])('%s → %s', async (_, content, task) => {
    expect(inferTask(await scanOf(content, ['p', 'q'])).task).toBe(task);
  });

  it('prefers the config, then the loss, to the values', async () => {
    const scan = await scanOf(column([0, 1, 2]));
    expect(inferTask(scan, 'regression', 'sparseCategoricalCrossentropy')).toEqual({
      task: 'regression',
      source: 'config',
    });
    expect(inferTask(scan, undefined, 'meanSquaredError')).toEqual({ task: 'regression', source: 'loss' });
    expect(inferTask(scan, undefined, 'binaryCrossentropy')).toEqual({ task: 'binary', source: 'loss' });
  });
});

describe('the validation split', () => {
  it('is a seeded shuffle with floor(n × fraction) validation rows and no row lost', () => {
    const rows = Array.from({ length: 10 }, (_, index) => index);
    const [train, validation] = splitSample(rows, 0.25, 3);
    expect(validation).toHaveLength(2);
    expect([...train, ...validation].sort((a, b) => a - b)).toEqual(rows);
    expect(splitSample(rows, 0.25, 3)).toEqual([train, validation]);
    expect(splitSample(rows, 0.25, 4)).not.toEqual([train, validation]);
  });

  it('is empty with validationSplit 0 (tiny sets such as XOR)', () => {
    expect(splitSample([1, 2, 3, 4], 0, 1)).toEqual([expect.any(Array), []]);
  });
});

async function datasetOf(data: string, configData: string) {
  await writeFile(path.join(directory, 'data.csv'), data);
  const text = `version: 1\nseed: 5\ndata:\n  train: data.csv\n${configData}\nmodel: {layers: [{type: dense, units: 1}]}\n`;
  return loadDataset(parseConfig(text, path.join(directory, 'convdoc.yaml')));
}

describe('the encoded dataset', () => {
  it('numbers text labels in sorted order as class ids', async () => {
    const dataset = await datasetOf('a,y\n1,dog\n2,cat\n3,dog\n4,bird\n', '  target: y\n  validationSplit: 0');
    expect(dataset.classes).toEqual(['bird', 'cat', 'dog']);
    const byFeature = new Map(Array.from({ length: 4 }, (_, r) => [dataset.train.x[r], dataset.train.y[r]]));
    expect(byFeature).toEqual(
      new Map([
        [1, 2],
        [2, 1],
        [3, 2],
        [4, 0],
      ]),
    );
  });

  it('keeps one-hot columns as they are, row by row with the features', async () => {
    const dataset = await datasetOf('a,p,q\n1,1,0\n2,0,1\n', '  target: [p, q]\n  validationSplit: 0');
    expect(dataset.targetWidth).toBe(2);
    const rows = Array.from({ length: 2 }, (_, r) => [
      dataset.train.x[r],
      ...dataset.train.y.subarray(r * 2, r * 2 + 2),
    ]);
    expect(rows.sort()).toEqual([
      [1, 1, 0],
      [2, 0, 1],
    ]);
  });

  it('splits the sample into training and validation rows', async () => {
    const rows = Array.from({ length: 20 }, (_, index) => `${index},${index * 2.5}`).join('\n');
    const dataset = await datasetOf(`a,y\n${rows}\n`, '  target: y\n  validationSplit: 0.25');
    expect([dataset.train.rows, dataset.validation.rows]).toEqual([15, 5]);
    expect(dataset.summary).toMatchObject({ rows: 20, task: 'regression', taskSource: 'data' });
    const seen = [...dataset.train.x, ...dataset.validation.x].sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 20 }, (_, index) => index));
  });

  it('reshapes features to data.inputShape', async () => {
    const dataset = await datasetOf(
      'a,b,c,d,y\n1,2,3,4,0\n',
      '  target: y\n  inputShape: [2, 2, 1]\n  validationSplit: 0',
    );
    expect(dataset.inputShape).toEqual([2, 2, 1]);
  });

  it('refuses an inputShape that does not hold the features, at its line', async () => {
    const error = await datasetOf('a,b,c,y\n1,2,3,0\n', '  target: y\n  inputShape: [2, 2]').catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual(
      [
        'convdoc.yaml:6:15: data.inputShape: [2, 2] holds 4 values per example, but the data has 3 feature columns. Make the product of the dimensions 3.',
      ].map((line) => `${path.join(directory, line)}`.replace(`${directory}${path.sep}`, `${directory}/`)),
    );
  });

  it('names a missing target column at the config key', async () => {
    const error = await datasetOf('a,medv\n1,2\n', '  target: mdev').catch((thrown: unknown) => thrown);
    expect((error as ConfigError).problems[0]).toMatch(
      /convdoc\.yaml:5:11: data\.target: there is no column "mdev" in .*data\.csv\. Did you mean "medv"\? The header has: a, medv\.$/,
    );
  });
});

describe('a validation file', () => {
  const TRAIN = 'a,b,y\n1,10,0.5\n2,20,1.5\n';
  async function withValidation(validation: string) {
    await writeFile(path.join(directory, 'val.csv'), validation);
    return datasetOf(TRAIN, '  target: y\n  validation: val.csv').catch((thrown: unknown) => thrown);
  }

  it('is read by column name, not position: reordered columns give the same examples', async () => {
    const inOrder = (await withValidation('a,b,y\n3,30,2.5\n')) as Awaited<ReturnType<typeof datasetOf>>;
    const reordered = (await withValidation('y,b,a\n2.5,30,3\n')) as Awaited<ReturnType<typeof datasetOf>>;
    expect([...reordered.validation.x]).toEqual([3, 30]);
    expect([...reordered.validation.y]).toEqual([2.5]);
    expect(reordered.validation).toEqual(inOrder.validation);
  });

  it.each([
    [
      'a missing column',
      'a,y\n3,2.5\n',
      /data\.validation: the validation file .*val\.csv lacks column "b" of .*data\.csv\./,
    ],
    [
      'an extra column',
      'a,b,c,y\n3,30,0,2.5\n',
      /data\.validation: the validation file .*val\.csv has column "c" that .*data\.csv does not\./,
    ],
    ['both', 'a,c,y\n3,0,2.5\n', /lacks column "b" of .*data\.csv and has column "c" that/],
  ])('with %s is refused at data.validation, naming the columns', async (_, validation, expected) => {
    const error = await withValidation(validation);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toHaveLength(1);
    expect((error as ConfigError).problems[0]).toMatch(/convdoc\.yaml:6:\d+: /);
    expect((error as ConfigError).problems[0]).toMatch(expected);
  });
});
