import { describe, expect, it } from 'vitest';
import { lrTooLow } from '../../src/symptoms/lr-too-low.js';
import { plateau } from '../../src/symptoms/plateau.js';
import { describePlanEnd, planEnd } from '../../src/symptoms/projection.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { DEFAULT_CHANCE, jitter, syntheticTrace } from './trace-builder.js';

const CHANCE = DEFAULT_CHANCE;

/** A 300-step probe whose validation loss is `shape(step)` x chance, as a slice of a `plan`-step run. */
function slice(shape: (step: number) => number, plan: number): ProbeTrace {
  const valLoss = (step: number) => CHANCE * shape(step);
  return { ...syntheticTrace({ loss: valLoss, valLoss }), plan: { steps: plan, source: 'steps' } };
}

/**
 * A slow start: the loss falls ever faster, `drop` x chance below `level` by step 300 (cubic in
 * steps, the sigmoidal learning curve's first bend); with `noise`, that fraction of jitter.
 */
function slowStart(level: number, drop: number, noise = 0): (step: number) => number {
  return (step) => (level - drop * (step / 300) ** 3) * (1 + noise * jitter(step));
}

interface Row {
  name: string;
  trace: ProbeTrace;
}

// Speeds up: both halves of the tail (steps 150-300) fall, measurably, and the second faster.
const accelerating: (Row & { linearEnd: number })[] = [
  // Whole-tail slope of 1 - 0.04 (t/300)^3 over steps 150..300 in steps of 10, times the 2,700 steps left.
  {
    name: 'a slow start, 1 to 0.96x chance, in a 3,000-step plan',
    trace: slice(slowStart(1, 0.04), 3000),
    linearEnd: 0.33,
  },
  {
    name: 'the same slow start with 0.1% noise',
    trace: slice(slowStart(1, 0.04, 0.001), 3000),
    linearEnd: 0.33,
  },
  { name: 'the same slow start in a 400-step plan', trace: slice(slowStart(1, 0.04), 400), linearEnd: 0.937 },
];

const notAccelerating: Row[] = [
  {
    name: 'a straight fall from 1.2 to 1x chance (no speed-up)',
    trace: slice((step) => 1.2 - (0.2 * step) / 300, 3000),
  },
  { name: 'a decelerating fall toward 0.5x chance', trace: slice((step) => 0.5 + 0.5 * Math.exp(-step / 200), 3000) },
  {
    name: 'level with 2% noise until step 225, then falling: wandering, not a slow start',
    trace: slice((step) => (step < 225 ? 1 : 1 - (0.06 * (step - 225)) / 75) * (1 + 0.02 * jitter(step)), 3000),
  },
  { name: 'flat at chance with 1% noise', trace: slice((step) => 1 + 0.01 * jitter(step), 3000) },
  { name: 'rising in the tail', trace: slice((step) => 0.9 + (0.1 * step) / 300, 3000) },
];

describe('planEnd', () => {
  describe('a tail whose fall speeds up: the low end is the present linear pace held to the plan', () => {
    it.each(accelerating)('$name', ({ trace, linearEnd }) => {
      const end = planEnd(trace)!;
      expect(end.kind).toBe('projected');
      expect(end.accelerating).toBe(true);
      expect(end.low / CHANCE).toBeCloseTo(linearEnd, 1);
      // The power law stays the central estimate: a speed-up widens only the optimistic side.
      expect(end.loss).toBeGreaterThan(end.low);
      expect(describePlanEnd(end, CHANCE)).toContain('its fall speeds up');
    });
  });

  describe('any other tail: the power law alone', () => {
    it.each(notAccelerating)('$name', ({ trace }) => {
      const end = planEnd(trace)!;
      expect(end.accelerating).toBe(false);
      expect(end.low).toBeLessThanOrEqual(end.loss);
      expect(describePlanEnd(end, CHANCE)).not.toContain('speeds up');
    });
  });

  it('a plan the probe covers is measured, never accelerating', () => {
    const end = planEnd(slice(slowStart(1, 0.04), 300))!;
    expect(end).toMatchObject({ kind: 'measured', accelerating: false });
    // A smooth tail: the interval is the reading's noise, next to nothing here.
    expect(end.low / end.loss).toBeCloseTo(1, 3);
    expect(end.high / end.loss).toBeCloseTo(1, 3);
  });

  it('the linear pace is not extrapolated below zero', () => {
    const end = planEnd(slice(slowStart(1, 0.04), 100_000))!;
    expect(end.accelerating).toBe(true);
    expect(end.low).toBe(0);
  });
});

// The judgments that read the interval's low end (plateau, lr-too-low's tiny updates): a slow start
// that its present pace carries past the learned line by the plan's end is no finding; one whose
// plan ends too soon for that pace still is. (Checked on full runs: docs/full-plan-check.md.)
describe('judged against a slow start', () => {
  it('no plateau when the present pace learns within the plan', () => {
    expect(plateau.detect({ trace: slice(slowStart(1, 0.04), 3000) })).toEqual([]);
    expect(lrTooLow.detect({ trace: slice(slowStart(1, 0.04), 3000) })).toEqual([]);
  });

  it('a plateau, saying the fall speeds up, when even that pace ends near chance', () => {
    const findings = plateau.detect({ trace: slice(slowStart(1, 0.04), 400) });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
    expect(findings[0]!.message).toContain('its fall speeds up');
  });
});

/**
 * A whole plan of 20 steps, measured at its end: each smoothed reading is one mini-batch loss, the
 * training loss falling linearly from `from` to `to` x chance with `noise` relative jitter.
 */
function shortPlan(from: number, to: number, noise: number): ProbeTrace {
  const loss = (step: number) => CHANCE * (from + ((to - from) * step) / 19) * (1 + noise * jitter(step));
  return { ...syntheticTrace({ steps: 20, loss, valLoss: () => Number.NaN }), plan: { steps: 20, source: 'steps' } };
}

// A measured end is one noisy reading: lr-too-low is critical only when the reading's interval, not
// the reading alone, stays above the learned line (a seed-dependent verdict otherwise; docs/seed-robustness.md).
const measuredEnds: { name: string; trace: ProbeTrace; severity: 'critical' | 'warning' }[] = [
  { name: 'a clean fall from 1.5 to 0.85x chance', trace: shortPlan(1.5, 0.85, 0), severity: 'critical' },
  { name: 'the same fall with 10% batch noise', trace: shortPlan(1.5, 0.85, 0.1), severity: 'warning' },
  { name: 'a fall from 2 to 1.2x chance with 10% batch noise', trace: shortPlan(2, 1.2, 0.1), severity: 'critical' },
];

describe('a measured end carries the noise of its reading', () => {
  it.each(measuredEnds)('$name: lr-too-low $severity', ({ trace, severity }) => {
    const end = planEnd(trace)!;
    expect(end.kind).toBe('measured');
    expect(end.low).toBeLessThanOrEqual(end.loss);
    expect(end.high).toBeGreaterThanOrEqual(end.loss);
    const findings = lrTooLow.detect({ trace });
    expect(findings.map((finding) => finding.severity)).toEqual([severity]);
  });
});
