/**
 * `search` on an example, in-process (the CLI command is registered in src/cli/main.ts separately;
 * these test the library function it calls and the text it prints).
 */
import path from 'node:path';
import { Chalk } from 'chalk';
import { Command } from '@commander-js/extra-typings';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerSearch } from '../../src/cli/search.js';
import { search } from '../../src/commands/search.js';
import { UsageError } from '../../src/errors.js';
import { renderSearchText } from '../../src/report/search-text.js';
import { winner } from '../../src/trials/search-evaluation.js';
import type { SearchResult } from '../../src/trials/search.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const example = (name: string) => path.join(ROOT, 'examples', name, 'convdoc.yaml');

describe('search on lr-too-low (SGD at 1e-5)', () => {
  let result: SearchResult;
  beforeAll(async () => {
    result = await search(example('lr-too-low'), { backend: 'wasm', trials: 6, budget: 600 });
  }, 60_000);

  it('runs the halving schedule within the budget and records every trial', () => {
    expect(result.rungs).toEqual([
      { trials: 6, steps: 50 },
      { trials: 2, steps: 150 },
    ]);
    expect(result.trials).toHaveLength(6);
    expect(result.search.stepsUsed).toBeLessThanOrEqual(600);
    expect(result.leaderboard).toHaveLength(6);
    expect(new Set(result.leaderboard).size).toBe(6);
    for (const trial of result.trials) {
      expect(trial.scores.length).toBe(trial.rungReached + 1);
      expect(trial.stepsUsed).toBe(trial.scores.reduce((sum, score) => sum + score.stepsRun, 0));
      expect(['halved', 'nan-loss', 'finished']).toContain(trial.stopped);
    }
    expect(result.trials.filter((trial) => trial.rungReached === 1)).toHaveLength(2);
    expect(result.trials.filter((trial) => trial.stopped === 'halved')).toHaveLength(4);
  });

  it('its best candidate beats the config as written, on the held-out run', () => {
    expect(result.best).not.toBeNull();
    expect(result.leaderboard[0]).toBe(result.best!.id);
    expect(result.evaluation.search!).toBeLessThan(result.evaluation.current);
    expect(result.evaluation.searchOverCurrent!).toBeGreaterThan(0);
    expect(result.edits.map((edit) => edit.key)).toContain('training.learningRate');
    expect(result.edits.find((edit) => edit.key === 'training.learningRate')).toMatchObject({
      from: 0.00001,
      to: result.best!.candidate.learningRate,
      line: 17,
    });
  });

  it('measures plain random search of the same budget and names the winner', () => {
    expect(result.random.runs).toHaveLength(2);
    expect(result.random.runs.every((run) => run.stepsRun <= result.fullSteps)).toBe(true);
    expect(result.random.stepsUsed).toBeLessThanOrEqual(600);
    expect(result.evaluation.winner).toBe(winner(result.evaluation.search, result.evaluation.random));
    expect(result.evaluation.seed).not.toBe(result.seed);
  });

  it('survives JSON and prints the leaderboard, the edits and both numbers', () => {
    const json = JSON.parse(JSON.stringify(result));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(['trials', 'leaderboard', 'best', 'edits', 'random', 'evaluation', 'rungs']),
    );
    const text = renderSearchText(result, { paint: new Chalk({ level: 0 }) });
    expect(text).toMatch(/^ {2}# +optimizer +lr +batch +rung +steps used +score +status$/m);
    // The best line names the run its score comes from (150 steps), not the steps its rungs used (200).
    expect(text).toMatch(/^best: .* \(score [\d.e-]+ on its last rung, a run of 150 steps\)$/m);
    expect(text).toMatch(/random search: 2 full runs of/);
    expect(text).toMatch(/training\.learningRate: 0\.00001 → /);
    expect(text).toMatch(/held-out run \(seed 1042, 300 steps\): search [\d.]+, random [\d.]+, your config [\d.]+/);
  });
});

describe('search input checks', () => {
  it('refuses a budget too small for the first rung', async () => {
    await expect(search(example('lr-too-low'), { backend: 'wasm', trials: 12, budget: 100 })).rejects.toThrow(
      UsageError,
    );
  });
});

describe('winner', () => {
  it('lower wins, within 1% ties, no pick loses', () => {
    expect(winner(1, 2)).toBe('search');
    expect(winner(2, 1)).toBe('random');
    expect(winner(1, 1.005)).toBe('tie');
    expect(winner(null, 1)).toBe('random');
    expect(winner(1, null)).toBe('search');
    expect(winner(null, null)).toBe('tie');
  });
});

describe('registerSearch', () => {
  it('wires the flags through to search and prints the JSON result with every trial', async () => {
    let out = '';
    let code = -1;
    const program = new Command('convdoc').exitOverride();
    registerSearch(
      program,
      { stdout: { write: (text: string) => (out += text) }, stderr: { write: () => true }, env: {} },
      (value) => (code = value),
    );
    await program.parseAsync(
      [
        'search',
        example('lr-too-low'),
        '--trials',
        '3',
        '--budget',
        '90',
        '--seed',
        '5',
        '--backend',
        'wasm',
        '--json',
      ],
      { from: 'user' },
    );
    const json = JSON.parse(out);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      command: 'search',
      seed: 5,
      budget: 90,
      rungs: [
        { trials: 3, steps: 15 },
        { trials: 1, steps: 45 },
      ],
    });
    expect(json.trials).toHaveLength(3);
  }, 30_000);
});
