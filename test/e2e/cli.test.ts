import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const UNSCALED = 'examples/boston-unscaled/convdoc.yaml';
const STANDARDIZED = 'examples/boston-standardized/convdoc.yaml';

describe('convdoc --help', () => {
  it('lists every command of docs/commands.md and exits 0', () => {
    const { code, stdout } = runCli(['--help']);
    expect(code).toBe(0);
    for (const command of ['diagnose', 'fix', 'lr-find', 'search', 'analyze', 'inspect', 'init', 'schema'])
      expect(stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
  });
});

describe('convdoc inspect', () => {
  it('finds unscaled inputs in raw Boston housing, naming tax and b first, and exits 1', () => {
    const { code, stdout, stderr } = runCli(['inspect', UNSCALED]);
    expect(code).toBe(1);
    expect(stderr).toBe('');
    expect(stdout).toContain('✖ critical  unscaled-inputs');
    expect(stdout).toContain('8 of 13 features exceed RMS 10: tax (RMS 442), b (RMS 368)');
    expect(stdout).toContain('1. normalize:');
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('✖ unhealthy: 1 critical finding, 0 warnings, 0 info');
  });

  it('is healthy for the same data with normalize: standardize, and exits 0', () => {
    const { code, stdout } = runCli(['inspect', STANDARDIZED]);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe('✔ healthy: 0 critical findings, 0 warnings, 0 info');
  });

  it('prints only the JSON report with --json', () => {
    const { code, stdout } = runCli(['inspect', UNSCALED, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      schemaVersion: 1,
      tool: { name: 'convdoc' },
      command: 'inspect',
      config: UNSCALED,
      backend: null,
      seed: 42,
      verdict: 'unhealthy',
    });
    expect(report.data).toMatchObject({ rows: 506, features: 13, task: 'regression' });
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(['unscaled-inputs']);
    expect(report.findings[0].columns.slice(0, 2)).toEqual(['tax', 'b']);
    expect(report.recommendedFixes).toEqual([{ fix: 'normalize', rank: 1, because: ['unscaled-inputs'] }]);
  });

  it('inspects a CSV directly, the last column as target', () => {
    const { code, stdout } = runCli(['inspect', 'fixtures/iris/iris.csv', '--format', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).data).toMatchObject({
      task: 'multiclass',
      classes: [
        { label: 'setosa', count: 50 },
        { label: 'versicolor', count: 50 },
        { label: 'virginica', count: 50 },
      ],
    });
  });

  it.each([
    ['never', 0],
    ['critical', 1],
  ])('exits by --fail-on %s', (failOn, expected) => {
    expect(runCli(['inspect', UNSCALED, '--fail-on', failOn]).code).toBe(expected);
  });

  it('fails on warnings with --fail-on warning', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-warn-'));
    const rows = Array.from({ length: 40 }, (_, index) => `${index % 7},${index === 0 ? 1 : 0}`).join('\n');
    await writeFile(path.join(directory, 'rare.csv'), `x,y\n${rows}\n`);
    expect(runCli(['inspect', 'rare.csv'], { cwd: directory }).code).toBe(0);
    const strict = runCli(['inspect', 'rare.csv', '--fail-on', 'warning'], { cwd: directory });
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain('⚠ warning  class-imbalance');
  });

  it('writes the report atomically with -o and prints nothing on stdout', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-out-'));
    const output = path.join(directory, 'report.json');
    const { code, stdout } = runCli(['inspect', UNSCALED, '--json', '-o', output]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(JSON.parse(readFileSync(output, 'utf8')).verdict).toBe('unhealthy');
    expect(await readdir(directory)).toEqual(['report.json']);
  });
});

describe('convdoc schema', () => {
  it('prints the config JSON Schema that the repo ships', () => {
    const { code, stdout } = runCli(['schema', 'config']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(JSON.parse(readFileSync(path.join(ROOT, 'schema/convdoc.schema.json'), 'utf8')));
  });
});

describe('convdoc init', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'convdoc-init-'));
  });

  it.each([
    ['fixtures/boston/housing.csv', ['--target', 'medv'], 'task: regression', 'loss: meanSquaredError'],
    ['fixtures/iris/iris.csv', [], 'task: multiclass', '{type: dense, units: 3, activation: softmax}'],
    ['fixtures/circles/circles.csv', [], 'task: binary', 'loss: binaryCrossentropy'],
  ])('writes a commented starter config for %s that inspect accepts', (data, flags, task, line) => {
    const output = path.join(directory, `${path.basename(data, '.csv')}.yaml`);
    const written = runCli(['init', path.join(ROOT, data), ...flags, '-o', output]);
    expect(written.code).toBe(0);
    expect(written.stderr).toContain('wrote ');
    const text = readFileSync(output, 'utf8');
    expect(text).toContain(task);
    expect(text).toContain(line);
    const keyLines = text.split('\n').filter((row) => /^\s*(\w+:|- )/.test(row));
    expect(keyLines.filter((row) => !row.includes(' # '))).toEqual([]);
    expect(runCli(['inspect', output]).code).toBe(0);
  });

  it('prints to stdout with -o -', () => {
    const { code, stdout } = runCli(['init', 'fixtures/xor/xor.csv', '-o', '-']);
    expect(code).toBe(0);
    expect(stdout).toContain('train: "fixtures/xor/xor.csv"');
  });

  it('does not overwrite an existing config without --force', () => {
    const output = path.join(directory, 'housing.yaml');
    const again = runCli(['init', 'fixtures/boston/housing.csv', '-o', output]);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toMatch(
      /housing\.yaml already exists\. Pass --force to overwrite it, or -o to choose another file\.\n$/,
    );
  });
});

/** Bad input of every kind: exit 2, nothing on stdout, and exactly one line on stderr that says where and what to do. */
describe('bad input', () => {
  let directory: string;
  const files: Record<string, string> = {
    'ok.csv': 'a,b,y\n1,2,0\n3,4,1\n',
    'ragged.csv': 'a,b,y\n1,2,0\n3,4\n',
    'text.csv': 'a,b,y\n1,2,0\n3,red,1\n',
    'empty.csv': '',
    'bad-yaml.yaml': 'version: 1\ndata:\n  train: ok.csv\n   target: y\n',
    'bad-key.yaml':
      'version: 1\ndata: {train: ok.csv, target: y}\nmodel: {layers: [{type: dense, units: 1}]}\ntraining: {lerningRate: 0.1}\n',
    'no-target.yaml': 'version: 1\ndata: {train: ok.csv, target: z}\nmodel: {layers: [{type: dense, units: 1}]}\n',
    'no-data.yaml': 'version: 1\ndata: {train: missing.csv, target: y}\nmodel: {layers: [{type: dense, units: 1}]}\n',
    'ragged.yaml': 'version: 1\ndata: {train: ragged.csv, target: y}\nmodel: {layers: [{type: dense, units: 1}]}\n',
    'lambda.yaml':
      'version: 1\ndata: {train: ok.csv, target: y}\nmodel:\n  layers:\n    - {type: dense, units: 4}\n    - {type: lambda, function: x}\n',
    'rleu.yaml':
      'version: 1\ndata: {train: ok.csv, target: y}\nmodel: {layers: [{type: dense, units: 1, activation: rleu}]}\n',
  };
  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'convdoc-bad-'));
    await Promise.all(Object.entries(files).map(([name, content]) => writeFile(path.join(directory, name), content)));
  });

  it.each([
    [
      'a config that is not YAML',
      ['inspect', 'bad-yaml.yaml'],
      'bad-yaml.yaml:3:10: not valid YAML or JSON: Nested mappings are not allowed in compact mappings',
    ],
    [
      'a misspelt config key',
      ['inspect', 'bad-key.yaml'],
      'bad-key.yaml:4:12: training.lerningRate: unknown key "lerningRate". Did you mean "learningRate"?',
    ],
    [
      'a target that is not a column',
      ['inspect', 'no-target.yaml'],
      'no-target.yaml:2:31: data.target: there is no column "z" in ok.csv.',
    ],
    [
      'a data file that does not exist, at the config key that names it',
      ['inspect', 'no-data.yaml'],
      'no-data.yaml:2:15: data.train: missing.csv: cannot read the data file (ENOENT). Check the path.',
    ],
    [
      'a config that does not exist',
      ['inspect', 'nope.yaml'],
      'nope.yaml: cannot read the config file (ENOENT). Check the path.',
    ],
    ['a ragged row', ['inspect', 'ragged.yaml'], 'ragged.csv:3: row has 2 fields but the header has 3.'],
    [
      'a non-numeric feature',
      ['inspect', 'text.csv'],
      'text.csv:3: feature column "b" has the non-numeric value "red".',
    ],
    ['an empty data file', ['inspect', 'empty.csv'], 'empty.csv: the file is empty.'],
    [
      'a --target that is not a column',
      ['inspect', 'ok.csv', '--target', 'q'],
      'ok.csv: there is no column "q" (named as a target).',
    ],
    ['an unknown option', ['inspect', 'ok.csv', '--colour'], "error: unknown option '--colour'"],
    [
      'a bad --fail-on',
      ['inspect', 'ok.csv', '--fail-on', 'sometimes'],
      "error: option '--fail-on <severity>' argument 'sometimes' is invalid. Allowed choices are critical, warning, never.",
    ],
    [
      'a bad --seed',
      ['inspect', 'ok.csv', '--seed', '-1'],
      "error: option '--seed <n>' argument '-1' is invalid. expected a whole number >= 0.",
    ],
    [
      'an unknown command',
      ['diagnoze', 'x.yaml'],
      "error: unknown command 'diagnoze' (Did you mean diagnose?). Run convdoc --help for usage.",
    ],
    ['an unknown schema', ['schema', 'model'], 'convdoc schema: unknown schema "model". Use "config" or "report".'],
    [
      'an unsupported layer',
      ['diagnose', 'lambda.yaml'],
      'lambda.yaml:6:7: model.layers.1: layer type "lambda" is not supported. convdoc builds these tfjs-layers types: dense,',
    ],
    [
      'an unknown activation, checked before tfjs sees it',
      ['diagnose', 'rleu.yaml'],
      'rleu.yaml:3:54: model.layers.0.activation: unknown activation "rleu". Did you mean "relu"? Use one of: elu,',
    ],
    [
      'a bad --backend',
      ['diagnose', 'x.yaml', '--backend', 'gpu'],
      "error: option '--backend <backend>' argument 'gpu' is invalid. Allowed choices are auto, node, wasm, cpu.",
    ],
    [
      '--workers without --apply-fix',
      ['diagnose', 'x.yaml', '--workers', '1'],
      '--workers only applies with --apply-fix: a plain diagnose runs one probe.',
    ],
    [
      'a bad config with --apply-fix and workers',
      ['diagnose', 'nope.yaml', '--apply-fix', 'all', '--workers', '1'],
      'nope.yaml: cannot read the config file (ENOENT). Check the path.',
    ],
    [
      'an output folder that does not exist',
      ['inspect', 'ok.csv', '-o', 'no/such/dir/report.txt'],
      'no/such/dir/report.txt: cannot write the output file (ENOENT).',
    ],
  ])('%s', (_, args, expected) => {
    const { code, stdout, stderr } = runCli(args, { cwd: directory });
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.endsWith('\n') && stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(stderr).toContain(expected);
  });

  it('leaves no half-written file behind when it fails', () => {
    runCli(['inspect', 'text.csv', '-o', 'report.txt'], { cwd: directory });
    expect(existsSync(path.join(directory, 'report.txt'))).toBe(false);
  });

  it('prints the stack trace only with --debug', () => {
    const { code, stderr } = runCli(['inspect', 'text.csv', '--debug'], { cwd: directory });
    expect(code).toBe(2);
    expect(stderr).toMatch(/^\s+at /m);
  });
});
