import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { withTrials } from '../../src/report/measured-ranking.js';
import { bestVerifiedTrial } from '../../src/report/top-action.js';
import { reportSchema } from '../../src/report/report-schema.js';
import type { Report } from '../../src/report/report.js';
import { renderText } from '../../src/report/text.js';
import { trialFacts } from '../../src/report/trial-facts.js';
import type { Trial } from '../../src/trials/trial-stats.js';
import { diagnosedFixture, expectGolden, measuredFixture, TRIALS } from './fixtures/reports.js';

const text = (report: Report) => renderText(report, { failOn: 'critical', paint: new Chalk({ level: 0 }) });

/** The report's text from its recommended fixes to the end: what --apply-fix changes. */
const fromRecommendations = (output: string) => output.slice(output.indexOf('Recommended fixes'));

describe('the recommended fixes after trials', () => {
  it('rank by what was measured: verified, then not verified, then lost, each marked (golden)', async () => {
    const report = await measuredFixture();
    expect(report.recommendedFixes.map(({ fix, rank, measured }) => [rank, fix, measured])).toEqual([
      [1, 'normalize', 'verified'],
      [2, 'clip', 'not-verified'],
      [3, 'lr-schedule', 'lost'],
    ]);
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(report))).success).toBe(true);
    const output = fromRecommendations(text(report));
    expectGolden('boston-unscaled.measured.txt', output);
    expect(output).toContain(
      'measured: verified on 3 seeds: validation loss at end 21.4; the baseline diverged at step 2',
    );
    expect(output).toContain('measured: stopped, behind the best trial; validation loss then 23100');
  });

  it('put a fix nobody measured above one measured as not verified, and say why it was not', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const measured = withTrials(report, {
      trials: TRIALS.filter((trial) => trial.fixes[0] !== 'normalize'),
      untriedFixes: [{ fix: 'normalize', why: 'changes nothing in this config' }],
    });
    expect(measured.recommendedFixes.map(({ fix, measured: status }) => `${fix} ${status}`)).toEqual([
      'normalize untried',
      'lr-schedule untried',
      'clip not-verified',
    ]);
    expect(text(measured)).toContain('measured: not measured (changes nothing in this config)');
  });

  it('leave a report without trials as the findings ranked it, with no measured status', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    expect(report.recommendedFixes.every((entry) => entry.measured === undefined)).toBe(true);
    expect(text(report)).not.toContain('measured:');
  });

  it("never rank a longer look's lower loss, after more steps, above a fix verified within the trial", async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    // clip verified only over 720 steps, its loss there below normalize's at the trial's 300.
    const longer = { ...TRIALS[2]!, finalLoss: 10, verified: true, horizonSteps: 720 };
    const trials = [TRIALS[0]!, longer, TRIALS[1]!];
    expect(bestVerifiedTrial(trials)?.fixes).toEqual(['normalize']);
    const measured = withTrials(report, { trials });
    expect(measured.recommendedFixes.slice(0, 2).map(({ fix, measured: status }) => `${fix} ${status}`)).toEqual([
      'normalize verified',
      'clip verified',
    ]);
  });
});

describe('the trial table', () => {
  it('names each column by its split and statistic', async () => {
    const report = await measuredFixture();
    expect(trialFacts(report.trials![0]!, report).map(([label]) => label)).toEqual([
      'seeds',
      'validation loss at end (last tenth; mean of seeds)',
      'lowest training loss (mean of seeds)',
      'ended',
      'improvement (90% interval)',
      'verified',
    ]);
  });

  it('says a diverged baseline in words instead of a 100% improvement over an infinite loss', async () => {
    const report = await measuredFixture();
    const cells = (index: number) => Object.fromEntries(trialFacts(report.trials![index]!, report));
    expect(cells(0)['ended']).toBe('diverged at step 2');
    expect(cells(1)['improvement (90% interval)']).toBe('baseline diverged at step 2; fix reached 21.4');
    expect(text(report)).not.toContain('100% (100% to 100%)');
  });

  it('gives the improvement with its interval against a baseline that finished, and "both diverged"', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const finished: Trial = { ...TRIALS[0]!, finalLoss: 80, diverged: false };
    const diverged: Trial = { ...TRIALS[2]!, finalLoss: Number.POSITIVE_INFINITY, diverged: true };
    const measured = withTrials(report, {
      trials: [finished, { ...TRIALS[1]!, improvement: 0.7325, improvementInterval: [0.6, 0.8] }],
    });
    expect(Object.fromEntries(trialFacts(measured.trials![1]!, measured))['improvement (90% interval)']).toBe(
      '73.3% (60% to 80%)',
    );
    const both = withTrials(report, { trials: [TRIALS[0]!, diverged] });
    expect(Object.fromEntries(trialFacts(diverged, both))['improvement (90% interval)']).toBe('both diverged');
  });
});

describe('a fix not verified because its runs stayed at chance', () => {
  // The boston fixture's clip trial, finished but at chance, under probes that ran all or part of the plan.
  const rows: { name: string; steps: number; planned: number; horizon?: number; says: string | null }[] = [
    {
      name: 'a trial over part of the plan',
      steps: 300,
      planned: 8000,
      says: "in the trial's 300 of the planned 8000 steps",
    },
    { name: 'a trial over the whole plan', steps: 160, planned: 160, says: null },
    {
      name: 'a trial its second look ran longer than the probe (sequential.ts longerHorizon)',
      steps: 300,
      planned: 8000,
      horizon: 720,
      says: "over 720 steps, with the baseline (a second look: better but not learned in the first look's shorter runs) (did not end below 80% of the chance level 100 in the trial's 720 of the planned 8000 steps",
    },
  ];
  it.each(rows)('names the horizon only for $name', async ({ steps, planned, horizon, says }) => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const probe = report.probe!;
    const chance = 100;
    const baseline: Trial = { ...TRIALS[0]!, finalLoss: 100, diverged: false };
    const atChance: Trial = {
      ...TRIALS[2]!,
      finalLoss: 99,
      improvement: 0.01,
      improvementInterval: [-0.01, 0.03],
      ...(horizon === undefined ? {} : { horizonSteps: horizon }),
    };
    const measured = withTrials(
      {
        ...report,
        probe: {
          ...probe,
          steps,
          loss: { ...probe.loss, chance, originalUnitsFactor: 1 },
          plan: { ...probe.plan!, steps: planned },
        },
      },
      { trials: [baseline, atChance] },
    );
    const output = text(measured);
    expect(output).toContain('did not end below 80% of the chance level 100');
    if (says === null) expect(output).not.toContain("in the trial's");
    else expect(output).toContain(says);
  });
});

describe('a fix whose loss stayed above the learned line: which measure made it "learned"', () => {
  // mlm-blobs-batch-1-sgd-lr-0-01 (bench/cases/README.md): a cross-entropy high at the end, the decisions right.
  const rows: { name: string; trial: Partial<Trial>; says: string[]; saysNot: string[] }[] = [
    {
      name: 'verified by its accuracy',
      trial: { verified: true, learnedBy: 'accuracy', accuracy: { accuracy: 0.8, chance: 0.35 } },
      says: [
        'verified on 3 seeds; learned by accuracy (its loss stayed above 80% of the chance level 100): validation accuracy 0.8 against the chance accuracy 0.35',
      ],
      saysNot: ['did not end below'],
    },
    {
      name: 'not verified, its accuracy at chance too',
      trial: { verified: false, accuracy: { accuracy: 0.36, chance: 0.35 } },
      says: [
        'did not end below 80% of the chance level 100, nor its validation accuracy 0.36 against the chance accuracy 0.35 clearly',
      ],
      saysNot: ['learned by accuracy'],
    },
    {
      name: 'not verified, its accuracy learned: the line is not the reason',
      trial: { verified: false, accuracy: { accuracy: 0.8, chance: 0.35 }, betterSeeds: 2, pValue: 0.25 },
      says: ['better on 2 of 3 seeds'],
      saysNot: ['did not end below', 'learned by accuracy'],
    },
  ];
  it.each(rows)('$name', async ({ trial, says, saysNot }) => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const probe = report.probe!;
    const baseline: Trial = { ...TRIALS[0]!, finalLoss: 100, diverged: false };
    const fixed: Trial = {
      ...TRIALS[2]!,
      finalLoss: 90,
      lost: false,
      diverged: false,
      improvement: 0.1,
      improvementInterval: [0.05, 0.15],
      seeds: 3,
      ...trial,
    };
    const measured = withTrials(
      { ...report, probe: { ...probe, loss: { ...probe.loss, chance: 100, originalUnitsFactor: 1 } } },
      { trials: [baseline, fixed] },
    );
    expect(reportSchema.safeParse(JSON.parse(JSON.stringify(measured))).success).toBe(true);
    const output = text(measured);
    for (const phrase of says) expect(output).toContain(phrase);
    for (const phrase of saysNot) expect(output).not.toContain(phrase);
  });
});
