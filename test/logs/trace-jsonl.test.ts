import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog } from '../../src/logs/read-log.js';
import { traceToJsonl } from '../../src/logs/trace-jsonl.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { lrTooHigh } from '../../src/symptoms/lr-too-high.js';
import { lrTooLow } from '../../src/symptoms/lr-too-low.js';
import { nanLoss } from '../../src/symptoms/nan-loss.js';
import { oscillatingLoss } from '../../src/symptoms/oscillating-loss.js';
import { overfitting } from '../../src/symptoms/overfitting.js';
import { plateau } from '../../src/symptoms/plateau.js';
import { buildTrace, FIXTURE_TRACES, fixtureTrace, syntheticTrace } from '../symptoms/trace-builder.js';

/** The detectors that judge the loss, with the update ratios that tell lr-too-low from plateau. */
const LOSS_DETECTORS = [nanLoss, lrTooHigh, oscillatingLoss, lrTooLow, plateau, overfitting];
const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-trace-jsonl-'));

/** The trace written with traceToJsonl and read back as analyze reads a log; the chance level passed on as --chance-loss does. */
async function roundTrip(trace: ProbeTrace, name: string): Promise<ProbeTrace> {
  const file = path.join(directory, `${name}.jsonl`);
  writeFileSync(file, traceToJsonl(trace));
  const log = await readLog(file);
  return logTrace(log.file, log.rows, trace.chanceLoss);
}

/**
 * What a finding says about the run: the symptom, how bad, where and the measurement. Confidence
 * and wording may differ: the log does not carry the model's layers (a recurrent layer lowers
 * lr-too-high's confidence and puts clip first).
 */
function verdicts(trace: ProbeTrace) {
  return LOSS_DETECTORS.flatMap((detector) => detector.detect({ trace })).map(
    ({ symptom, severity, step, evidence }) => ({ symptom, severity, step, measured: evidence.measured }),
  );
}

describe('traceToJsonl, read back by analyze', () => {
  it.each(FIXTURE_TRACES)('%s (real probe trace): the loss-based detectors find the same', async (name) => {
    const original = fixtureTrace(name);
    const readBack = await roundTrip(original, name);
    expect(verdicts(readBack)).toEqual(verdicts(original));
  });

  it('keeps the series it writes, and NaN apart from ±Infinity', async () => {
    const trace = buildTrace({
      loss: [3, 2, Number.POSITIVE_INFINITY],
      gradNorm: { 'dense_1/kernel': [1, Number.NEGATIVE_INFINITY, Number.NaN] },
      valLoss: [2.5, 2.4, 2.6],
      evalEvery: 1,
    });
    const readBack = await roundTrip(trace, 'non-finite');
    expect(readBack.loss).toEqual([3, 2, Number.POSITIVE_INFINITY]);
    expect(readBack.gradNorm).toEqual({ 'dense_1/kernel': [1, Number.NEGATIVE_INFINITY, Number.NaN] });
    expect(readBack.nonFiniteSteps).toEqual({ 'dense_1/kernel': [1, 2] });
    expect(readBack.learningRate).toEqual(trace.learningRate);
    expect(readBack.globalGradNorm).toEqual(trace.globalGradNorm);
    expect({ evalStep: readBack.evalStep, valLoss: readBack.valLoss }).toEqual({
      evalStep: [0, 1, 2],
      valLoss: [2.5, 2.4, 2.6],
    });
    expect(readBack.nanStep).toBe(2);
  });

  it('writes the evaluation after the last step on a line of its own', () => {
    const lines = traceToJsonl(syntheticTrace({ steps: 20 }))
      .trimEnd()
      .split('\n');
    expect(lines).toHaveLength(21);
    expect(JSON.parse(lines.at(-1)!) as unknown).toEqual({ step: 20, val_loss: expect.any(Number) as unknown });
    expect(Object.keys(JSON.parse(lines[0]!) as Record<string, unknown>)).toEqual([
      'step',
      'loss',
      'lr',
      'grad_norm',
      'val_loss',
      ...['grad_norm', 'update_ratio'].flatMap((series) =>
        ['dense_1/kernel', 'dense_1/bias', 'dense_2/kernel', 'dense_2/bias', 'dense_3/kernel', 'dense_3/bias'].map(
          (variable) => `${series}/${variable}`,
        ),
      ),
    ]);
  });

  it('leaves out a validation loss that was never measured', () => {
    expect(traceToJsonl(buildTrace({ loss: [1, 0.9], steps: 2 }))).not.toContain('val_loss');
  });
});
