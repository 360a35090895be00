import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

describe('convdoc diagnose --apply-fix', () => {
  it('measures a fix named twice once', () => {
    const { code, stdout } = runCli([
      'diagnose',
      'examples/lr-too-low/convdoc.yaml',
      '--apply-fix',
      'lr-schedule,lr-schedule',
      '--json',
    ]);
    expect(code).toBe(1);
    expect(
      JSON.parse(stdout).trials.map((trial: { fixes: string[]; seeds: number }) => [
        trial.fixes.join('+'),
        trial.seeds,
      ]),
    ).toEqual([
      ['', 5],
      ['lr-schedule', 5],
    ]);
  });

  it('gives the same trials with worker processes as in one process', () => {
    const run = (workers: string) => {
      const { code, stdout } = runCli([
        'diagnose',
        'examples/boston-unscaled/convdoc.yaml',
        '--apply-fix',
        'all',
        '--steps',
        '60',
        '--workers',
        workers,
        '--json',
      ]);
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      return {
        trials: report.trials.map(({ seconds: _seconds, ...trial }: { seconds: number }) => trial),
        lrRangeTest: report.lrRangeTest,
      };
    };
    const inProcess = run('0');
    expect(inProcess.trials.length).toBeGreaterThan(3);
    expect(inProcess.trials.every((trial: { curve?: { step: number[] } }) => trial.curve!.step.length > 0)).toBe(true);
    expect(inProcess.lrRangeTest.learningRate.length).toBeGreaterThan(10);
    expect(run('2')).toEqual(inProcess);
  });

  it('the text report shows the before/after table and the config to run next', () => {
    const { code, stdout } = runCli(['diagnose', 'examples/boston-unscaled/convdoc.yaml', '--apply-fix', 'normalize']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Measured fixes\n +fixes +seeds +validation loss at end \(last tenth; mean of seeds\) +lowest training loss/,
    );
    expect(stdout).toContain(
      'recommended config: normalize, verified on 5 seeds; write it with convdoc fix examples/boston-unscaled/convdoc.yaml --apply normalize -o fixed.yaml',
    );
  });

  it('says which fixes asked for were not measured, and why', () => {
    const { code, stdout } = runCli([
      'diagnose',
      'examples/boston-standardized/convdoc.yaml',
      '--apply-fix',
      'normalize,search',
      '--json',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).untriedFixes).toEqual([
      { fix: 'normalize', why: 'changes nothing in this config' },
      { fix: 'search', why: 'not a config change: run convdoc search' },
    ]);
  });

  it('says no fix is needed for a healthy run', () => {
    const { code, stdout } = runCli(['diagnose', 'examples/iris-healthy/convdoc.yaml', '--apply-fix', 'suggested']);
    expect(code).toBe(0);
    expect(stdout).toContain('  none needed: the run is healthy.');
  });

  it('says none of the six fixes repairs a config bug, and shows the edit instead', () => {
    const { code, stdout } = runCli(['diagnose', 'examples/softmax-one-unit/convdoc.yaml', '--apply-fix', 'suggested']);
    expect(code).toBe(1);
    expect(stdout).toContain(
      'edit: examples/softmax-one-unit/convdoc.yaml:15:43 model.layers.2.activation: softmax → sigmoid',
    );
    expect(stdout).toContain(
      '  none tried: none of the six fixes repairs a config bug; make the edit shown above, then diagnose again.',
    );
  });
});
