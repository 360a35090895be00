import { describe, expect, it } from 'vitest';
import { downsampleRows } from '../../src/logs/downsample-rows.js';
import { NO_VARIABLES } from '../../src/logs/log-columns.js';
import type { ActivationSample, LogRow } from '../../src/logs/log-row.js';

function row(step: number, values: Partial<LogRow> = {}): LogRow {
  return { line: step + 2, step, variableGradNorms: NO_VARIABLES, updateRatios: NO_VARIABLES, ...values };
}

const SAMPLE: Record<string, ActivationSample> = { relu_1: { activation: 'relu', mean: 0.5, std: 0.1 } };

describe('downsampleRows', () => {
  it('keeps a log of at most `max` rows as it is', () => {
    const rows = [row(0, { loss: 1 }), row(1, { loss: 2 })];
    expect(downsampleRows(rows, 2)).toBe(rows);
  });

  it('judges a longer log on means of consecutive rows: the first line, the last step, each quantity averaged', () => {
    const rows = [
      row(0, { loss: 1, learningRate: 0.1, wallTime: 10 }),
      row(1, { loss: 3, valLoss: 4, learningRate: 0.1, wallTime: 11 }),
      row(2, { loss: 5, wallTime: 12 }),
      row(3, { loss: 7, accuracy: 0.5, wallTime: 13 }),
      row(4, { loss: 9, gradNorm: 2, valAccuracy: 0.25, wallTime: 14 }),
    ];
    expect(downsampleRows(rows, 2)).toEqual([
      row(2, { line: 2, loss: 3, valLoss: 4, learningRate: 0.1, wallTime: 11 }),
      row(4, { line: 5, loss: 8, gradNorm: 2, accuracy: 0.5, valAccuracy: 0.25, wallTime: 13.5 }),
    ]);
  });

  it.each([
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('lets a %s loss stand for its whole bucket, so divergence is still found', (_name, bad) => {
    const rows = [row(0, { loss: 1 }), row(1, { loss: bad }), row(2, { loss: Number.NaN }), row(3, { loss: 1 })];
    expect(downsampleRows(rows, 1).map(({ loss }) => loss)).toEqual([bad]);
  });

  it("keeps a bucket's last activation sample, and none where no row has one", () => {
    const rows = [row(0, { activations: SAMPLE }), row(1), row(2), row(3)];
    const [first, second] = downsampleRows(rows, 2);
    expect(first!.activations).toBe(SAMPLE);
    expect(second).not.toHaveProperty('activations');
  });
});
