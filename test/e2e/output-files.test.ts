import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

/** Iris with its data beside the config, in a folder of its own that the tests may write into. */
const CONFIG = ['version: 1', 'data: {train: iris.csv, target: species}', 'model:', '  layers:'].join('\n');
const LAYERS = '\n    - {type: dense, units: 3, activation: softmax}\n';

let directory: string;
beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'convdoc-outputs-'));
  copyFileSync(path.join(ROOT, 'fixtures/iris/iris.csv'), path.join(directory, 'iris.csv'));
  writeFileSync(path.join(directory, 'convdoc.yaml'), CONFIG + LAYERS);
  writeFileSync(path.join(directory, 'missing-data.yaml'), CONFIG.replace('iris.csv', 'gone.csv') + LAYERS);
  copyFileSync(path.join(ROOT, 'fixtures/iris/iris.csv'), path.join(directory, 'val.csv'));
  writeFileSync(
    path.join(directory, 'val.yaml'),
    CONFIG.replace('target: species', 'target: species, validation: val.csv') + LAYERS,
  );
  copyFileSync(path.join(ROOT, 'fixtures/logs/keras-overfitting.csv'), path.join(directory, 'training.log'));
  writeFileSync(path.join(directory, 'model.json'), '{}\n');
  writeFileSync(path.join(directory, 'model-file.yaml'), `${CONFIG.replace('  layers:', '  file: model.json')}\n`);
});

describe('output files never harm what they touch', () => {
  it.skipIf(process.getuid?.() !== 0)(
    '-o at a character device writes into it and leaves it a device (skipped unless root: mknod needs root)',
    () => {
      const device = path.join(directory, 'null');
      execFileSync('mknod', [device, 'c', '1', '3']);
      const { code, stdout, stderr } = runCli(['inspect', 'convdoc.yaml', '-o', device], { cwd: directory });
      expect([code, stderr]).toEqual([0, '']);
      expect(stdout).toBe('');
      expect(statSync(device).isCharacterDevice()).toBe(true);
    },
  );

  it('-o /dev/stdout prints the report', () => {
    const { code, stdout } = runCli(['inspect', 'convdoc.yaml', '--json', '-o', '/dev/stdout'], { cwd: directory });
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ command: 'inspect', verdict: 'healthy' });
  });

  it.each([
    ['the config file', ['inspect', 'convdoc.yaml', '-o', 'convdoc.yaml'], 'convdoc.yaml'],
    ['a symlink to the config file', ['inspect', 'convdoc.yaml', '-o', 'link.yaml'], 'convdoc.yaml'],
    ['the data file, as --html', ['diagnose', 'convdoc.yaml', '--html', 'iris.csv'], 'iris.csv'],
    ['the data file, as --trace-out', ['diagnose', 'convdoc.yaml', '--trace-out', './iris.csv'], 'iris.csv'],
    ['the data of inspect <csv>', ['inspect', 'iris.csv', '-o', 'iris.csv'], 'iris.csv'],
    ['the data of init', ['init', 'iris.csv', '--force', '-o', 'iris.csv'], 'iris.csv'],
    ['the config of fix', ['fix', 'convdoc.yaml', '--apply', 'normalize', '-o', 'convdoc.yaml'], 'convdoc.yaml'],
    ['data.validation', ['inspect', 'val.yaml', '-o', 'val.csv'], 'val.csv'],
    ['model.file', ['diagnose', 'model-file.yaml', '--html', 'model.json'], 'model.json'],
    ['the log of analyze', ['analyze', 'training.log', '-o', 'training.log'], 'training.log'],
  ])('refuses to write over an input: %s', (_, args, input) => {
    symlinkSync('convdoc.yaml', path.join(directory, 'link.yaml'), 'file');
    try {
      const before = readFileSync(path.join(directory, input), 'utf8');
      const { code, stderr } = runCli(args, { cwd: directory });
      expect(code).toBe(2);
      expect(stderr).toMatch(
        /: this is (the config file|data\.train|data\.validation|model\.file|the data file|the log) \(.*\), which the command reads; writing there would overwrite it\. Choose another (-o|--html|--trace-out) file\.\n$/,
      );
      expect(readFileSync(path.join(directory, input), 'utf8')).toBe(before);
    } finally {
      unlinkSync(path.join(directory, 'link.yaml'));
    }
  });

  it('finds an unwritable --html before it reads the data, so before any probe', () => {
    const { code, stderr } = runCli(['diagnose', 'missing-data.yaml', '--html', 'no/such/folder/r.html'], {
      cwd: directory,
    });
    expect(code).toBe(2);
    expect(stderr).toBe(
      'no/such/folder/r.html: cannot write the output file (ENOENT). Check that its folder exists and is writable.\n',
    );
  });
});
