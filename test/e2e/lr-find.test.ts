/**
 * `lrFind` on the examples, in-process (the CLI command is registered in src/cli/main.ts separately;
 * these test the library function it calls and the text it prints).
 */
import path from 'node:path';
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { lrFind } from '../../src/commands/lr-find.js';
import { ConvdocError, UsageError } from '../../src/errors.js';
import { renderLrFindText } from '../../src/report/lr-find-text.js';
import type { LrFindResult } from '../../src/trials/lr-find.js';
import { runCli } from './run-cli.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (name: string) => path.join(ROOT, 'examples', name, 'convdoc.yaml');
const results = new Map<string, Promise<LrFindResult>>();
/** One sweep per example for the whole file (a sweep is ~0.2 s). */
const find = (name: string) => {
  if (!results.has(name)) results.set(name, lrFind(example(name), { backend: 'wasm' }));
  return results.get(name)!;
};
const plain = new Chalk({ level: 0 });

describe('lrFind on the examples', () => {
  it('lr-too-high (SGD at 0.05, which diverges): suggests a lower rate, and the edits to make', async () => {
    const result = await find('lr-too-high');
    expect(result.suggested).not.toBeNull();
    expect(result.suggested!).toBeLessThan(0.05);
    expect(result.current.learningRate).toBe(0.05);
    expect(result.sweep).toMatchObject({ minLr: 1e-7, maxLr: 10, stepsPlanned: 100, stoppedEarly: 'diverged' });
    expect(result.edits.map(({ key, from }) => [key, from])).toEqual([
      ['training.learningRate', 0.05],
      ['training.schedule', null],
    ]);
    const [rate, schedule] = result.edits;
    expect(rate!.to).toBeLessThan(0.05);
    expect(rate).toMatchObject({ line: 18, column: 17 });
    // 506 rows less 20% for validation (101) in batches of 32: 13 steps per epoch, over the default 100 epochs.
    expect(schedule!.to).toEqual({ type: 'cosine', decaySteps: 1300 });
    expect(result.schedule).toEqual({ type: 'cosine', decaySteps: 1300, alpha: 0, warmupSteps: 0 });
  });

  it('lr-too-low (SGD at 1e-5, which barely moves): suggests a higher rate', async () => {
    const result = await find('lr-too-low');
    expect(result.suggested!).toBeGreaterThan(1e-5);
    expect(result.edits[0]).toMatchObject({ key: 'training.learningRate', from: 0.00001 });
    expect(result.edits[0]!.to).toBeGreaterThan(1e-5);
  });

  it('returns plain data that survives JSON: rates, losses, smoothed curve, both suggestions and the schedule', async () => {
    const result = JSON.parse(JSON.stringify(await find('lr-too-high')));
    expect(Object.keys(result)).toEqual(
      expect.arrayContaining([
        'learningRate',
        'loss',
        'smoothed',
        'steepest',
        'valley',
        'agree',
        'suggested',
        'reason',
        'schedule',
        'edits',
      ]),
    );
    expect(result.learningRate).toHaveLength(result.loss.length);
    expect(result.smoothed.length).toBeLessThan(result.loss.length);
    expect(typeof result.agree).toBe('boolean');
  });

  it('prints the curve, both suggestions, whether they agree, and the config keys to change', async () => {
    const text = renderLrFindText(await find('lr-too-high'), { paint: plain });
    expect(text).toMatch(/^convdoc lr-find {2}\S*examples\/lr-too-high\/convdoc\.yaml$/m);
    expect(text).toMatch(
      /^sweep: sgd, meanSquaredError; \d+ of 100 steps from 1e-7 to [\d.]+ on wasm in [\d.]+ s; stopped at [\d.]+: the smoothed loss passed 4× its best$/m,
    );
    // The plot: 12 rows between the y labels, the rate axis with decade labels, S and V marked.
    const plotRows = text.split('\n').filter((line) => /^ +\S* [┤│]/.test(line));
    expect(plotRows).toHaveLength(12);
    expect(plotRows.join('\n')).toContain('S');
    expect(plotRows.join('\n')).toContain('V');
    expect(text).toMatch(/└[─┬]{60}\n +1e-6 +1e-5 +1e-4 +0\.001 +0\.01/);
    expect(text).toMatch(
      /^S steepest descent [\d.e-]+ {3}V valley [\d.e-]+ {3}(agree \(within 3×\)|disagree \(more than 3× apart\))$/m,
    );
    // The rate it suggests is the rate the edit writes (issue 15: it said 0.045 and wrote 0.05).
    const suggested =
      /^suggested initial learning rate: ([\d.e-]+) \((?:[\d.e-]+ rounded; )?configured: 0\.05\)$/m.exec(text)?.[1];
    expect(suggested).toBe(/training\.learningRate: 0\.05 → ([\d.e-]+)$/m.exec(text)?.[1]);
    expect(text).toMatch(/^schedule: cosine decay to 0 over the run, 100 epochs × 13 steps = 1300 steps$/m);
    expect(text).toMatch(/^ {2}\S*convdoc\.yaml:18:17 {2}training\.learningRate: 0\.05 → 0\.00\d+$/m);
    expect(text).toMatch(
      /^ {2}\S*convdoc\.yaml:\d+:\d+ {2}training\.schedule: null → \{type: cosine, decaySteps: 1300\}$/m,
    );
  });

  it('a run the rate cannot fix (sigmoid output on a regression target): no suggestion, no edits, the reason', async () => {
    const result = await find('sigmoid-regression');
    expect(result).toMatchObject({ suggested: null, schedule: null, edits: [] });
    expect(renderLrFindText(result, { paint: plain })).toMatch(
      /^no suggestion: the loss never fell clearly .*see convdoc diagnose\.$/m,
    );
  });

  it('bad input is a ConvdocError (exit 2): a missing config, too few steps', async () => {
    await expect(lrFind(path.join(ROOT, 'examples/none/convdoc.yaml'), { backend: 'wasm' })).rejects.toThrow(
      ConvdocError,
    );
    await expect(lrFind(example('lr-too-high'), { backend: 'wasm', steps: 10 })).rejects.toThrow(UsageError);
  });
});

describe('convdoc lr-find on the command line', () => {
  it('prints the curve and the change to make, and --json the result, exit 0', () => {
    const text = runCli(['lr-find', 'examples/lr-too-low/convdoc.yaml']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('learning rate (log scale)');
    expect(text.stdout).toMatch(/examples\/lr-too-low\/convdoc\.yaml:\d+:\d+ {2}training\.learningRate: 0\.00001 → /);
    const json = runCli(['lr-find', 'examples/lr-too-low/convdoc.yaml', '--json']);
    expect(JSON.parse(json.stdout).suggested).toBeGreaterThan(1e-3);
  });
});
