import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import {
  MAX_CONFIDENCE,
  MIN_EVALUATIONS,
  overfitting,
  TRAIN_FALL,
  VALIDATION_RISE,
} from '../../src/symptoms/overfitting.js';
import { LOG_VALIDATION_RISE } from '../../src/symptoms/validation-rise.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import {
  buildTrace,
  DEFAULT_CHANCE,
  FIXTURE_TRACES,
  jitter,
  materialize,
  syntheticTrace,
  type SeriesInput,
} from './trace-builder.js';

const PAST = 1.001;
const CHANCE = DEFAULT_CHANCE;
/** A training loss that keeps falling to a twentieth of chance, with mini-batch noise. */
const falling = (step: number) => CHANCE * (0.05 + 0.95 * Math.exp(-step / 60)) * (1 + 0.2 * jitter(step));

/**
 * Validation loss at chance until step 50, at `best` × chance from there, and `rise` × that from
 * step `riseAt` on: its smoothed minimum is exactly `best` × chance.
 */
function bottomedOut({
  rise,
  riseAt = 200,
  best = 0.2,
}: {
  rise: number;
  riseAt?: number;
  best?: number;
}): SeriesInput {
  return (step) => CHANCE * (step < 50 ? 1 : step < riseAt ? best : best * rise);
}

function run(valLoss: SeriesInput, loss: SeriesInput = falling, evalEvery?: number): ProbeTrace {
  return syntheticTrace({ valLoss, loss, ...(evalEvery === undefined ? {} : { evalEvery }) });
}

interface TriggerRow extends TraceRow {
  step: number;
  /** The exact rise, when the noise-free construction fixes it. */
  measured?: number;
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'classic: validation bottoms out at step 100 and climbs back while training falls',
    trace: run((step) => CHANCE * (step <= 100 ? 1 - 0.7 * (step / 100) : 0.3 + 0.3 * ((step - 100) / 200))),
    step: 100,
    // The last third's median (step 250) over the smoothed minimum: the running median at step 100 is the value at step 110.
    measured: 0.525 / 0.315,
  },
  {
    name: 'exactly 1.5x the minimum over the last third',
    trace: run(bottomedOut({ rise: VALIDATION_RISE })),
    step: 50,
    measured: VALIDATION_RISE,
  },
  { name: 'a rise of 3x from step 150', trace: run(bottomedOut({ rise: 3, riseAt: 150 })), step: 50, measured: 3 },
  {
    name: 'noisy validation loss (10% wobble) that clearly rises',
    trace: run(
      (step) =>
        CHANCE *
        (step <= 100 ? 1 - 0.8 * (step / 100) : 0.2 + 0.25 * ((step - 100) / 200)) *
        (1 + 0.1 * jitter(step + 7)),
    ),
    step: 100,
  },
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(FIXTURE_TRACES),
  { name: 'just under 1.5x over the last third', trace: run(bottomedOut({ rise: VALIDATION_RISE / PAST })) },
  {
    // Without the span rule this would fire: the last third's median is 1.55x the minimum.
    name: 'the minimum lies inside the last third (step 250), then a steep rise: too recent to call',
    trace: run((step) => CHANCE * (step <= 250 ? 1 - (0.8 * step) / 250 : 0.2 + (step - 250) * 0.04)),
  },
  {
    name: 'validation and training rise together: divergence, not overfitting',
    trace: run(bottomedOut({ rise: 2 }), (step) => CHANCE * (step < 50 ? 1 : 0.3 + step / 300)),
  },
  {
    name: `the training loss fell less than ${TRAIN_FALL * 100}% after the validation minimum`,
    trace: run(
      bottomedOut({ rise: 2 }),
      (step) => CHANCE * (step < 50 ? 1 : 0.3 * (1 - (0.9 * TRAIN_FALL * (step - 50)) / 250)),
    ),
  },
  { name: `fewer than ${MIN_EVALUATIONS} evaluations`, trace: run(bottomedOut({ rise: 3 }), falling, 50) },
  {
    name: 'one spike of 4x in the last third',
    trace: run((step) => CHANCE * (step < 50 ? 1 : step === 250 ? 0.8 : 0.2)),
  },
  {
    name: 'mini-batch-like wobble of ±50% around a falling trend (the Boston probe)',
    trace: run((step) => CHANCE * (0.25 + 0.75 * Math.exp(-step / 30)) * (1 + 0.5 * jitter(step))),
  },
  { name: 'healthy synthetic run', trace: syntheticTrace() },
];

/** A per-epoch log as analyze reads it: one training loss (an epoch's mean) and one validation loss per epoch. */
function epochLog(epochs: number, loss: SeriesInput, valLoss: SeriesInput): ProbeTrace {
  const trace = buildTrace({ loss: materialize(loss, epochs) });
  return { ...trace, evalStep: trace.step, valLoss: materialize(valLoss, epochs) };
}

/** 20 epochs: validation falls to 0.5 at epoch 12, then climbs 0.15 per epoch; training keeps falling. */
const LATE_MINIMUM = epochLog(
  20,
  (epoch) => 1.2 * Math.exp(-epoch / 6) + 0.05,
  (epoch) => (epoch <= 12 ? 1.1 - (0.6 * epoch) / 12 : 0.5 + 0.15 * (epoch - 12)),
);

/** Falls to 0.5 at epoch 10, then drifts up 0.2% of it an epoch: +3.8% at epoch 29, under GL5. */
const MILD_DRIFT = (epoch: number) => (epoch <= 10 ? 1 - epoch / 20 : 0.5 * (1 + 0.002 * (epoch - 10)));

/** Bench log 411's eval loss (docs/log-benchmark-12b.md): best at the fifth, up 1.2% and falling back a little: no significant trend left. */
const LEVELS_OFF = [1.9394, 1.9079, 1.894, 1.8913, 1.8792, 1.8886, 1.8998, 1.9075, 1.9048, 1.9053, 1.9017];

describe('overfitting in per-epoch logs (analyze)', () => {
  it('20 epochs, best at epoch 11: nine epoch means after it are enough to show the training loss falling', () => {
    const finding = onlyFinding(overfitting.detect({ trace: LATE_MINIMUM }));
    expect(finding).toMatchObject({ severity: 'warning', step: 11 });
    expect(finding.evidence.measured).toBeCloseTo(1.1 / 0.55, 9);
  });

  it('a log is the whole run, not a short probe: critical, judged at GL5 with the early-stopping replay', () => {
    const finding = onlyFinding(overfitting.detect({ trace: LATE_MINIMUM, origin: 'log' }));
    expectFinding(finding, {
      symptom: 'overfitting',
      severity: 'critical',
      layer: undefined,
      step: 11,
      threshold: LOG_VALIDATION_RISE,
      fixes: [],
      confidence: [0.6, 1],
      mentions: ['last 3 evaluations', 'Early stopping with patience 3'],
    });
  });

  it('validation climbs while the training loss stays flat at its floor: the gap widens, critical', () => {
    const trace = epochLog(20, 0.3, (epoch) => (epoch <= 8 ? 1 - epoch / 16 : 0.5 + 0.1 * (epoch - 8)));
    const finding = onlyFinding(overfitting.detect({ trace, origin: 'log' }));
    expect(finding).toMatchObject({ severity: 'critical', step: 7 });
    expect(finding.message).toContain('while the training loss stayed flat');
  });

  it('validation drifts up 0.2% an epoch after its best (+3.8%, under GL5) while the training loss falls: mild, critical', () => {
    const trace = epochLog(30, (epoch) => 1.2 * Math.exp(-epoch / 6) + 0.05, MILD_DRIFT);
    const finding = onlyFinding(overfitting.detect({ trace, origin: 'log', stepUnit: 'epoch' }));
    expect(finding).toMatchObject({ severity: 'critical', step: 10 });
    expect(finding.evidence.measured).toBeLessThan(LOG_VALIDATION_RISE);
    expect(finding.message).toContain('mildly overfitting');
    expect(finding.message).toContain('worse on held-out data than its epoch 10 checkpoint');
    expect(finding.message).toContain('patience 3 would have stopped at epoch 13');
  });

  it('validation rises 1.2% after its best and levels off while the training loss falls 15%: mild, critical', () => {
    const trace = epochLog(11, (epoch) => 2.2 * (1 - 0.02 * epoch), LEVELS_OFF);
    const finding = onlyFinding(overfitting.detect({ trace, origin: 'log', stepUnit: 'epoch' }));
    expect(finding).toMatchObject({ severity: 'critical', step: 4 });
    expect(finding.evidence.measured).toBeLessThan(LOG_VALIDATION_RISE);
    expect(finding.message).toContain('each of the last 3 evaluations stayed above it');
    expect(finding.message).toContain('mildly overfitting');
  });

  it.each([
    {
      name: 'the same levelled-off rise while the training loss has flattened (down 1%): not overfitting',
      trace: epochLog(11, (epoch) => 2.2 * (1 - 0.001 * epoch), LEVELS_OFF),
    },
    {
      name: 'a converged run: flat validation loss with ±2% noise, the training loss still falling',
      trace: epochLog(
        40,
        (epoch) => 1.2 * Math.exp(-epoch / 6) + 0.05,
        (epoch) => (epoch <= 10 ? 1 - epoch / 20 : 0.5) * (1 + 0.02 * jitter(epoch)),
      ),
    },
    {
      name: 'a mild validation drift while the training loss has flattened too (down 1%): converged, not overfitting',
      trace: epochLog(30, (epoch) => (epoch <= 10 ? 1 - epoch / 20 : 0.5 * (1 - 0.0005 * (epoch - 10))), MILD_DRIFT),
    },
    {
      name: '30 epochs, both losses falling and flattening',
      trace: epochLog(
        30,
        (epoch) => 8 + 80 * Math.exp(-epoch / 4),
        (epoch) => 10 + 78 * Math.exp(-epoch / 4),
      ),
    },
    {
      name: '20 epochs, both losses climb together from epoch 8: divergence, not a widening gap',
      trace: epochLog(
        20,
        (epoch) => (epoch <= 8 ? 0.6 - epoch / 40 : 0.4 * 1.2 ** (epoch - 8)),
        (epoch) => (epoch <= 8 ? 1 - epoch / 16 : 0.5 * 1.2 ** (epoch - 8)),
      ),
    },
  ])('must not trigger: $name', ({ trace }) => {
    expect(overfitting.detect({ trace, origin: 'log' })).toEqual([]);
  });
});

/** Steps a per-step log runs per evaluation: a loss logged every step, the validation loss once an epoch. */
const STEPS_PER_EPOCH = 12;

/**
 * A per-step log of 20 unshuffled epochs: each epoch's batches in the same order, the first half
 * `first` times the epoch's level and the second half `second` times it; the validation loss is
 * logged at each epoch's last step. A tenth of the losses since a late best is under one epoch, so its
 * median reads one half of an epoch's batches at the start and the other half at the end.
 */
function stepLog(
  level: (epoch: number) => number,
  [first, second]: [number, number],
  valLoss: (epoch: number) => number,
): ProbeTrace {
  const epochs = 20;
  const loss = Array.from({ length: epochs * STEPS_PER_EPOCH }, (_, step) => {
    const within = step % STEPS_PER_EPOCH;
    return level(Math.floor(step / STEPS_PER_EPOCH)) * (within < STEPS_PER_EPOCH / 2 ? first : second);
  });
  const trace = buildTrace({ loss });
  const evalStep = Array.from({ length: epochs }, (_, epoch) => (epoch + 1) * STEPS_PER_EPOCH - 1);
  return { ...trace, evalStep, valLoss: evalStep.map((_, epoch) => valLoss(epoch)) };
}

/** Falls to 0.5 at epoch 12, then climbs 5% of it an epoch: +35% at the last. */
const CLIMBS_AFTER_12 = (epoch: number) => (epoch <= 12 ? 1 - epoch / 24 : 0.5 * (1 + 0.05 * (epoch - 12)));

describe('overfitting in per-step logs: the training loss read over at least one evaluation interval', () => {
  it.each([
    {
      name: "training falls 3% an epoch, easy batches first in each epoch; validation climbs 35% after epoch 12 (log 126's shape)",
      trace: stepLog((epoch) => 0.02 * 0.97 ** epoch, [0.5, 1.5], CLIMBS_AFTER_12),
      step: 12 * STEPS_PER_EPOCH + STEPS_PER_EPOCH - 1,
    },
  ])('must trigger: $name', ({ trace, step }) => {
    const finding = onlyFinding(overfitting.detect({ trace, origin: 'log' }));
    expect(finding).toMatchObject({ symptom: 'overfitting', severity: 'critical', step });
    expect(finding.message).toContain('while the training loss fell');
  });

  it.each([
    {
      name: 'training flat by epochs, hard batches first in each epoch; validation drifts up 0.2% an epoch (mild): not overfitting',
      trace: stepLog(() => 0.02, [1.5, 0.5], MILD_DRIFT),
    },
    {
      name: 'both losses flat after epoch 12, easy batches first: converged',
      trace: stepLog(
        (epoch) => 0.02 * 0.97 ** Math.min(epoch, 12),
        [0.5, 1.5],
        (epoch) => 1 - Math.min(epoch, 12) / 24,
      ),
    },
  ])('must not trigger: $name', ({ trace }) => {
    expect(overfitting.detect({ trace, origin: 'log' })).toEqual([]);
  });
});

describe('overfitting', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)('$name', ({ trace, step, measured = Number.NaN }) => {
      const finding = onlyFinding(overfitting.detect({ trace }));
      expectFinding(finding, {
        symptom: 'overfitting',
        severity: 'warning',
        layer: undefined,
        step,
        threshold: VALIDATION_RISE,
        fixes: [],
        confidence: [0.6, MAX_CONFIDENCE],
      });
      expect(finding.evidence.measured).toBeGreaterThanOrEqual(finding.evidence.threshold);
      if (!Number.isNaN(measured)) expect(finding.evidence.measured).toBeCloseTo(measured, 9);
      expect(finding.message).toContain(`${formatNumber(finding.evidence.measured)}x`);
      expect(finding.message).toContain(`limit ${formatNumber(VALIDATION_RISE)}x`);
      expect(finding.message).toContain(`step ${step}`);
      expect(finding.message).toContain('training loss fell');
      expect(finding.advice).toBe(overfitting.remedy);
    });
  });

  describeMustNotTrigger(overfitting, mustNotTrigger);

  it('has no fix among the six, and says what cures it instead', () => {
    expect(overfitting.fixes).toEqual([]);
    expect(overfitting.remedy).toMatch(/early stopping/);
    expect(overfitting.remedy).toMatch(/dropout/);
    expect(overfitting.remedy).toMatch(/more/);
  });
});
