import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { Severity } from '../../src/symptoms/ids.js';
import { DIVERGENCE_CRITICAL, DIVERGENCE_RATIO, WINDOW_FRACTION } from '../../src/symptoms/divergence-limits.js';
import { earlyDivergence } from '../../src/symptoms/lr-too-high-early-divergence.js';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { onlyFinding } from './data-summary.js';
import { expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import { buildTrace, decay, fixtureTrace, HEALTHY_TRACES, noisy, switchAt } from './trace-builder.js';

const STEPS = 300;
const WINDOW = STEPS * WINDOW_FRACTION;
const BEFORE = 1.6;
const CHANCE = 1.1;
const PAST = 1.001;

/** 1.6 before any update, `peak` for steps 1 to `until`, then `end` (with 10% batch noise after the jump). */
function jumped(peak: number, until: number, end: number, chanceLoss: number | null = CHANCE): ProbeTrace {
  return buildTrace({
    loss: switchAt(1, BEFORE, noisy(switchAt(until + 1, peak, end), 0.1, 7)),
    steps: STEPS,
    chanceLoss,
  });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  mentions: string[];
}

// SGD at a rate of 1.0 on the blobs MLP (mlm-blobs-sgd-lr-1): 1.6 before any update, ~9 for the first
// 30 steps, ~0.9 at the end. lr-too-high's start is the median of the first 5 steps (four of them
// diverged), so its end-level rule saw no rise.
const mustTrigger: TriggerRow[] = [
  {
    name: 'thrown up 5.6x by the first updates for a window, back only to 0.82x chance by the end: a warning',
    trace: jumped(9, WINDOW, 0.9),
    severity: 'warning',
    mentions: ['diverged in the first steps', 'came back down only to', 'the run has not learned', 'warm it up'],
  },
  {
    name: 'the same with the chance level unknown, ending above its start',
    trace: jumped(9, WINDOW, 1.8, null),
    severity: 'warning',
    mentions: ['no lower than where it started'],
  },
  {
    name: `at just ${DIVERGENCE_RATIO}x the loss before any update for the first window`,
    trace: buildTrace({
      loss: (step) => (step === 0 ? BEFORE : step <= WINDOW ? 2 * BEFORE * PAST : 0.9),
      steps: STEPS,
      chanceLoss: CHANCE,
    }),
    severity: 'warning',
    mentions: ['came back down'],
  },
  {
    name: `diverged at once and never came back, ending past ${DIVERGENCE_CRITICAL}x: critical`,
    trace: jumped(20, STEPS, 20),
    severity: 'critical',
    mentions: ['still 12.5x'],
  },
  {
    name: 'a jump to 16.1 from 1.24 that stays, first update under the weights (no overshoot)',
    trace: buildTrace({ loss: [1.24, ...Array.from({ length: 20 }, () => 16.1)], chanceLoss: null }),
    severity: 'critical',
    mentions: ['still 13x'],
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(HEALTHY_TRACES),
  { name: 'deep-sigmoid: flat at chance', trace: fixtureTrace('deep-sigmoid') },
  { name: 'softmax-one-unit: flat, noisy', trace: fixtureTrace('softmax-one-unit') },
  {
    name: `the first window just under ${DIVERGENCE_RATIO}x the loss before any update`,
    trace: buildTrace({
      loss: (step) => (step === 0 ? BEFORE : step <= WINDOW ? (2 * BEFORE) / PAST : 0.9),
      steps: STEPS,
      chanceLoss: CHANCE,
    }),
  },
  // SGD at 0.1 on the same blobs MLP (mlm-blobs-sgd-lr-0-1-fixed): 1.64, then ~6 over steps 1-30, and
  // 0.47 (0.43x chance) by the end: it lost a stretch and learned anyway.
  {
    name: 'thrown up 3.7x, then learned: its last window under 0.8x chance',
    trace: jumped(6, WINDOW, 0.47),
  },
  {
    name: 'the same with the chance level unknown, ending under its start',
    trace: jumped(6, WINDOW, 1.5, null),
  },
  {
    name: 'a diverged stretch shorter than half a window: a passing jump',
    trace: jumped(9, WINDOW / 2 - 1, 0.9),
  },
  {
    name: 'a first batch four times lower than the rest, all under chance: noise, not divergence',
    trace: buildTrace({ loss: (step) => (step === 0 ? 0.2 : 0.8), steps: STEPS, chanceLoss: CHANCE }),
  },
  {
    name: 'a healthy noisy loss (log-normal noise, sigma 0.5)',
    trace: buildTrace({ loss: noisy(decay(100, 5, 40), 0.5, 13), steps: STEPS, chanceLoss: 50 }),
  },
];

describe('lr-too-high: a probe that diverged in its first steps', () => {
  it.each(mustTrigger)('$name', ({ trace, severity, mentions }) => {
    const finding = onlyFinding(lrTooHigh.detect({ trace }));
    expectFinding(finding, {
      symptom: 'lr-too-high',
      severity,
      layer: undefined,
      step: 1,
      threshold: DIVERGENCE_RATIO,
      mentions,
      fixes: ['lr-schedule'],
      confidence: [0.5, 0.99],
    });
    expect(finding.evidence.measured).toBeGreaterThanOrEqual(DIVERGENCE_RATIO);
  });

  it.each(mustNotTrigger)('$name: no early divergence', ({ trace }) => {
    expect(earlyDivergence(trace)).toBeNull();
  });

  it('reads no early divergence from a log: its first point is already a trained epoch', () => {
    expect(lrTooHigh.detect({ trace: jumped(9, WINDOW, 0.9), origin: 'log' })).toEqual([]);
  });
});
