import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const CONFIG = 'examples/boston-unscaled/convdoc.yaml';

/** A measured trial as `diagnose --apply-fix --json` writes it. */
function trial(fixes: string[], finalLoss: number | null, outcome: { verified?: boolean; lost?: boolean }) {
  return {
    fixes,
    finalLoss,
    bestLoss: finalLoss,
    valLoss: finalLoss,
    diverged: finalLoss === null,
    lost: outcome.lost ?? false,
    stepsToHalf: null,
    seconds: 1,
    seeds: 3,
    ...(outcome.verified === undefined ? {} : { verified: outcome.verified, improvement: 0.5 }),
    ...(outcome.verified === undefined ? {} : { improvementInterval: [0.4, 0.6] }),
  };
}

describe('convdoc fix --apply suggested', () => {
  let directory: string;
  let diagnosis: Record<string, unknown>;
  const reportWith = (name: string, changes: Record<string, unknown>) => {
    const file = path.join(directory, name);
    writeFileSync(file, JSON.stringify({ ...diagnosis, ...changes }));
    return file;
  };

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'convdoc-fix-suggested-'));
    const run = runCli(['diagnose', CONFIG, '--json']);
    diagnosis = JSON.parse(run.stdout) as Record<string, unknown>;
  });

  it('without a report writes only the top-ranked fix, not every recommended one together', () => {
    expect((diagnosis.recommendedFixes as { fix: string }[]).length).toBeGreaterThan(1);
    const { code, stderr } = runCli(['fix', CONFIG, '--apply', 'suggested']);
    expect(code).toBe(0);
    expect(stderr).toBe('applied normalize\n');
  });

  it('with a report writes the best verified trial, never a combination measured as lost', () => {
    const report = reportWith('measured.json', {
      trials: [
        trial([], 40, {}),
        trial(['normalize', 'lr-schedule', 'clip'], 2, { verified: false, lost: true }),
        trial(['normalize'], 9, { verified: true }),
        trial(['clip'], 8, { verified: true }),
      ],
    });
    const { code, stderr } = runCli(['fix', CONFIG, '--apply', 'suggested', '--report', report]);
    expect(code).toBe(0);
    expect(stderr).toBe('applied clip\n');
  });

  it.each([
    ['holds no trials', {}, 'the report holds no trials'],
    [
      'verified nothing',
      { trials: [trial([], 40, {}), trial(['normalize'], null, { verified: false })] },
      'no trial verified a fix on every seed',
    ],
    ['is of another config', { config: 'examples/lr-too-high/convdoc.yaml' }, 'not examples/boston-unscaled'],
    ['is not a report', { schemaVersion: 7 }, 'not a convdoc report: schemaVersion'],
  ])('refuses a report that %s, with exit 2', (name, changes, message) => {
    const report = reportWith(`${name.replaceAll(' ', '-')}.json`, changes);
    const { code, stderr } = runCli(['fix', CONFIG, '--apply', 'suggested', '--report', report]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses --report with explicit fix ids', () => {
    const { code, stderr } = runCli(['fix', CONFIG, '--apply', 'clip', '--report', 'x.json']);
    expect(code).toBe(2);
    expect(stderr).toContain('--report picks the verified fixes of --apply suggested');
  });
});
