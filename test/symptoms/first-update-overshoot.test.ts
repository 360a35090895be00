import { describe, expect, it } from 'vitest';
import { DIVERGENCE_RATIO } from '../../src/symptoms/divergence-limits.js';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { FIRST_UPDATE_STEPS, firstUpdateOvershoot } from '../../src/symptoms/signals.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { buildTrace } from './trace-builder.js';

/**
 * Three kernels whose first update moved them by `first` of their norm (later updates 1e-3), the
 * loss going from 3135 to the given first losses, then level at 1400.
 */
function firstUpdate(first: number, losses: readonly number[]) {
  const kernels = ['dense_1/kernel', 'dense_2/kernel', 'dense_3/kernel'];
  return buildTrace({
    loss: [...losses, ...Array.from({ length: 40 }, () => 1400)],
    gradNorm: Object.fromEntries(kernels.map((kernel) => [kernel, 100])),
    updateRatio: Object.fromEntries(kernels.map((kernel) => [kernel, (step: number) => (step === 0 ? first : 1e-3)])),
  });
}

interface Row {
  name: string;
  trace: ReturnType<typeof buildTrace>;
  after?: number;
  afterIndex?: number;
}

const mustTrigger: Row[] = [
  {
    name: 'one lucky lower batch after the update, then a jump past twice the start',
    trace: firstUpdate(2.19, [3135, 387, 12556, 1416]),
    after: 12556,
    afterIndex: 2,
  },
  {
    name: `the jump on the last of the ${FIRST_UPDATE_STEPS} steps after the update`,
    trace: firstUpdate(3, [3135, 900, 1000, DIVERGENCE_RATIO * 3135]),
    afterIndex: FIRST_UPDATE_STEPS,
  },
  {
    name: 'a loss that stays up by less than twice: the median of the steps after is higher',
    trace: firstUpdate(5, [3135, 3600, 2900, 4000]),
    after: 4000,
    afterIndex: 3,
  },
  {
    name: 'a non-finite loss after one lower batch',
    trace: firstUpdate(Infinity, [3135, 387, Number.NaN]),
    afterIndex: 2,
  },
];

const mustNotTrigger: Row[] = [
  { name: 'a normal noisy start after an update past the weights', trace: firstUpdate(2, [3135, 2500, 4100, 1900]) },
  {
    name: 'a zero-initialized model (infinite ratios) whose loss falls with one noisy batch',
    trace: firstUpdate(Infinity, [1.1, 0.9, 1.3, 0.8]),
  },
  {
    name: `a peak just under ${DIVERGENCE_RATIO}x the start while the median falls`,
    trace: firstUpdate(5, [3135, 1000, 0.999 * DIVERGENCE_RATIO * 3135, 1200]),
  },
  {
    name: `a jump after the first ${FIRST_UPDATE_STEPS} steps is not the first update's`,
    trace: firstUpdate(5, [3135, 1000, 1200, 900, 50000]),
  },
  { name: 'an update just under the weights with a jump', trace: firstUpdate(0.9, [3135, 387, 12556, 1416]) },
];

describe('firstUpdateOvershoot: the loss of the first few steps after the update', () => {
  it.each(mustTrigger)('must trigger: $name', ({ trace, after, afterIndex }) => {
    const overshoot = firstUpdateOvershoot(trace);
    expect(overshoot).not.toBeNull();
    expect(overshoot!.before).toBe(3135);
    if (after !== undefined) expect(overshoot!.after).toBe(after);
    if (afterIndex !== undefined) expect(overshoot!.afterIndex).toBe(afterIndex);
  });

  it.each(mustNotTrigger)('must not trigger: $name', ({ trace }) => {
    expect(firstUpdateOvershoot(trace)).toBeNull();
  });

  it('lr-too-high names the loss that shows the jump, not the lucky batch', () => {
    const finding = onlyFinding(lrTooHigh.detect({ trace: mustTrigger[0]!.trace }));
    expect(finding.message).toContain(`the loss went from ${formatNumber(3135)} to ${formatNumber(12556)} by step 2`);
  });
});
