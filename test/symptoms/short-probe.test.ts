import { describe, expect, it } from 'vitest';
import { findSymptoms, notJudged } from '../../src/symptoms/engine.js';
import { DETECTORS } from '../../src/symptoms/registry.js';
import { MIN_STEPS_TO_JUDGE_DYNAMICS, shortProbeReason } from '../../src/symptoms/short-probe.js';
import { buildTrace, geometric } from './trace-builder.js';

describe('a probe cut short by its time budget', () => {
  it.each([
    { stoppedEarly: 'time-budget', stepsRun: 2, stepsPlanned: 300, judged: false },
    { stoppedEarly: 'time-budget', stepsRun: MIN_STEPS_TO_JUDGE_DYNAMICS - 1, stepsPlanned: 300, judged: false },
    { stoppedEarly: 'time-budget', stepsRun: MIN_STEPS_TO_JUDGE_DYNAMICS, stepsPlanned: 300, judged: true },
    // A short plan cut shorter still: judged only once it ran the whole (short) plan.
    { stoppedEarly: 'time-budget', stepsRun: 10, stepsPlanned: 20, judged: false },
    // The plan itself was short and ran in full: each check applies its own minimum.
    { stoppedEarly: null, stepsRun: 2, stepsPlanned: 2, judged: true },
    // A NaN loss is evidence however early it comes.
    { stoppedEarly: 'nan-loss', stepsRun: 2, stepsPlanned: 300, judged: true },
  ] as const)('$stoppedEarly after $stepsRun of $stepsPlanned steps: judged $judged', (trace) => {
    expect(shortProbeReason(trace) === undefined).toBe(trace.judged);
  });

  it('yields no dynamics finding from 2 steps, and lists every dynamics check as not judged, with the reason', () => {
    // A loss that climbs 10× a step: lr-too-high when judged.
    const diverging = buildTrace({ loss: geometric(1, 10), steps: 2 });
    expect(findSymptoms({ trace: diverging }).length).toBeGreaterThan(0);
    const cut = { ...diverging, stoppedEarly: 'time-budget' as const, stepsPlanned: 300 };

    expect(findSymptoms({ trace: cut })).toEqual([]);
    const unjudged = notJudged(cut);
    expect(unjudged.map(({ symptom }) => symptom)).toEqual(DETECTORS.dynamics.map((detector) => detector.id));
    expect(unjudged[0]?.reason).toMatch(/after 2 of 300 steps; training dynamics need at least 50/);
  });

  it('judges a full trace as before', () => {
    expect(notJudged(buildTrace({ loss: geometric(1, 0.99), steps: 60 }))).toEqual([]);
  });
});
