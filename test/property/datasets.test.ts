/**
 * Property tests over whole datasets (issue 15): validation files with reordered, missing or extra
 * columns are read by name or refused naming the columns; target columns mixing numbers, text and
 * missing values end in a ConvdocError or a dataset whose checks report the text of a regression
 * target (data-label-invalid, critical). Fixed seed, so CI is deterministic.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { loadDataset } from '../../src/data/dataset.js';
import { ConfigError } from '../../src/errors.js';
import { checkData } from '../../src/symptoms/data-checks.js';
import { expectUserError } from './malformed-inputs.js';
import {
  cellFor,
  targetCaseArbitrary,
  validationCaseArbitrary,
  type TargetCase,
  type ValidationCase,
} from './semantic-inputs.js';

const SEED = 15;
/** Each run writes and scans two small files. */
const RUNS = { validation: 300, targets: 400 };
const ROWS = 4;

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), 'convdoc-datasets-'));
});
afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

const configFile = () => path.join(directory, 'gen.yaml');
const table = (header: readonly string[], row: (name: string, index: number) => string | number) =>
  [
    header.join(','),
    ...Array.from({ length: ROWS }, (_, index) => header.map((name) => row(name, index)).join(',')),
  ].join('\n') + '\n';

function load(dataKeys: string) {
  const text = `version: 1\nseed: 3\ndata:\n${dataKeys}\nmodel: {layers: [{type: dense, units: 1}]}\n`;
  return loadDataset(parseConfig(text, configFile()));
}

async function checkValidation({ trainHeader, validationHeader, missing, extra }: ValidationCase): Promise<void> {
  await writeFile(path.join(directory, 'train.csv'), table(trainHeader, cellFor));
  await writeFile(
    path.join(directory, 'val.csv'),
    table(validationHeader, (name, row) => cellFor(name.trim(), row + ROWS)),
  );
  let dataset;
  try {
    dataset = await load('  train: train.csv\n  validation: val.csv\n  target: y');
  } catch (error) {
    expectUserError(error, configFile());
    if (missing.length === 0 && extra.length === 0 && !validationHeader.includes('f0 ')) throw error;
    if (!(error instanceof ConfigError)) return; // a duplicate column name: a DataError at its header line
    for (const name of [...missing, ...extra]) expect(error.message).toContain(`"${name}"`);
    return;
  }
  if (missing.length > 0 || extra.length > 0) throw new Error(`accepted columns ${validationHeader.join(',')}`);
  // Read by name: each validation row holds its features in the training file's order.
  const features = trainHeader.filter((name) => name !== 'y');
  const rows = Array.from({ length: dataset.validation.rows }, (_, r) =>
    Array.from(dataset.validation.x.subarray(r * features.length, (r + 1) * features.length)),
  );
  const expected = Array.from({ length: ROWS }, (_, r) => features.map((name) => cellFor(name, r + ROWS)));
  expect(rows.sort((a, b) => a[0]! - b[0]!)).toEqual(expected);
}

async function checkTarget({ cells, task }: TargetCase): Promise<void> {
  const content = ['x,y', ...cells.map((cell, index) => `${index},"${cell.text}"`)].join('\n') + '\n';
  await writeFile(path.join(directory, 'target.csv'), content);
  let dataset;
  try {
    dataset = await load(
      `  train: target.csv\n  target: y\n  validationSplit: 0${task === undefined ? '' : `\n  task: ${task}`}`,
    );
  } catch (error) {
    expectUserError(error, configFile());
    return;
  }
  const findings = checkData({ data: dataset.summary });
  const hasText = cells.some((cell) => cell.kind === 'text');
  if (dataset.summary.task === 'regression' && hasText) {
    const labelFinding = findings.find((finding) => finding.symptom === 'data-label-invalid');
    expect(labelFinding?.severity).toBe('critical');
    expect(labelFinding?.evidence.measured).toBe(cells.filter((cell) => cell.kind === 'text').length);
  }
}

describe('generated datasets', () => {
  it('validation columns reordered, missing or extra: read by name, or refused naming the columns', async () => {
    await fc.assert(fc.asyncProperty(validationCaseArbitrary, checkValidation), {
      seed: SEED,
      numRuns: RUNS.validation,
    });
  });

  it('targets mixing numbers, text and missing values: a ConvdocError, or checks that report text in a regression target', async () => {
    await fc.assert(fc.asyncProperty(targetCaseArbitrary, checkTarget), { seed: SEED, numRuns: RUNS.targets });
  });
});
