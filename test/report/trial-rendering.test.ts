import { Chalk } from 'chalk';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/index.js';
import type { Report } from '../../src/report/report.js';
import { renderText } from '../../src/report/text.js';
import type { Trial } from '../../src/trials/trial-stats.js';
import { diagnosedFixture, TRIALS } from './fixtures/reports.js';

const options = { paint: new Chalk({ level: 0 }), failOn: 'critical' as const };
const [baseline, normalize] = TRIALS as [Trial, Trial, Trial];
/** A fix that diverged as the diverged baseline did: paired per seed, its "improvement" is 0 or −∞. */
const DIVERGED_TOO: Trial = {
  ...normalize,
  fixes: ['clip'],
  finalLoss: Number.POSITIVE_INFINITY,
  diverged: true,
  improvement: 0,
  improvementInterval: [0, 0],
  verified: false,
};

describe('trials in the reports', () => {
  let report: Report;
  beforeAll(async () => {
    report = (await diagnosedFixture('boston-unscaled')).report;
  });

  it('a fix that diverged with its baseline reads "both diverged", never an improvement', () => {
    const text = renderText({ ...report, trials: [baseline, normalize, DIVERGED_TOO] }, options);
    const row = text.split('\n').find((line) => line.trimStart().startsWith('clip'))!;
    expect(row).toContain('both diverged');
    expect(row).not.toMatch(/−∞|-Infinity|0%/);
  });

  it('a fix that diverged where the baseline did not reads "fix diverged"', () => {
    const finite = { ...baseline, finalLoss: 50, diverged: false };
    const text = renderText({ ...report, trials: [finite, { ...DIVERGED_TOO, improvement: -Infinity }] }, options);
    expect(text.split('\n').find((line) => line.trimStart().startsWith('clip'))).toContain('fix diverged');
  });

  it('says which schedule ran compressed and where each trial is projected to end the plan', () => {
    const scheduled: Trial = {
      ...normalize,
      fixes: ['lr-schedule'],
      compressedSchedule: {
        trialSteps: 300,
        plannedSteps: 140000,
        measured: { type: 'cosine', decaySteps: 300, alpha: 0, warmupSteps: 15 },
      },
    };
    const projected = { ...normalize, projectedLoss: 12.5 };
    const withPlan: Report = {
      ...report,
      probe: { ...report.probe!, plan: { steps: 140000, source: 'steps', end: null } },
      trials: [{ ...baseline, projectedLoss: 80 }, projected, scheduled],
    };
    const expected = [
      "lr-schedule: the cosine schedule ran compressed to the trial's 300 steps (warmup 15, decay 300); " +
        'the config is written for the planned 140000 steps',
      'loss projected to the planned end (step 140000): baseline 80, normalize 12.5; the measured loss decides "verified"',
    ];
    const text = renderText(withPlan, options);
    const html = renderHtml(withPlan);
    for (const note of expected) {
      expect(text).toContain(note);
      expect(html).toContain(note.replaceAll('"', '&quot;').replaceAll("'", '&#39;'));
    }
  });

  it('says which trial its second look ran longer, with the baseline, and that its row is from those runs', () => {
    const longer: Trial = { ...normalize, horizonSteps: 720, testLevel: 1 / 32, verified: true };
    const withPlan: Report = {
      ...report,
      probe: { ...report.probe!, plan: { steps: 8000, source: 'steps', end: null } },
      trials: [baseline, longer],
    };
    const note =
      "normalize: better on most seeds but not learned in the first look's runs, so run again with the baseline " +
      'on the same seeds over 720 steps of the planned 8000 (a second look, tested at 0.031); its row and ' +
      'improvement are from those runs';
    expect(renderText(withPlan, options)).toContain(note);
    expect(renderHtml(withPlan)).toContain(note.replaceAll("'", '&#39;'));
  });
});
