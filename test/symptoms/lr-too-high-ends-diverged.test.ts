import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { Severity } from '../../src/symptoms/ids.js';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { onlyFinding } from './data-summary.js';
import { buildTrace, decay, noisy, switchAt } from './trace-builder.js';

/** Log 228's shape: an epoch loss falls to 0.061 at epoch 13, then rises at each of the last six epochs. */
const TRAIN_228 = [
  2.58, 2.38, 1.65, 1.3, 1.1, 0.885, 0.67, 0.496, 0.339, 0.209, 0.114, 0.0694, 0.0609, 0.0674, 0.11, 0.204, 0.334,
  0.462, 0.554,
];
/** Its validation loss: best 0.060 at epoch 13, then 0.076, 0.111, 0.328, 0.331, 0.727, 0.181. */
const VAL_228 = [
  2.72, 2.99, 0.807, 1.03, 1.7, 0.981, 0.779, 0.384, 0.322, 0.0781, 0.0704, 0.0658, 0.0604, 0.0759, 0.111, 0.328, 0.331,
  0.727, 0.181,
];

/** A per-epoch log: one evaluation per epoch (the builder adds one at the end, a copy of the last). */
function epochs(loss: number[], valLoss?: number[]): ProbeTrace {
  return buildTrace({ loss, valLoss: valLoss && [...valLoss, valLoss.at(-1)!], evalEvery: 1 });
}

/** 300 logged losses: falling from 0.1 to 0.01 over the first 60 (1% noise), then `after` from there on. */
const fallsThen = (after: (step: number) => number) =>
  buildTrace({ loss: noisy(switchAt(60, decay(0.1, 0.01, 10), after), 0.01, 21), steps: 300 });

interface Row {
  name: string;
  trace: ProbeTrace;
  /** On a log; a probe keeps the factor rule (critical from ten times, or at a NaN). */
  severity: Severity;
}

/** Log 222's shape: no validation, a tiny loss rising steadily from 0.01 to 0.05 after step 60. */
const RISING = (step: number) => 0.01 + (0.04 * (step - 60)) / 240;

/** Log 294's shape: 1.637 at the first step, 11.81 at the second (lr 5), then frozen at 10.3735. */
const FROZEN_294 = [1.637, 11.81, 11.6, 10.38, 10.3735, 10.3735, 10.3735, 10.3735, 10.3735, 10.3735];

const rows: Row[] = [
  {
    name: 'log 294: the loss jumps 7x and freezes there (weights that no longer change cannot bring it back)',
    trace: epochs(FROZEN_294),
    severity: 'critical',
  },
  {
    name: 'the same jump still moving at the end, but never back below its start (lr-too-high-never-back.ts)',
    trace: epochs([...FROZEN_294.slice(0, 8), 10.36, 10.3735]),
    severity: 'critical',
  },
  {
    name: 'the same jump from a dip below the start, still moving at the end: neither rising nor frozen, it may come back',
    trace: epochs([FROZEN_294[0]!, 1.2, ...FROZEN_294.slice(1, 7), 10.36, 10.3735]),
    severity: 'warning',
  },
  {
    name: 'log 228: both losses end diverged, the training loss rising to the end',
    trace: epochs(TRAIN_228, VAL_228),
    severity: 'critical',
  },
  {
    name: 'log 222: no validation, a tiny loss rising steadily from 0.01 to 0.05 (5x) at the end',
    trace: fallsThen(RISING),
    severity: 'critical',
  },
  {
    name: 'the validation loss came back to its best: the training loss alone does not make it critical',
    trace: epochs(TRAIN_228, [...VAL_228.slice(0, 16), 0.07, 0.062, 0.061]),
    severity: 'warning',
  },
  {
    name: 'the last window below an earlier one: come partly back, not still rising',
    trace: fallsThen((step) => (step < 270 ? 0.01 + (0.04 * (step - 60)) / 210 : 0.03)),
    severity: 'warning',
  },
  {
    name: 'only the last window past twice the minimum: one window is not a sustained stretch',
    trace: fallsThen(switchAt(270, 0.011, 0.03)),
    severity: 'warning',
  },
];

describe('lr-too-high: a log that ends diverged and still rising is critical', () => {
  it.each(rows)('$name', ({ trace, severity }) => {
    expect(onlyFinding(lrTooHigh.detect({ trace, origin: 'log', stepUnit: 'epoch' })).severity).toBe(severity);
  });

  it('keeps the probe path: the same rise on a probe is a warning under ten times', () => {
    const trace = fallsThen(RISING);
    expect(onlyFinding(lrTooHigh.detect({ trace })).severity).toBe('warning');
  });

  it('says why in the message, and mentions the validation loss only when it was logged', () => {
    const withValidation = onlyFinding(lrTooHigh.detect({ trace: epochs(TRAIN_228, VAL_228), origin: 'log' }));
    const without = onlyFinding(lrTooHigh.detect({ trace: fallsThen(RISING), origin: 'log' }));
    expect(withValidation.message).toContain('The run ended diverged');
    expect(withValidation.message).toContain('validation loss ended at twice its best');
    // 228's minimum is below a tenth of its start: with no chance level, the evidence names the starting loss.
    expect(withValidation.evidence.what).toContain('a tenth of the starting loss');
    expect(without.message).toContain('The run ended diverged');
    expect(without.message).not.toContain('validation');
  });
});
