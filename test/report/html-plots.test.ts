/**
 * The plot models of the HTML report: ticks and ranges, what each plot draws, and where a plot
 * without data becomes a sentence (issue 16, part 4).
 */
import { describe, expect, it } from 'vitest';
import { UPDATE_RATIO_LIMIT } from '../../src/symptoms/lr-too-low.js';
import { OVERSHOOT_UPDATE_RATIO } from '../../src/symptoms/signals.js';
import type { Report } from '../../src/report/report.js';
import { formatNumber } from '../../src/util/format.js';
import { renderHtml } from '../../src/report/html/index.js';
import { activationPlot } from '../../src/report/html/activation-plot.js';
import { lossScale, PANEL_TICKS, stepScale } from '../../src/report/html/axis-scale.js';
import { bestEvaluation, lossPlot } from '../../src/report/html/loss-plot.js';
import {
  LEARNING_RATE_PLOT_TITLE,
  learningRatePanel,
  METRIC_PLOT_TITLE,
  metricPanel,
} from '../../src/report/html/run-panels.js';
import { updateRatioPlot, UPDATE_RATIO_PLOT_TITLE } from '../../src/report/html/update-ratio-plot.js';
import { leftOutNote, variablesToShow } from '../../src/report/html/variable-choice.js';
import { gradNormPlot } from '../../src/report/html/grad-norm-plot.js';
import type { Drawing, Figure } from '../../src/report/html/figure.js';
import { proofFigure } from '../../src/report/html/proof-plot.js';
import { diagnosedReport, fullReport } from './html/realistic-report.js';

type Trace = NonNullable<Report['probe']>['trace'];

/** The deep-sigmoid diagnosis with its trace changed, and optionally read from a log. */
function withTrace(change: (trace: Trace) => Partial<Trace>, log?: Report['log']): Report {
  const report = diagnosedReport('deep-sigmoid');
  const probe = report.probe!;
  return {
    ...report,
    ...(log === undefined ? {} : { log }),
    probe: { ...probe, trace: { ...probe.trace, ...change(probe.trace) } },
  };
}

const EPOCH_LOG: Report['log'] = { file: 'logs/history.csv', format: 'keras-csv', axis: 'epoch' };

/** The plot of a drawing that must be drawn, not replaced by a sentence. */
function plotted(drawing: Drawing | null): Figure {
  if (drawing === null || !('svg' in drawing)) throw new Error(`expected a plot, got ${JSON.stringify(drawing)}`);
  return drawing;
}

const tickValues = (values: number[]) => stepScale(values).ticks.map((tick) => tick.value);

describe('axis ticks and ranges', () => {
  it.each([
    { steps: [0, 1, 2], ticks: [0, 1, 2] },
    { steps: [0, 1], ticks: [0, 1] },
    { steps: [1], ticks: [0, 1, 2] },
    { steps: [0, 299], ticks: [0, 50, 100, 150, 200, 250, 300] },
  ])('puts step ticks on whole numbers only: $steps', ({ steps, ticks }) => {
    expect(tickValues(steps)).toEqual(ticks);
    expect(tickValues(steps).every(Number.isInteger)).toBe(true);
  });

  it('gives a short panel about PANEL_TICKS ticks, where a full plot gets about five', () => {
    const accuracies = [0.965, 0.97, 0.99, 0.998];
    expect(lossScale(accuracies).ticks.length).toBeGreaterThan(5);
    expect(lossScale(accuracies, Number.POSITIVE_INFINITY, PANEL_TICKS).ticks.length).toBeLessThanOrEqual(
      PANEL_TICKS + 2,
    );
  });

  it('ends a loss axis at its ceiling when higher values leave through the top', () => {
    const scale = lossScale([0.1, 0.5, 1e8], 2);
    expect(scale.ticks.at(-1)!.value).toBeLessThanOrEqual(10);
    expect(scale.fraction(1e8)).toBeGreaterThan(1);
  });
});

describe('which variables a plot draws, and the legend row that says what it left out', () => {
  const layers = (count: number) =>
    Array.from({ length: count }, (_, index) => [`dense_${index + 1}/kernel`, `dense_${index + 1}/bias`]).flat();
  const kernelsOf = (variables: string[]) => new Set(variables.filter((name) => name.endsWith('/kernel')));

  it.each([
    { count: 3, shown: 6, note: undefined },
    { count: 8, shown: 8, note: 'kernels only; 8 biases not drawn (why)' },
    { count: 9, shown: 8, note: '8 of 9 kernels, spread from the first layer to the last; 9 biases not drawn (why)' },
    {
      count: 12,
      shown: 8,
      note: '8 of 12 kernels, spread from the first layer to the last; 12 biases not drawn (why)',
    },
  ])('$count layers: $shown lines', ({ count, shown, note }) => {
    const variables = layers(count);
    const kernels = kernelsOf(variables);
    const drawn = variablesToShow(variables, kernels);
    expect(drawn).toHaveLength(shown);
    expect(drawn[0]).toBe('dense_1/kernel');
    expect(leftOutNote(drawn, variables, kernels, 'why')).toBe(note);
  });

  it('says "variables" when no variable is a kernel', () => {
    const variables = Array.from({ length: 10 }, (_, index) => `v${index}`);
    const drawn = variablesToShow(variables, new Set());
    expect(leftOutNote(drawn, variables, new Set(), 'why')).toBe(
      '8 of 10 variables, spread from the first layer to the last',
    );
  });

  it('writes the note into the gradient plot’s legend', () => {
    const figure = plotted(gradNormPlot(diagnosedReport('deep-sigmoid')));
    expect(figure.svg).toContain('class="legend-note"');
    expect(figure.svg).toContain('biases not drawn');
  });
});

describe('update/weight ratios', () => {
  it('draws each kernel on a log axis with the rules’ two ranges shaded, labelled from their constants', () => {
    const figure = plotted(updateRatioPlot(diagnosedReport('lr-too-low')));
    expect(figure.svg).toContain(`aria-label="${UPDATE_RATIO_PLOT_TITLE}"`);
    expect(figure.svg.match(/<rect class="band"/g)).toHaveLength(2);
    expect(figure.svg).toContain(`below ${formatNumber(UPDATE_RATIO_LIMIT)}: weights barely move`);
    expect(figure.svg).toContain(`from ${formatNumber(OVERSHOOT_UPDATE_RATIO)}: the step replaces the weights`);
    expect(figure.svg).toContain('(log scale)');
    expect(figure.svg).not.toMatch(/aria-label="[^"]*\/bias"/);
  });

  it('is the first screen’s evidence of a tiny-update lr-too-low finding without trials', () => {
    const report = diagnosedReport('lr-too-low');
    expect(report.findings[0]!.symptom).toBe('lr-too-low');
    expect(renderHtml(report)).toContain(`<figure class="proof" id="proof">\n<svg class="plot" viewBox="0 0 560 `);
    expect(renderHtml(report)).toMatch(new RegExp(`id="proof">\\n<svg[^>]*aria-label="${UPDATE_RATIO_PLOT_TITLE}"`));
  });

  it.each([
    { values: [0, 0], blank: '0' },
    { values: [null, Number.NaN], blank: 'not finite' },
    { values: [0, null], blank: '0 or not finite' },
  ])('is a sentence when no ratio or gradient norm can be drawn on a log axis: $values', ({ values, blank }) => {
    const zeros = (names: string[]) => Object.fromEntries(names.map((name) => [name, values as number[]]));
    const report = withTrace((trace) => ({
      step: [0, 1],
      updateRatio: zeros(Object.keys(trace.updateRatio)),
      gradNorm: zeros(Object.keys(trace.gradNorm)),
    }));
    // A ratio never finite was not measured: the page says the run holds none instead.
    expect(updateRatioPlot(report)).toEqual(
      blank === 'not finite'
        ? null
        : {
            unplotted: `Update/weight ratios: ${blank} for every kernel at every step, so no line can be drawn on a log axis: the weights never moved.`,
          },
    );
    expect(gradNormPlot(report)).toEqual({
      unplotted: `Gradient norms: ${blank} for all 18 variables at every step, so no line can be drawn on a log axis: no gradient reached the weights.`,
    });
  });

  it('is absent from a log without update ratios, and the page says so', () => {
    const report = withTrace(() => ({ updateRatio: {} }), EPOCH_LOG);
    expect(updateRatioPlot(report)).toBeNull();
    expect(renderHtml(report)).toContain('<p>The log holds no update ratios.</p>');
  });
});

describe('activations', () => {
  const layer = (fractions: number[]) => ({
    layer: 'dense_1',
    activation: 'sigmoid',
    mean: [],
    std: [],
    deadFraction: null,
    saturatedFraction: fractions,
    nearSaturatedFraction: fractions,
  });

  it('becomes a sentence of what was measured when every fraction is zero', () => {
    const drawing = activationPlot(withTrace(() => ({ activations: [layer([0, 0, 0])] })))!;
    expect(drawing).toEqual({
      unplotted:
        'Measured the fraction of saturated and near-saturated units in layer (dense_1) on the probe batch: ' +
        '0% at every evaluation, so no bars are drawn.',
    });
  });

  it('says when a non-zero fraction lay between the first and the last evaluation', () => {
    const drawing = activationPlot(withTrace(() => ({ activations: [layer([0, 0.25, 0])] })))!;
    expect('unplotted' in drawing && drawing.unplotted).toContain('(at most 25% at one step between)');
  });

  it.each([
    { fractions: [0.1, 0.4], tick: true, words: 'at the last evaluation (step 20); the black tick' },
    { fractions: [0.4, 0.4], tick: false, words: 'at the last evaluation (step 20); each is the same at the first.' },
    { fractions: [0.4], tick: false, words: 'at the only evaluation (step 0). Dead' },
  ])('mentions the first-evaluation tick only when one is drawn: $fractions', ({ fractions, tick, words }) => {
    const evalStep = fractions.map((_, index) => index * 20);
    const drawing = activationPlot(withTrace(() => ({ evalStep, activations: [layer(fractions)] })))!;
    expect('svg' in drawing).toBe(true);
    if (!('svg' in drawing)) return;
    expect(drawing.svg.includes('class="first-tick"')).toBe(tick);
    expect(drawing.caption.includes('black tick')).toBe(tick);
    expect(drawing.caption).toContain(words);
  });
});

describe('the loss and the panels under it', () => {
  it('marks an analyzed log’s best validation loss, on an epoch axis without "step" or "(unknown)"', () => {
    const report = withTrace(
      () => ({ step: [0, 1, 2], loss: [1, 0.8, 0.7], evalStep: [0, 1, 2], valLoss: [0.9, 0.6, 0.65] }),
      EPOCH_LOG,
    );
    report.probe!.lossName = 'unknown';
    expect(bestEvaluation(report)).toEqual({ step: 1, loss: 0.6 });
    const figure = lossPlot(report)!;
    expect(figure.svg).toContain('best validation loss: epoch 1');
    expect(figure.svg).toContain('>epoch</text>');
    expect(figure.svg).not.toMatch(/>step<|\(unknown\)/);
    // Title and aria-label too: an analyzed log is neither a probe nor per step.
    expect(figure.svg).toContain('aria-label="Logged loss: training and validation loss per epoch"');
    expect(figure.svg).not.toMatch(/Probe loss|per step/);
    expect(figure.caption).toContain('the best validation loss, 0.6, came at epoch 1 (marked)');
    // A 3-epoch run: ticks at 0, 1, 2 only.
    expect(figure.svg).not.toMatch(/text-anchor="middle">(0\.5|1\.5)</);
  });

  it('marks no best epoch on a probe, which keeps no checkpoint', () => {
    expect(bestEvaluation(diagnosedReport('iris-healthy'))).toBeNull();
  });

  it.each([
    { name: 'absent', rates: [] as number[], expected: 'nothing' },
    { name: 'constant', rates: [0.1, 0.1, 0.1], expected: 'sentence' },
    { name: 'a schedule', rates: [0.1, 0.05, 0.01], expected: 'plot' },
  ])('draws the learning rate only when it changes: $name', ({ rates, expected }) => {
    const panel = learningRatePanel(
      withTrace(() => ({ step: [0, 1, 2], loss: [1, 0.9, 0.8], learningRate: rates, evalStep: [], valLoss: [] })),
    );
    const kind = panel === null ? 'nothing' : 'unplotted' in panel ? 'sentence' : 'plot';
    expect(kind).toBe(expected);
    if (expected === 'plot') expect(panel).toMatchObject({ svg: expect.stringContaining(LEARNING_RATE_PLOT_TITLE) });
    if (expected === 'sentence')
      expect(panel).toEqual({ unplotted: 'Learning rate: 0.1 at every step (no schedule), so no panel is drawn.' });
  });

  it('draws the validation metric with its best evaluation marked, and nothing without one', () => {
    const report = withTrace(() => ({
      evalStep: [0, 10, 20],
      valMetric: { name: 'accuracy', values: [0.5, 0.9, 0.8] },
    }));
    const panel = metricPanel(report)!;
    expect('svg' in panel && panel.svg).toContain('best 0.9');
    expect('svg' in panel && panel.svg).toContain(`aria-label="${METRIC_PLOT_TITLE}"`);
    expect('caption' in panel && panel.caption).toBe(
      'Validation accuracy at each evaluation: from 0.5 to 0.8, best 0.9 at step 10 (marked).',
    );
    expect(metricPanel(withTrace(() => ({ valMetric: null })))).toBeNull();
    const flat = withTrace(() => ({ evalStep: [0, 10], valMetric: { name: 'accuracy', values: [0.25, 0.25] } }));
    expect(metricPanel(flat)).toEqual({
      unplotted: 'Validation accuracy: 0.25 at every evaluation (2 of them), so no panel is drawn.',
    });
  });
});

describe('before and after', () => {
  it('keeps the fixed curve readable: a baseline that climbs to 1e27, then NaN at step 160, leaves through the top, marked', () => {
    const report = fullReport();
    const proof = proofFigure(report)!;
    const top = Math.max(
      ...[...proof.svg.matchAll(/text-anchor="end">(?:10<tspan[^>]*>(−?\d+)<\/tspan>|([\d.]+))</g)].map((match) =>
        match[1] === undefined ? Number(match[2]) : 10 ** Number(match[1].replace('−', '-')),
      ),
    );
    expect(top).toBeLessThanOrEqual(100);
    expect(proof.svg).toContain('baseline diverged at step 160');
    expect(proof.caption).toContain('leave through the top');
  });
});
