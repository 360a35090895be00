import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-big-'));
const config = (name: string, layers: string, extra = '', data = '') => {
  const file = path.join(directory, `${name}.yaml`);
  writeFileSync(
    file,
    `version: 1\ndata: {train: ${JSON.stringify(path.join(ROOT, 'fixtures/boston/housing.csv'))}, target: medv, normalize: standardize${data}}\nmodel:\n  layers: ${layers}\ntraining: {optimizer: adam, batchSize: 100}\nprobe: {steps: 2, evalEvery: 1${extra}}\n`,
  );
  return file;
};

describe('models too big for the probe', () => {
  it('exit 2 before training, with parameters, activations and the options', () => {
    // 8 MB of activations per row in a 2M-unit layer: ~4.8 GB for a step of 100 rows, past wasm's heap.
    const file = config('too-big', '[{type: dense, units: 2000000}, {type: dense, units: 1}]');
    const { code, stdout, stderr } = runCli(['diagnose', file, '--json', '--backend', 'wasm']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^the model is too big for this probe on wasm: 30.0M parameters .* per training step of 100; .* Options: set probe.batchSize to \d+ or less .*--backend node .*\.\n$/,
    );
  });
});

describe('models too slow for the probe', () => {
  it('exit 2 before training when the shortest probe cannot fit in probe.maxSeconds, with the times and the options (the step is not run when its forward passes already cannot fit)', () => {
    // No model's step fits in a microsecond: the refusal path, without a model that is really slow.
    const file = config('too-slow', '[{type: dense, units: 8}, {type: dense, units: 1}]', ', maxSeconds: 0.000001');
    const { code, stdout, stderr } = runCli(['diagnose', file, '--json', '--backend', 'wasm']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^the model is too big for this probe's time budget on wasm: one training step of 100 rows takes at least \S+ s here \(3 timed forward passes; too slow to time one\) and each evaluation of \d+ rows about \S+ s, .* more than the 0\.0 s left of probe\.maxSeconds \(0\.000001 s\)\. Options: probe\.maxSeconds: \d+ for the 2 planned steps .*--backend node .*\.\n$/,
    );
  });
});

describe("tfjs's own console output", () => {
  // tfjs-layers warns "Ignoring unroll = true for RNN layer, due to imperative backend." on each call of such a layer.
  const file = config(
    'unroll',
    '[{type: simpleRNN, units: 4, unroll: true}, {type: dense, units: 1}]',
    '',
    ', inputShape: [13, 1]',
  );

  it('stays off stdout and out of --json, and off stderr without --debug', () => {
    const { stdout, stderr } = runCli(['diagnose', file, '--json']);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stdout).not.toMatch(/Ignoring unroll/);
    expect(stderr).toBe('');
  });

  it('goes to stderr, marked, with --debug', () => {
    const { stdout, stderr } = runCli(['diagnose', file, '--json', '--debug']);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(stderr).toMatch(/\[library\] Ignoring unroll = true for RNN layer/);
  });
});
