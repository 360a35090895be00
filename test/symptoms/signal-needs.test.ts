import { describe, expect, it } from 'vitest';
import { availableSignals, findSymptoms, notEvaluated } from '../../src/symptoms/engine.js';
import { allDetectors, DETECTORS } from '../../src/symptoms/registry.js';
import { SIGNALS, traceSignals, type Signal } from '../../src/symptoms/signal-needs.js';
import { buildTrace, FIXTURE_TRACES, fixtureTrace, geometric } from './trace-builder.js';

/** A per-epoch log of the loss alone, diverging: what a bare Keras CSVLogger file gives. */
function lossOnly(loss: number[]) {
  return {
    ...buildTrace({ loss }),
    globalGradNorm: [],
    gradNorm: {},
    updateRatio: {},
    nonFiniteSteps: {},
    learningRate: [],
  };
}

describe('what each detector needs', () => {
  it.each(allDetectors().map((detector) => [detector.id, detector] as const))(
    '%s declares known signals',
    (_, detector) => {
      expect(detector.needs.length).toBeGreaterThan(0);
      for (const signal of detector.needs) expect(SIGNALS).toContain(signal);
    },
  );

  it('a probe trace holds every signal its detectors need (diagnose runs them all)', () => {
    for (const name of FIXTURE_TRACES) {
      const trace = fixtureTrace(name);
      const plan = notEvaluated(availableSignals({ trace, data: {} as never, config: {} as never }));
      // Only plateau without a chance level and overfitting without validation may be left out.
      for (const { symptom } of plan) expect(['plateau', 'overfitting']).toContain(symptom);
    }
  });

  it('a probe trace read from JSON (NaN is null there) still has its series', () => {
    expect([...traceSignals(fixtureTrace('iris-healthy'))].sort()).toEqual([
      'activations',
      'chance_loss',
      'grad_norm',
      'grad_norm/<variable>',
      'loss',
      'update_ratio/<variable>',
      'val_accuracy',
      'val_loss',
    ]);
  });
});

describe('a log with only the loss', () => {
  const trace = lossOnly([2, 1.8, 2.5, 4, 9, 30, 200, 5e3, Number.POSITIVE_INFINITY]);

  it('lists every detector it cannot run, with the signals it lacks', () => {
    expect(notEvaluated(availableSignals({ trace }))).toEqual([
      ...[
        'data-nan',
        'data-label-invalid',
        'data-constant-column',
        'unscaled-inputs',
        'unscaled-target',
        'class-imbalance',
      ].map((symptom) => ({ symptom, needs: ['data'] })),
      ...['config-output-activation', 'config-loss-mismatch', 'config-shape-mismatch'].map((symptom) => ({
        symptom,
        needs: ['config'],
      })),
      { symptom: 'exploding-gradients', needs: ['grad_norm'] },
      { symptom: 'vanishing-gradients', needs: ['grad_norm/<variable>'] },
      { symptom: 'dead-relu', needs: ['activations'] },
      { symptom: 'saturated-activations', needs: ['activations'] },
      { symptom: 'lr-too-low', needs: ['update_ratio/<variable>'] },
      { symptom: 'plateau', needs: ['chance_loss'] },
      { symptom: 'unstable-activations', needs: ['activations'] },
      { symptom: 'overfitting', needs: ['val_loss'] },
      { symptom: 'overfitting', needs: ['val_accuracy'] },
      { symptom: 'overfitting', needs: ['val_<score>'] },
    ]);
  });

  it('runs the loss detectors only, and they find the divergence', () => {
    expect(findSymptoms({ trace }).map((finding) => finding.symptom)).toEqual(['nan-loss', 'lr-too-high']);
  });

  it('with the chance level given, plateau is judged too', () => {
    const available = availableSignals({ trace: { ...trace, chanceLoss: 2.3 } });
    expect(notEvaluated(available).map(({ symptom }) => symptom)).not.toContain('plateau');
  });
});

/**
 * A log that holds its held-out data in one form: the overfitting detector that reads that form
 * runs, so overfitting is not listed as lacking the others (a log with `val_acc` and no `val_loss`
 * was told "overfitting (val_loss)" not evaluated while overfitting-on-accuracy judged it).
 */
describe('overfitting is not evaluated only when no form of held-out data is logged', () => {
  const trace = lossOnly(Array.from({ length: 20 }, (_, k) => 1 / (1 + k)));
  const epochs = Array.from({ length: 20 }, (_, k) => k);
  const listed = (extra: object) =>
    notEvaluated(availableSignals({ trace: { ...trace, ...extra } })).filter(
      ({ symptom }) => symptom === 'overfitting',
    );

  it.each([
    ['a validation loss', { evalStep: epochs, valLoss: epochs.map((k) => 1 / (1 + k)) }],
    ['a validation accuracy', { evalStep: epochs, valMetric: { name: 'accuracy', values: epochs.map(() => 0.8) } }],
    ['a validation score', { valScore: { name: 'f1', step: epochs, values: epochs.map(() => 0.8) } }],
  ])('must not list it: %s', (_, extra) => {
    expect(listed(extra)).toEqual([]);
  });

  it.each([
    ['nothing held out', {}],
    [
      'a validation MAE as the metric (no accuracy)',
      { evalStep: epochs, valMetric: { name: 'mae', values: epochs.map(() => 0.8) } },
    ],
    ['a score never measured (NaN)', { valScore: { name: 'f1', step: epochs, values: epochs.map(() => Number.NaN) } }],
  ])('must list it: %s', (_, extra) => {
    expect(listed(extra).map(({ needs }) => needs)).toEqual([['val_loss'], ['val_accuracy'], ['val_<score>']]);
  });
});

// Loss shapes that make the loss detectors fire: the others must still find nothing on them.
it.each([
  ['falling', Array.from({ length: 60 }, (_, epoch) => geometric(2, 0.97)(epoch))],
  ['diverging', Array.from({ length: 60 }, (_, epoch) => geometric(2, 1.2)(epoch))],
  ['flat', Array.from({ length: 60 }, () => 2)],
  ['oscillating', Array.from({ length: 60 }, (_, epoch) => (epoch % 2 === 0 ? 1 : 3))],
])(
  'every training-dynamics detector finds nothing without its signals on a %s loss (so leaving it out loses nothing)',
  (_, losses) => {
    const trace = lossOnly(losses);
    const available = availableSignals({ trace });
    for (const detector of DETECTORS.dynamics) {
      if (detector.needs.every((signal: Signal) => available.has(signal))) continue;
      expect(detector.detect({ trace }), detector.id).toEqual([]);
    }
  },
);
