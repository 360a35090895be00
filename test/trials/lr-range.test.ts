import { describe, expect, it } from 'vitest';
import { analyzeLrRange, fastaiValley, withinSuggestedBand } from '../../src/trials/lr-range.js';
import {
  burnInSteps,
  createDivergenceMonitor,
  LR_SWEEP_DEFAULTS,
  SMOOTHING_BETA,
  sweepLearningRates,
} from '../../src/probe/lr-sweep-rules.js';
import { recommendSchedule, roundRate, WARMUP_FRACTION } from '../../src/fixes/lr-schedule.js';
import { createRandom } from '../../src/util/random.js';

const { minLr, maxLr, steps } = LR_SWEEP_DEFAULTS;
const RATES = sweepLearningRates(minLr, maxLr, steps);
const BURN_IN = burnInSteps(steps);

/**
 * A range-test curve as real sweeps look: flat at 1 while the rate is too small to matter, a
 * descent to 0.1 centred at 10^center (a logistic in log10 rate, so it is steepest exactly there),
 * then a climb that grows a hundredfold per decade past 0.1; each step's loss is off by up to ±5%
 * (batch noise, seeded).
 */
function uCurve({ center = -3, noise = 0.05, seed = 1 } = {}): number[] {
  const random = createRandom(seed);
  return RATES.map((rate) => {
    const x = Math.log10(rate);
    const descent = 1 - 0.9 / (1 + Math.exp(-(x - center) / 0.3));
    const climb = 0.05 * 10 ** (2 * (x + 1));
    return (descent + climb) * (1 + noise * (2 * random() - 1));
  });
}

const analyze = (loss: readonly number[]) => analyzeLrRange({ learningRate: RATES, loss, stepsPlanned: steps });
const suggestions = (loss: readonly number[]) => {
  const { steepest, valley, agree, suggested } = analyze(loss);
  return { steepest, valley, agree, suggested };
};

/**
 * The Lightning and fastai finders, reduced to what fails: one moving average over the whole
 * sweep, the first 10% skipped, the steepest point by neighbour differences
 * (Lightning-AI/pytorch-lightning#1767 and #1801).
 */
function naiveSteepest(loss: readonly number[]): number {
  let average = 0;
  const smoothed = loss.map((value, index) => {
    average = SMOOTHING_BETA * average + (1 - SMOOTHING_BETA) * value;
    return average / (1 - SMOOTHING_BETA ** (index + 1));
  });
  let best = BURN_IN;
  for (let index = BURN_IN; index < smoothed.length - 1; index++) {
    if (smoothed[index + 1]! - smoothed[index]! < smoothed[best + 1]! - smoothed[best]!) best = index;
  }
  return RATES[best]!;
}

describe('the sweep schedule', () => {
  it('grows the rate exponentially from the minimum to the maximum, one rate per step', () => {
    expect(RATES).toHaveLength(100);
    expect(RATES[0]).toBe(1e-7);
    expect(RATES.at(-1)).toBeCloseTo(10, 9);
    const ratio = (maxLr / minLr) ** (1 / (steps - 1));
    RATES.slice(1).forEach((rate, index) => expect(rate / RATES[index]!).toBeCloseTo(ratio, 9));
  });
});

describe('analyzeLrRange on synthetic curves', () => {
  it.each([-4, -3, -2])(
    'a clean U-shaped curve steepest at 10^%i: steepest descent at or a little above it, the valley at or below, the valley suggested',
    (center) => {
      const result = analyze(uCurve({ center }));
      // The moving average (beta 0.98) lags: its steepest point sits at or above the raw curve's, within a decade.
      expect(result.steepest! / 10 ** center).toBeGreaterThanOrEqual(1);
      expect(result.steepest! / 10 ** center).toBeLessThan(10);
      // fastai's valley: half-way along the longest descent, which starts on the plateau: below the steepest point.
      expect(result.valley!).toBeLessThanOrEqual(result.steepest!);
      expect(result.valley! / 10 ** center).toBeGreaterThan(0.1);
      expect(result.suggested).toBe(result.valley);
      expect(result.agree).toBe(result.steepest! / result.valley! <= 3);
      expect(result.divergence).toMatchObject({ cause: 'diverged' });
      expect(result.reason).toMatch(/fastai's valley rule/);
    },
  );

  it.each([
    { at: 1, seed: 1 },
    { at: 5, seed: 2 },
    { at: 9, seed: 3 },
  ])(
    'a spike in the first 10% of the sweep (step $at) moves nothing; it moves the naive Lightning/fastai steepest point',
    ({ at, seed }) => {
      const clean = uCurve({ seed });
      const spiked = [...clean];
      // A batch 50× the loss, and two more at 20× before it, all within the burn-in (steps 0–9 of 100).
      spiked[at] = 50;
      spiked[Math.max(0, at - 1)] = 20;
      spiked[Math.max(0, at - 2)] = 20;
      expect(suggestions(spiked)).toEqual(suggestions(clean));
      expect(suggestions(clean).suggested).not.toBeNull();
      expect(analyze(spiked).smoothed.slice(BURN_IN)).toEqual(analyze(clean).smoothed.slice(BURN_IN));
      // The test has teeth: the same spike fools the finders that average over it.
      expect(naiveSteepest(spiked) / naiveSteepest(clean)).not.toBeCloseTo(1, 2);
      // What the spike does change: a warmup is recommended.
      expect(analyze(spiked).spike).toBe(Math.max(1, at - 2));
      expect(analyze(clean).spike).toBeNull();
    },
  );

  it('a NaN tail moves nothing, and nothing after the first NaN is read', () => {
    const clean = uCurve();
    const reference = analyze(clean);
    // The tail starts where the climb has tripled the lowest loss, as an overflow does.
    const lowest = Math.min(...clean);
    const first = clean.findIndex((value, index) => index > clean.indexOf(lowest) && value > 3 * lowest);
    expect(first).toBeLessThan(reference.divergence!.index);
    const tailed = clean.map((value, index) => (index < first ? value : index < first + 3 ? Number.NaN : 1e-6));
    const result = analyze(tailed);
    expect(suggestions(tailed)).toEqual(suggestions(clean));
    expect(result.divergence).toEqual({ index: first, learningRate: RATES[first], cause: 'non-finite' });
    expect(result.smoothed).toHaveLength(first);
    expect(result.smoothed.every(Number.isFinite)).toBe(true);
    // Infinity is cut the same way.
    expect(suggestions(clean.map((value, index) => (index < first ? value : Number.POSITIVE_INFINITY)))).toEqual(
      suggestions(clean),
    );
  });

  it('a spike and a NaN tail together move nothing either', () => {
    const clean = uCurve({ seed: 4 });
    const first = analyze(clean).divergence!.index - 4;
    const both = clean.map((value, index) => (index === 3 ? 40 * value : index >= first ? Number.NaN : value));
    expect(suggestions(both)).toEqual(suggestions(clean));
  });

  it('a flat curve: no suggestion, and the reason says the loss never fell', () => {
    const random = createRandom(3);
    const result = analyze(RATES.map(() => 1 + 0.1 * (2 * random() - 1)));
    expect(result).toMatchObject({ steepest: null, valley: null, agree: false, suggested: null, divergence: null });
    expect(result.reason).toMatch(
      /^the loss never fell clearly between 6\.4e-7 and 10: .*The learning rate is not what holds this run back/,
    );
  });

  it('a curve that diverges immediately: no suggestion, and the reason says where it diverged', () => {
    const result = analyze(RATES.map((_, index) => (index < 16 ? 1.6 ** index : Number.NaN)));
    expect(result.suggested).toBeNull();
    expect(result.divergence).toMatchObject({ cause: 'diverged' });
    expect(result.divergence!.index).toBeLessThan(16);
    expect(result.reason).toMatch(
      /^the sweep diverged \d+ steps in \(the smoothed loss passed 4× its best at [\d.e-]+\), before a descent could be measured: even small rates are too large/,
    );
  });

  it('a loss that fell only during the burn-in, then diverged: the useful rates are below the sweep', () => {
    const result = analyze(
      RATES.map((_, index) => (index < BURN_IN ? 100 / (index + 1) : index < 22 ? 5 : 5 * 2 ** (index - 21))),
    );
    expect(result.suggested).toBeNull();
    expect(result.reason).toMatch(/fell only in the first 10% of the sweep .* lie below the sweep's minimum \(1e-7\)/);
  });

  /**
   * A broad descent, as a sweep of a small sigmoid network under Adam looks (so-50306988 in
   * bench/cases: valley 0.066, steepest 2.3): a slow drift down from 1e-3, a sharp drop near the top
   * of the range, no divergence; ±3% batch noise.
   */
  function broadDescent(): number[] {
    const random = createRandom(1);
    return RATES.map((rate) => {
      const x = Math.log10(rate);
      return (1 - (0.1 * Math.max(0, x + 3)) / 4 - 0.8 / (1 + Math.exp(-x / 0.15))) * (1 + 0.03 * (2 * random() - 1));
    });
  }

  it.each([
    { curve: 'a broad descent', loss: broadDescent, runSteps: 35, rule: 'midpoint' },
    { curve: 'a broad descent', loss: broadDescent, runSteps: 100, rule: 'midpoint' },
    { curve: 'a broad descent', loss: broadDescent, runSteps: 101, rule: 'valley' },
    { curve: 'a broad descent', loss: broadDescent, runSteps: undefined, rule: 'valley' },
    { curve: 'a U-curve (agreeing)', loss: () => uCurve(), runSteps: 35, rule: 'valley' },
  ])('$curve, for a run of $runSteps steps: the $rule', ({ loss, runSteps, rule }) => {
    const result = analyzeLrRange({
      learningRate: RATES,
      loss: loss(),
      stepsPlanned: steps,
      ...(runSteps === undefined ? {} : { runSteps }),
    });
    const { steepest, valley, suggested } = result;
    if (rule === 'valley') {
      expect(suggested).toBe(valley);
      expect(result.reason).toMatch(/fastai's valley rule/);
      return;
    }
    expect(result.agree).toBe(false);
    expect(suggested).toBeCloseTo(Math.sqrt(steepest! * valley!), 12);
    expect(suggested!).toBeGreaterThan(valley!);
    expect(suggested!).toBeLessThan(steepest!);
    expect(result.reason).toMatch(/midpoint \(geometric mean\).*no longer than the sweep.*too timid/);
  });

  it('caps the suggestion at a tenth of the rate where the sweep diverged', () => {
    // Falls from step 20 to 34, then overflows at step 36: the valley lies within a decade of the divergence.
    const loss = RATES.map((_, index) =>
      index < 20 ? 1 : index < 35 ? 1 - 0.06 * (index - 20) : index === 35 ? 0.2 : Number.NaN,
    );
    const result = analyze(loss);
    expect(result.divergence).toMatchObject({ index: 36, cause: 'non-finite' });
    expect(result.suggested).toBeCloseTo(RATES[36]! / 10, 12);
    expect(result.valley!).toBeGreaterThan(result.suggested!);
    expect(result.reason).toMatch(/Capped at a tenth of the rate where the sweep diverged/);
  });

  it('rejects rates and losses that do not pair up', () => {
    expect(() => analyzeLrRange({ learningRate: [1, 2], loss: [1] })).toThrow(RangeError);
  });
});

describe('the parts', () => {
  it("fastaiValley reproduces fastai's index: start of the longest decreasing run + a third + a sixth", () => {
    const losses = [5, 5.1, 4, 3, 2, 1, 0.5, 2, 3];
    // Longest decreasing subsequence 5.1 4 3 2 1 0.5 ends at 6 with length 6: start 0, sections 2, index 0 + 2 + 1.
    expect(fastaiValley(losses, 0, losses.length)).toBe(3);
    expect(fastaiValley([9, 9, ...losses], 2, losses.length + 2)).toBe(5);
    expect(fastaiValley([1, 2, 3], 0, 3)).toBeNull();
  });

  it('the divergence monitor ignores the burn-in for the 4× rule but never a non-finite loss', () => {
    const monitor = createDivergenceMonitor(3);
    expect([1, 100, 1].map((loss) => monitor.observe(loss).stop)).toEqual([null, null, null]);
    expect(monitor.observe(1).stop).toBeNull();
    expect(monitor.observe(1).stop).toBeNull();
    expect(monitor.observe(40).stop).toBe('diverged');
    expect(createDivergenceMonitor(3).observe(Number.NaN).stop).toBe('non-finite');
    // A loss that can be negative (cosine proximity) stops when it rises, not while it falls.
    const negative = createDivergenceMonitor(0);
    expect([-0.1, -0.5, -0.9].map((loss) => negative.observe(loss).stop)).toEqual([null, null, null]);
  });

  it('recommends cosine decay over the whole run, with a 5% warmup only after a spike', () => {
    expect(recommendSchedule({ suggested: 0.003, spike: null }, { steps: 1300 })).toEqual({
      type: 'cosine',
      decaySteps: 1300,
      alpha: 0,
      warmupSteps: 0,
    });
    expect(recommendSchedule({ suggested: 0.003, spike: 4 }, { steps: 1300 })).toMatchObject({
      decaySteps: 1300,
      warmupSteps: Math.round(WARMUP_FRACTION * 1300),
    });
    expect(recommendSchedule({ suggested: null, spike: null }, { steps: 1300 })).toBeNull();
  });

  it('keeps a configured rate between the valley and the steepest descent, under the divergence cap', () => {
    const analysis = { steepest: 0.08, valley: 0.007, divergence: null };
    expect([0.005, 0.007, 0.01, 0.08, 0.1].map((rate) => withinSuggestedBand(analysis, rate))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(
      withinSuggestedBand({ ...analysis, divergence: { index: 80, learningRate: 0.3, cause: 'diverged' } }, 0.05),
    ).toBe(false);
    expect(withinSuggestedBand({ ...analysis, valley: null }, 0.01)).toBe(false);
  });

  it('rounds a rate for the config to one significant digit', () => {
    expect([0.0023, 0.0034, 0.066, 0.012, 7.6e-4].map(roundRate)).toEqual([0.002, 0.003, 0.07, 0.01, 0.0008]);
  });
});
