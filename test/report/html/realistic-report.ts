/**
 * Reports for the HTML renderer's tests: a real probe trace of an example through the real engine
 * and buildReport, plus --apply-fix trials with loss curves and an LR range test made up here
 * (300-step probes, ~10 trials, as a real `--apply-fix all` run gives). Everything passes through
 * JSON, as a saved report does: NaN and Infinity arrive as null.
 */
import type { Trial, TrialCurve } from '../../../src/trials/trial-stats.js';
import { buildReport, probeSection, type Report } from '../../../src/report/report.js';
import type { LrRangeCurve } from '../../../src/trials/apply-fixes.js';
import { findSymptoms } from '../../../src/symptoms/engine.js';
import type { FixId } from '../../../src/symptoms/ids.js';
import { summary } from '../../symptoms/data-summary.js';
import { decay, fixtureTrace, noisy, type FixtureTrace } from '../../symptoms/trace-builder.js';

const STEPS = 300;
const EVAL_EVERY = 10;

/** The diagnosis of a fixture trace, as `diagnose` would report it. */
export function diagnosedReport(name: FixtureTrace): Report {
  const trace = fixtureTrace(name);
  const data = summary();
  const report = buildReport({
    command: 'diagnose',
    config: `examples/${name}/convdoc.yaml`,
    backend: trace.backend,
    seed: 42,
    data,
    probe: probeSection(trace, 'wasm: no native backend installed', []),
    findings: findSymptoms({ data: { data }, trace }),
  });
  return roundTrip(report);
}

/** A diagnosis with everything the page can show: trials with curves (one diverged), an LR range test, an edit. */
export function fullReport(name: FixtureTrace = 'deep-sigmoid'): Report {
  const report = diagnosedReport(name);
  return roundTrip({
    ...report,
    findings: [
      ...report.findings,
      {
        symptom: 'config-output-activation',
        severity: 'warning',
        confidence: 0.9,
        layer: 'dense_<9>',
        evidence: { measured: Number.POSITIVE_INFINITY, threshold: 1, what: 'output units & "activation"' },
        message: 'A message with <script>alert("x")</script> & friends',
        fixes: [],
        advice: 'Use a <b>linear</b> output.',
        edit: {
          key: 'model.layers.8.activation',
          from: 'sigmoid',
          to: 'linear',
          file: 'examples/a&b/convdoc.yaml',
          line: 12,
          column: 7,
        },
      },
    ],
    trials: trials(),
    lrRangeTest: lrRangeTest(),
  });
}

function trials(): Trial[] {
  const fixes: FixId[][] = [
    [],
    ['normalize'],
    ['lr-schedule'],
    ['clip'],
    ['activation'],
    ['batchnorm'],
    ['normalize', 'clip'],
    ['activation', 'batchnorm'],
    ['normalize', 'lr-schedule'],
    ['activation', 'clip'],
  ];
  return fixes.map((applied, index) => {
    const diverges = index === 0 || index === 3;
    const final = diverges ? Number.POSITIVE_INFINITY : 0.05 * index;
    return {
      fixes: applied,
      finalLoss: final,
      bestLoss: diverges ? 0.6 : final * 0.9,
      valLoss: final,
      diverged: diverges,
      lost: index === 7,
      stepsToHalf: diverges ? null : 20 * index,
      seconds: 1.5 + index / 10,
      seeds: 3,
      ...(index === 0
        ? {}
        : {
            improvement: diverges ? Number.NEGATIVE_INFINITY : 1,
            improvementInterval: [0.9, 1] as [number, number],
            verified: !diverges,
          }),
      curve: curve(index, diverges),
    };
  });
}

/** A noisy decaying loss; a diverging one climbs to 1e30 and turns NaN at step 150. */
function curve(seed: number, diverges: boolean): TrialCurve {
  const loss = noisy(decay(2, 0.05 * (seed + 1), 40), 0.1, seed + 1);
  const at = (step: number) =>
    diverges && step >= 150 ? (step < 160 ? 10 ** (3 * (step - 149)) : Number.NaN) : loss(step);
  const step = Array.from({ length: STEPS }, (_, index) => index);
  const evalStep = step.filter((index) => index % EVAL_EVERY === 0);
  return { step, loss: step.map(at), evalStep, valLoss: evalStep.map((index) => at(index) * 1.1) };
}

/** A sweep from 1e-7 to 10: flat, a descent, a minimum, then a blow-up to NaN; smoothed up to where it passed 4× its best, as the sweep stops. */
function lrRangeTest(): LrRangeCurve {
  const steps = 100;
  const learningRate = Array.from({ length: steps }, (_, index) => 1e-7 * 10 ** ((8 * index) / (steps - 1)));
  const loss = learningRate.map((rate, index) =>
    rate > 3
      ? Number.NaN
      : rate > 0.3
        ? 10 ** (30 * (rate - 0.3))
        : (2 / (1 + 1e3 * rate) + 0.05) * (1 + 0.05 * Math.sin(index)),
  );
  const smoothedFrom = 10;
  let average = loss[smoothedFrom]!;
  const smoothed = loss.slice(smoothedFrom).map((value) => (average = 0.8 * average + 0.2 * value));
  const lowest = smoothed.indexOf(Math.min(...smoothed.filter(Number.isFinite)));
  const cut = smoothed.findIndex((value, index) => index > lowest && !(value <= 4 * smoothed[lowest]!));
  return {
    learningRate,
    loss,
    smoothed: smoothed.slice(0, cut),
    smoothedFrom,
    steepest: 3e-4,
    valley: 1e-3,
    suggested: 1e-3,
  };
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
