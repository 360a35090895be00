import { describe, expect, it } from 'vitest';
import type { LogRow } from '../../src/logs/log-row.js';
import { stepsAcrossEpochs } from '../../src/logs/steps-across-epochs.js';

const rows = (steps: readonly number[]): LogRow[] =>
  steps.map((step, index) => ({ line: index + 2, step, loss: 1, variableGradNorms: {}, updateRatios: {} }));

describe('stepsAcrossEpochs', () => {
  it.each<[string, number[], (number | undefined)[], number[]]>([
    [
      'steps that start again as the epoch advances are counted across epochs (bench log 305)',
      [299, 599, 299, 599, 299, 599],
      [1, 1, 2, 2, 3, 3],
      [299, 599, 899, 1199, 1499, 1799],
    ],
    ['global steps, as Lightning logs them, stay', [99, 199, 299, 399], [0, 0, 1, 1], [99, 199, 299, 399]],
    [
      'a resumed run whose epoch goes back with its step stays, for the segments',
      [100, 200, 100, 200],
      [0, 1, 0, 1],
      [100, 200, 100, 200],
    ],
    ['an appended run whose epoch does not advance stays', [100, 200, 100, 200], [0, 1, 1, 2], [100, 200, 100, 200]],
    ['a step going back on a line without an epoch stays', [299, 599, 299], [1, 1, undefined], [299, 599, 299]],
  ])('%s', (_, steps, epochs, expected) => {
    const read = stepsAcrossEpochs(rows(steps), epochs, 'step', 'epoch');
    expect(read.rows.map((row) => row.step)).toEqual(expected);
    expect(read.notes.length).toBe(steps.join() === expected.join() ? 0 : 1);
  });
});
