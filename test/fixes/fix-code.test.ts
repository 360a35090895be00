import { describe, expect, it } from 'vitest';
import { FRAMEWORKS, type CodeContext } from '../../src/fixes/code/code-context.js';
import { fixCode, logCodeContext } from '../../src/fixes/code/fix-code.js';
import { FIX_IDS } from '../../src/symptoms/ids.js';
import type { LayerSummary } from '../../src/trace/trace.js';
import { buildTrace } from '../symptoms/trace-builder.js';
import { criticalFinding } from './fix-fixtures.js';

const layer = (name: string, type: string, activation: string, units?: number): LayerSummary => ({
  name,
  type,
  activation,
  outputShape: units === undefined ? [] : [null, units],
  params: 0,
});

/** A recorded PyTorch MLP: Linear and activation modules by module path, a Sigmoid output. */
const RECORDED: CodeContext = {
  layers: [
    layer('net.0', 'dense', 'linear', 64),
    layer('net.1', 'activation', 'sigmoid'),
    layer('net.2', 'dense', 'linear', 32),
    layer('net.3', 'activation', 'tanh'),
    layer('net.4', 'dense', 'linear', 1),
    layer('net.5', 'activation', 'sigmoid'),
  ],
  learningRate: 0.003,
  steps: 500,
  clipNorm: 0.5,
};

const code = (fix: (typeof FIX_IDS)[number], framework: (typeof FRAMEWORKS)[number], context = RECORDED) =>
  fixCode(fix, [framework], context)[0]!.code;

describe('fixes as code', () => {
  it.each(FIX_IDS.flatMap((fix) => FRAMEWORKS.map((framework) => [fix, framework] as const)))(
    '%s has %s code, with or without a context',
    (fix, framework) => {
      expect(code(fix, framework)).not.toBe('');
      expect(code(fix, framework, { layers: [] })).not.toBe('');
    },
  );

  it('replaces the hidden squashing modules by module path, never the output', () => {
    expect(code('activation', 'pytorch')).toBe(
      'nn.LeakyReLU(0.01)  # in place of nn.Sigmoid at net.1\nnn.LeakyReLU(0.01)  # in place of nn.Tanh at net.3',
    );
  });

  it('gives Keras and tfjs the change the trials measure: ReLU with He initialization in the hidden sigmoid/tanh layers', () => {
    expect(code('activation', 'keras')).toBe(
      "activation='relu', kernel_initializer='he_normal'  # in net.1, net.3, in place of their sigmoid/tanh",
    );
    expect(code('activation', 'tfjs')).toBe(
      "activation: 'relu', kernelInitializer: 'heNormal'  // in net.1, net.3, in place of their sigmoid/tanh",
    );
  });

  it('puts batch normalization of the right width after each hidden linear layer', () => {
    expect(code('batchnorm', 'pytorch')).toBe(
      'nn.BatchNorm1d(64)  # after net.0, before its activation\nnn.BatchNorm1d(32)  # after net.2, before its activation',
    );
    expect(code('batchnorm', 'keras')).toContain('BatchNormalization()  # after net.0, net.2');
  });

  it('writes the chosen clipping bound, rate and run length', () => {
    expect(code('clip', 'pytorch')).toContain('clip_grad_norm_(model.parameters(), max_norm=0.5)');
    expect(code('clip', 'keras')).toContain('clipnorm=0.5');
    expect(code('lr-schedule', 'pytorch')).toContain('lr=0.003');
    expect(code('lr-schedule', 'pytorch')).toContain('CosineAnnealingLR(optimizer, T_max=500)');
    expect(code('lr-schedule', 'keras')).toContain('CosineDecay(initial_learning_rate=0.003, decay_steps=500)');
  });

  it.each([
    [['lr-too-high'], 0.01, 'below'],
    [['lr-too-low'], 1, 'above'],
    [['dead-relu'], 0.1, undefined],
  ] as const)('a log that shows %j starts the schedule at %d', (symptoms, rate, direction) => {
    const trace = buildTrace({ loss: 1, steps: 100, learningRate: 0.1 });
    const context = logCodeContext(
      trace,
      symptoms.map((symptom) => criticalFinding(symptom)),
    );
    expect(context.learningRate).toBeCloseTo(rate);
    expect(context.steps).toBe(100);
    expect(context.rateWhy).toBe(
      direction && `a decade ${direction} the run's 0.1; convdoc lr-find on a config measures it`,
    );
  });
});
