import { describe, expect, it } from 'vitest';
import type { LogRow } from '../../src/logs/log-row.js';
import { resumedRows, selectSegment, splitSegments } from '../../src/logs/log-segments.js';

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

const losses = (steps: number[], line = 1): LogRow[] =>
  steps.map((step, index) => row(line + index, step, { loss: step }));

describe("selectSegment 'last': a resumed run follows the run it resumed", () => {
  it.each<[string, LogRow[][], number[]]>([
    // mustTrigger: bench log 513's chain (0-20, resumed at 10, at 42, at 48) is one run 0-72
    ['resumed from a checkpoint past the first step', [losses([0, 1, 2, 3]), losses([2, 3, 4])], [0, 1, 2, 3, 4]],
    [
      'resumed twice: each resume orphans what the run before logged from its step on',
      [losses([0, 1, 2, 3, 4]), losses([2, 3, 4, 5]), losses([4, 5, 6])],
      [0, 1, 2, 3, 4, 5, 6],
    ],
    ['a fresh run after a resumed one is its own run', [losses([0, 1, 2]), losses([1, 2, 3]), losses([0, 1])], [0, 1]],
    // mustNotTrigger: a restart from the first step (CSVLogger append=True from epoch 0, a 1-based rerun)
    ['a rerun from epoch 0', [losses([0, 1, 2]), losses([0, 1])], [0, 1]],
    ['a rerun from the same first step', [losses([1, 2, 3]), losses([1, 2])], [1, 2]],
    ['one segment', [losses([5, 6, 7])], [5, 6, 7]],
  ])('%s', (_name, segments, steps) => {
    const judged = selectSegment('log.csv', segments, 'last');
    expect(judged.map((logged) => logged.step)).toEqual(steps);
    // What the report's note says: the resume step and the rows taken from earlier segments, or nothing.
    const last = segments.at(-1)!;
    const taken = judged.length - last.length;
    expect(resumedRows(segments)).toEqual(taken > 0 ? { step: last[0]!.step, rows: taken } : null);
  });
});
