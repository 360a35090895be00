import { describe, expect, it } from 'vitest';
import { judgeLog } from '../../src/commands/analyze.js';
import type { LogRow } from '../../src/logs/log-row.js';
import { NO_VARIABLES } from '../../src/logs/log-columns.js';

/** A validation-only log (no training loss): one evaluation per epoch. */
function validationOnly(valLoss: readonly number[]): LogRow[] {
  return valLoss.map((value, epoch) => ({
    line: epoch + 2,
    step: epoch,
    valLoss: value,
    variableGradNorms: NO_VARIABLES,
    updateRatios: NO_VARIABLES,
  }));
}

const judge = (valLoss: readonly number[]) =>
  judgeLog({ file: 'val.csv', format: 'keras-csv', rows: validationOnly(valLoss), byEpoch: true, notes: [] });

describe('a log of only a validation loss: judged as the loss curve, overfitting on its rise alone', () => {
  it.each([
    { name: 'falling', valLoss: [2.27, 2.2, 2.1, 2.05, 2.0, 1.95, 1.92, 1.9, 1.89, 1.88], symptoms: [] },
    { name: 'turning NaN', valLoss: [2.3, 2.1, 1.9, Number.NaN, Number.NaN], symptoms: ['nan-loss'] },
    { name: 'frozen to the digit', valLoss: [2.3, 2.302585, 2.302585, 2.302585, 2.302585], symptoms: ['plateau'] },
  ])('$name: $symptoms', ({ valLoss, symptoms }) => {
    const report = judge(valLoss);
    expect(report.findings.map((finding) => finding.symptom)).toEqual(symptoms);
    expect(report.log?.lossCurve).toBe('validation');
    expect(report.notEvaluated).toContainEqual(expect.objectContaining({ symptom: 'overfitting', needs: ['loss'] }));
  });

  it('rising from its best: overfitting, judged on the validation loss alone (GL_5 over the last three evaluations)', () => {
    const report = judge([1.0, 0.8, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    expect(report.findings.map((finding) => [finding.symptom, finding.severity])).toEqual([
      ['overfitting', 'critical'],
    ]);
    expect(report.findings[0]!.message).toMatch(/the training loss was not logged/);
    expect(report.log?.notes).toContainEqual(expect.stringMatching(/overfitting on its rise above its best alone$/));
  });

  it('judges the validation loss as the loss and keeps no second validation curve', () => {
    const trace = judge([2, 1.5, 1]).probe!.trace;
    expect({ step: trace.step, loss: trace.loss, evalStep: trace.evalStep }).toEqual({
      step: [0, 1, 2],
      loss: [2, 1.5, 1],
      evalStep: [0, 1, 2],
    });
    expect(trace.valLoss.every(Number.isNaN)).toBe(true);
  });

  it('a log with a training loss says nothing of a stand-in', () => {
    const rows = validationOnly([2, 1.5, 1]).map((row) => ({ ...row, loss: row.valLoss! + 0.1 }));
    const report = judgeLog({ file: 'run.csv', format: 'keras-csv', rows, byEpoch: true, notes: [] });
    expect(report.log?.lossCurve).toBeUndefined();
    expect(report.log?.notes).toEqual([]);
  });
});
