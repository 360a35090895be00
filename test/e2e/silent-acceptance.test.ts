/**
 * Issue 15, "no silent acceptance", through the built CLI: each input here was accepted before
 * (exit 0, or a probe that blamed the wrong thing) and is now refused in one line at its key, or
 * reported as a finding.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

let directory: string;
const write = (name: string, text: string) => writeFileSync(path.join(directory, name), text);
const IRIS_LAYERS =
  '  layers:\n    - {type: dense, units: 8, activation: relu}\n    - {type: dense, units: 3, activation: softmax}\n';

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-silent-'));
  const iris = readFileSync(path.join(ROOT, 'fixtures/iris/iris.csv'), 'utf8').trimEnd().split('\n');
  write('train.csv', iris.slice(0, 121).join('\n') + '\n');
  const validation = iris.slice(121).map((line) => line.split(','));
  // The header's last feature column dropped from every row: 3 features and the target.
  write(
    'val-missing.csv',
    [
      'sepal_length,sepal_width,petal_length,species',
      ...validation.map((cells) => [...cells.slice(0, 3), cells[4]].join(',')),
    ].join('\n') + '\n',
  );
  const irisConfig = (extra: string) =>
    `version: 1\ndata:\n  train: train.csv\n  target: species\n${extra}model:\n${IRIS_LAYERS}training: {optimizer: adam, loss: sparseCategoricalCrossentropy}\n`;
  write('val-missing.yaml', irisConfig('  validation: val-missing.csv\n'));
  write('typo.yaml', irisConfig('').replace('activation: relu', 'activaton: relu'));
  write('big-batch.yaml', irisConfig('').replace('optimizer: adam,', 'optimizer: adam, batchSize: 500,'));
  const boston = readFileSync(path.join(ROOT, 'fixtures/boston/housing.csv'), 'utf8').trimEnd().split('\n');
  // Boston housing with three prices written as text.
  for (const [line, text] of [
    [5, 'twenty'],
    [9, '21.5k'],
    [20, 'n/a?'],
  ] as const)
    boston[line] = boston[line]!.replace(/,[^,]*$/, `,${text}`);
  write('boston-text.csv', boston.join('\n') + '\n');
  write(
    'text-target.yaml',
    'version: 1\ndata: {train: boston-text.csv, target: medv, task: regression, normalize: standardize}\nmodel:\n  layers:\n    - {type: dense, units: 8, activation: relu}\n    - {type: dense, units: 1}\ntraining: {optimizer: adam}\nprobe: {steps: 5}\n',
  );
  // keras2-mlp.json declares Boston's 13 features; iris has 4.
  write(
    'keras-shape.yaml',
    `version: 1\ndata: {train: train.csv, target: petal_width, features: [sepal_length, sepal_width, petal_length]}\nmodel: {file: ${path.join(ROOT, 'fixtures/models/keras2-mlp.json')}}\ntraining: {optimizer: adam, loss: meanSquaredError}\nprobe: {steps: 5}\n`,
  );
});

const findingsOf = (stdout: string) =>
  (JSON.parse(stdout) as { findings: { symptom: string; severity: string; message: string; advice?: string }[] })
    .findings;

describe('no silent acceptance', () => {
  it('a validation file missing a column: exit 2, one line at data.validation naming it', () => {
    const { code, stderr } = runCli(['diagnose', 'val-missing.yaml'], { cwd: directory });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toEqual([
      'val-missing.yaml:5:15: data.validation: the validation file val-missing.csv lacks column "petal_width" of train.csv. Give it the training file\'s columns (their order may differ).',
    ]);
  });

  it('a typo inside a layer: exit 2, one line at the key with a did-you-mean', () => {
    const { code, stderr } = runCli(['diagnose', 'typo.yaml'], { cwd: directory });
    expect(code).toBe(2);
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(
      /^typo\.yaml:7:31: model\.layers\.0\.activaton: unknown key "activaton" in this dense layer\. Did you mean "activation"\?/,
    );
  });

  it('text in a regression target: data-label-invalid in inspect and diagnose, and nothing points at a data-nan finding', () => {
    const inspect = runCli(['inspect', 'text-target.yaml', '--json'], { cwd: directory });
    expect(inspect.code).toBe(1);
    expect(findingsOf(inspect.stdout).map(({ symptom, severity }) => [symptom, severity])).toEqual([
      ['data-label-invalid', 'critical'],
    ]);
    const diagnose = runCli(['diagnose', 'text-target.yaml', '--json'], { cwd: directory });
    expect(diagnose.code).toBe(1);
    const findings = findingsOf(diagnose.stdout);
    expect(findings[0]).toMatchObject({ symptom: 'data-label-invalid', severity: 'critical' });
    expect(findings[0]!.message).toContain('3 rows of 506 hold text in the regression target medv');
    expect(findings.some(({ symptom }) => symptom === 'data-nan')).toBe(false);
    expect(diagnose.stdout).not.toContain('data-nan');
  });

  it('a model file declaring 13 features probed on 3: a critical config-shape-mismatch', () => {
    const { code, stdout } = runCli(['diagnose', 'keras-shape.yaml', '--json'], { cwd: directory });
    expect(code).toBe(1);
    const finding = findingsOf(stdout).find(({ symptom }) => symptom === 'config-shape-mismatch');
    expect(finding).toMatchObject({ severity: 'critical' });
    expect(finding!.message).toMatch(
      /keras2-mlp\.json declares an input of shape \[13\], but the data's examples have shape \[3\]/,
    );
  });

  it('batchSize above the training rows: an info finding that states the effective batch', () => {
    const { stdout } = runCli(['diagnose', 'big-batch.yaml', '--json', '--steps', '5'], { cwd: directory });
    const finding = findingsOf(stdout).find(({ symptom }) => symptom === 'config-shape-mismatch');
    expect(finding).toMatchObject({ severity: 'info' });
    expect(finding!.message).toBe(
      'training.batchSize is 500, but an epoch trains on 96 rows: the effective batch is 96, the whole training set, so each epoch is one update.',
    );
  });
});
