import { describe, expect, it } from 'vitest';
import { headTask } from '../../src/probe/objective.js';

// One output's task, read from its own target values and output units (objective.ts).
describe('the task of one output of a model with several', () => {
  it.each([
    ['0/1 on one unit', [0, 1, 1, 0], 1, 1, 'binary'],
    ['class ids below the unit count', [0, 2, 1, 2], 1, 3, 'multiclass'],
    ['ids past the units, one unit', [0, 2, 1, 2], 1, 1, 'regression'],
    ['ages', [23, 41, 35, 60], 1, 1, 'regression'],
    ['one-hot rows', [1, 0, 0, 1, 1, 0], 2, 2, 'multiclass'],
    ['several 0/1 columns', [1, 1, 0, 1, 0, 0], 2, 2, 'multilabel'],
    ['several value columns', [0.5, 2, 3, 1], 2, 2, 'regression'],
  ])('%s → %s', (_, values, width, units, task) => {
    expect(headTask(Float32Array.from(values), width, units)).toBe(task);
  });
});
