import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { FixId, Severity } from '../../src/symptoms/ids.js';
import { MIN_STEPS } from '../../src/symptoms/lr-too-low.js';
import { CHANCE_FRACTION, PLATEAU_PROGRESS, plateau } from '../../src/symptoms/plateau.js';
import { formatNumber } from '../../src/util/format.js';
import { onlyFinding } from './data-summary.js';
import { describeMustNotTrigger, expectFinding, realTraceRows, type TraceRow } from './dynamics-cases.js';
import {
  DEFAULT_CHANCE,
  DEFAULT_LAYERS,
  fixtureTrace,
  jitter,
  syntheticTrace,
  type FixtureTrace,
  type SeriesInput,
} from './trace-builder.js';

const PAST = 1.001;
const CHANCE = DEFAULT_CHANCE;

interface Stall {
  /** Validation loss from step 150, as a fraction of the chance loss. */
  level?: number;
  /** Where it ends from step 225 on (default: `level`). */
  end?: number;
  /** Where it starts at step 0, falling linearly to `level` at step 150. */
  start?: number;
  ratio?: SeriesInput;
  steps?: number;
}

/** A run whose validation loss falls from `start` to `level` × chance by step 150, then holds (or moves to `end` at step 225). */
function stalled({ level = 0.9, end = level, start = 2, ratio = 1e-3, steps }: Stall = {}): ProbeTrace {
  const valLoss = (step: number) =>
    CHANCE * (step < 150 ? start - ((start - level) * step) / 150 : step < 225 ? level : end);
  return syntheticTrace({
    ...(steps === undefined ? {} : { steps }),
    loss: (step) => valLoss(step) * (1 + 0.1 * jitter(step)),
    valLoss,
    layers: DEFAULT_LAYERS.map((layer) => ({ ...layer, updateRatio: ratio })),
  });
}

/** `steps` steps at the chance-level loss, with 1% noise: nothing learned. */
function flatAtChance(steps: number): ProbeTrace {
  return syntheticTrace({ steps, loss: (step) => CHANCE * (1 + 0.01 * Math.sin(step)), valLoss: () => CHANCE });
}

interface TriggerRow extends TraceRow {
  severity: Severity;
  /** Bounds on the confidence: low when the plateau looks like a consequence of something else. */
  confidence: [number, number];
  mentions?: string[];
  /** Where the judged second half starts (default 150, half of a 300-step probe). */
  step?: number;
  /** Default lr-schedule, then search. */
  fixes?: FixId[];
}

const mustTrigger: TriggerRow[] = [
  {
    name: 'deep-sigmoid: stuck at ln 2 for 300 steps, early layers 1e5x slower than the last',
    trace: fixtureTrace('deep-sigmoid'),
    severity: 'critical',
    confidence: [0.5, 0.7],
    mentions: ['Less certain', 'vanishing', 'Glorot & Bengio 2010', 'ReLU comes first'],
    // Sigmoid hidden layers: the activation first.
    fixes: ['activation', 'lr-schedule', 'search'],
  },
  {
    name: 'sigmoid-regression: stuck at 6x the target variance, updates died out',
    trace: fixtureTrace('sigmoid-regression'),
    severity: 'critical',
    confidence: [0.3, 0.5],
    mentions: ['Less certain', 'died out', 'config or target bug'],
  },
  {
    name: 'softmax-one-unit: stuck far above ln 2, no update at all',
    trace: fixtureTrace('softmax-one-unit'),
    severity: 'critical',
    confidence: [0.3, 0.5],
    mentions: ['Less certain', 'no update at all'],
  },
  {
    name: 'stalled at 0.9x chance with healthy updates: a warning, confident',
    trace: stalled(),
    severity: 'warning',
    confidence: [0.95, 0.95],
  },
  {
    name: 'stalled exactly at the 0.8x chance level',
    trace: stalled({ level: CHANCE_FRACTION }),
    severity: 'warning',
    confidence: [0.95, 0.95],
  },
  {
    name: 'second-half progress just under 5%: barely a plateau, less confident',
    trace: stalled({ level: 1, end: 1 - PLATEAU_PROGRESS / PAST }),
    severity: 'warning',
    confidence: [0.6, 0.62],
  },
  {
    name: 'at chance from start to end, weights moving: learned nothing',
    trace: stalled({ start: 1, level: 1 }),
    severity: 'critical',
    confidence: [0.95, 0.95],
  },
  {
    name: 'rising slowly above chance in the second half',
    trace: stalled({ start: 1.2, level: 1, end: 1.1 }),
    severity: 'warning',
    confidence: [0.95, 0.95],
    mentions: ['rose 10%'],
  },
];

/** The trace with its layers' activations replaced, hidden layers first and the output last. */
function withActivations(trace: ProbeTrace, activations: readonly string[]): ProbeTrace {
  return { ...trace, layers: trace.layers.map((layer, index) => ({ ...layer, activation: activations[index]! })) };
}

mustTrigger.push(
  {
    name: 'stalled with tanh hidden layers: the activation fix after the rate and a search',
    trace: withActivations(stalled(), ['tanh', 'tanh', 'linear']),
    severity: 'warning',
    confidence: [0.95, 0.95],
    fixes: ['lr-schedule', 'search', 'activation'],
  },
  {
    name: 'stalled with one tanh hidden layer among ReLUs: the activation fix still has a layer to change',
    trace: withActivations(stalled(), ['relu', 'tanh', 'linear']),
    severity: 'warning',
    confidence: [0.95, 0.95],
    fixes: ['lr-schedule', 'search', 'activation'],
  },
  {
    name: 'stalled with a tanh output only: the activation fix leaves the output, so it is not offered',
    trace: withActivations(stalled(), ['relu', 'relu', 'tanh']),
    severity: 'warning',
    confidence: [0.95, 0.95],
  },
);

mustTrigger.push({
  name: 'flat at 0.9x chance in a slice of a 20,000-step plan: projected flat to the end, a warning that says so',
  trace: withPlan(stalled(), 20_000),
  severity: 'warning',
  confidence: [0.9, 0.95],
  mentions: ['Projected to the planned run', 'step 20000'],
});

mustTrigger.push({
  name: `a ${MIN_STEPS - 10}-step run that is the whole plan, flat at chance: judged, its end is the run's end`,
  trace: withPlan(flatAtChance(MIN_STEPS - 10), MIN_STEPS - 10),
  severity: 'critical',
  confidence: [0.9, 0.95],
  mentions: ["Measured at the planned run's end", `step ${MIN_STEPS - 10}`],
  step: (MIN_STEPS - 10) / 2,
});

/** A training loss that falls to a hundredth of chance by step 140 and stays there: the training rows memorized. */
const memorizedLoss = (step: number) => CHANCE * Math.max(0.01, Math.exp(-step / 30)) * (1 + 0.1 * jitter(step));

/** The memorized training loss beside a validation loss that never leaves chance. */
function memorizedAtChance(): ProbeTrace {
  return syntheticTrace({ loss: memorizedLoss, valLoss: () => CHANCE });
}

/**
 * A training loss that falls to a hundredth of chance beside a validation loss that falls to `best`
 * × chance by step 50, holds there to step 80, climbs back to `back` × chance by step 150 and holds.
 */
function fitsTrainingRows(best: number, back = 1.05): ProbeTrace {
  const validation = (step: number) =>
    step < 50
      ? 1 - ((1 - best) * step) / 50
      : step < 80
        ? best
        : Math.min(back, best + ((back - best) * (step - 80)) / 70);
  return syntheticTrace({ loss: memorizedLoss, valLoss: (step) => CHANCE * validation(step) });
}

mustTrigger.push({
  name: 'training rows memorized while the validation loss never left chance: nothing carries over, a plateau',
  trace: memorizedAtChance(),
  severity: 'critical',
  confidence: [0.95, 0.95],
});

mustTrigger.push({
  name: 'a validation loss that dipped only to the 0.8x line before climbing back: never generalized, a plateau',
  trace: fitsTrainingRows(CHANCE_FRACTION),
  severity: 'critical',
  confidence: [0.95, 0.95],
});

/** A training loss falling linearly from chance to 0.6x chance over 300 steps beside a validation loss held at chance. */
function fitsWhileValidationWaits(): ProbeTrace {
  return syntheticTrace({
    loss: (step) => CHANCE * (1 - (0.4 * step) / 300) * (1 + 0.02 * jitter(step)),
    valLoss: () => CHANCE,
  });
}

mustTrigger.push({
  name: 'validation at chance while the training loss still falls past the learned line, in a slice of a 4,000-step plan: a warning',
  trace: withPlan(fitsWhileValidationWaits(), 4000),
  severity: 'warning',
  confidence: [0.95, 0.95],
  mentions: ['still fitting', 'Projected to the planned run'],
});

mustTrigger.push({
  name: 'the same curves as the whole plan: the validation loss ends at chance, learned nothing',
  trace: withPlan(fitsWhileValidationWaits(), 300),
  severity: 'critical',
  confidence: [0.95, 0.95],
  mentions: ["Measured at the planned run's end"],
});

mustTrigger.push({
  name: 'training rows memorized and the training loss flat since, in a slice of a 20,000-step plan: still learned nothing',
  trace: withPlan(memorizedAtChance(), 20_000),
  severity: 'critical',
  confidence: [0.95, 0.95],
});

const otherExamples: FixtureTrace[] = [
  'boston-standardized',
  'iris-healthy',
  'boston-unscaled',
  'exploding-rnn',
  'lr-too-high',
];

const mustNotTrigger: TraceRow[] = [
  ...realTraceRows(otherExamples),
  {
    name: 'lr-too-low: stalled at chance, but every update is tiny (lr-too-low reports it)',
    trace: fixtureTrace('lr-too-low'),
  },
  { name: 'stalled just below the 0.8x chance level: it learned', trace: stalled({ level: CHANCE_FRACTION / PAST }) },
  { name: 'second-half progress exactly 5%', trace: stalled({ level: 1, end: 1 - PLATEAU_PROGRESS }) },
  { name: 'still falling steadily in the second half', trace: stalled({ level: 1, end: 0.85 }) },
  { name: 'tiny updates all along: lr-too-low, not a plateau', trace: stalled({ start: 1, level: 1, ratio: 1e-6 }) },
  { name: 'no chance-level loss to compare with', trace: (() => Object.assign(stalled(), { chanceLoss: null }))() },
  { name: `a probe shorter than ${MIN_STEPS} steps`, trace: stalled({ steps: MIN_STEPS - 1 }) },
  {
    name: `the same ${MIN_STEPS - 10} flat steps as a slice of a 2,000-step plan: too few to judge`,
    trace: withPlan(flatAtChance(MIN_STEPS - 10), 2000),
  },
  { name: 'healthy synthetic run', trace: syntheticTrace() },
  {
    name: 'training loss at a hundredth of chance, validation down to 0.6x then back at 1.05x: overfitting, not a plateau',
    trace: fitsTrainingRows(0.6),
  },
  {
    name: 'the same with the validation loss just under the 0.8x line at its best',
    trace: fitsTrainingRows(CHANCE_FRACTION / PAST),
  },
  {
    name: 'a slow 300-step slice of a 20,000-step plan: 0.9 to 0.87x chance, projected to learn by the end',
    trace: withPlan(stalled({ level: 0.9, end: 0.87 }), 20_000),
  },
];

/** The trace as a slice of a planned run of `steps` optimizer steps. */
function withPlan(trace: ProbeTrace, steps: number): ProbeTrace {
  return { ...trace, plan: { steps, source: 'steps' } };
}

describe('plateau', () => {
  describe('must trigger', () => {
    it.each(mustTrigger)(
      '$name',
      ({ trace, severity, confidence: [low, high], mentions = [], step = 150, fixes = ['lr-schedule', 'search'] }) => {
        const finding = onlyFinding(plateau.detect({ trace }));
        expectFinding(finding, {
          symptom: 'plateau',
          severity,
          layer: undefined,
          step,
          threshold: PLATEAU_PROGRESS,
          mentions,
          fixes,
          confidence: [low, high],
        });
        expect(finding.evidence.measured).toBeLessThan(finding.evidence.threshold);
        const progress = finding.evidence.measured;
        expect(finding.message).toContain(
          `${progress >= 0 ? 'fell only' : 'rose'} ${formatNumber(Math.abs(progress) * 100)}%`,
        );
        expect(finding.message).toContain(`progress limit ${formatNumber(PLATEAU_PROGRESS * 100)}%`);
        expect(finding.message).toContain(`chance-level loss ${formatNumber(trace.chanceLoss!)}`);
        expect(finding.message).toContain(`${formatNumber(CHANCE_FRACTION)}x`);
        expect(finding.message).toContain(`step ${step}`);
      },
    );
  });

  describeMustNotTrigger(plateau, mustNotTrigger);
});
