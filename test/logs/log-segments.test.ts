import { describe, expect, it } from 'vitest';
import type { LogRow } from '../../src/logs/log-row.js';
import { splitSegments } from '../../src/logs/log-segments.js';

const row = (line: number, step: number, values: Partial<LogRow>): LogRow => ({
  line,
  step,
  variableGradNorms: {},
  updateRatios: {},
  ...values,
});

describe('splitSegments', () => {
  it.each<[string, LogRow[], number[][]]>([
    [
      'steps that go back start a new run (append=True from epoch 0)',
      [row(1, 0, { loss: 1 }), row(2, 1, { loss: 0.9 }), row(3, 0, { loss: 1.1 }), row(4, 1, { loss: 0.8 })],
      [
        [0, 1],
        [0, 1],
      ],
    ],
    [
      'a step logged twice (an epoch summary at the last step) is one point',
      [row(1, 10, { loss: 1 }), row(2, 20, { loss: 0.9 }), row(3, 20, { loss: 0.85 }), row(4, 30, { loss: 0.8 })],
      [[10, 20, 30]],
    ],
    [
      "TensorBoard's final evaluation written twice at the last step",
      [row(1, 1, { valLoss: 1 }), row(2, 2, { valLoss: 0.9 }), row(3, 2, { valLoss: 0.9 })],
      [[1, 2]],
    ],
    [
      'an evaluation at the step of a training record is not a repeat',
      [row(1, 1, { loss: 1 }), row(2, 1, { valLoss: 1.2 }), row(3, 2, { loss: 0.9 })],
      [[1, 1, 2]],
    ],
  ])('%s', (_, rows, steps) => {
    expect(splitSegments(rows).map((segment) => segment.map((point) => point.step))).toEqual(steps);
  });

  it('merges a repeated point: the later values win, the earlier line and the values only it has stay', () => {
    const [segment] = splitSegments([
      row(1, 5, { loss: 1, learningRate: 0.1, variableGradNorms: { a: 1 } }),
      row(2, 5, { loss: 0.7, variableGradNorms: { b: 2 } }),
    ]);
    expect(segment).toEqual([row(1, 5, { loss: 0.7, learningRate: 0.1, variableGradNorms: { a: 1, b: 2 } })]);
  });
});
