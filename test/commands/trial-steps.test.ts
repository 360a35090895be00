import { describe, expect, it } from 'vitest';
import { trialSteps } from '../../src/commands/diagnose.js';
import type { Config } from '../../src/config/schema.js';

const CONFIG = { probe: { steps: 300, maxSeconds: 60 } } as Config;

describe('the steps the trials run', () => {
  it.each([
    { stoppedEarly: null, stepsRun: 300, steps: 300 },
    { stoppedEarly: 'nan-loss', stepsRun: 12, steps: 300 },
    { stoppedEarly: 'time-budget', stepsRun: 120, steps: 120 },
  ] as const)('after a baseline stopped by $stoppedEarly at $stepsRun: $steps', ({ stoppedEarly, stepsRun, steps }) => {
    expect(trialSteps(CONFIG, { stoppedEarly, stepsRun }).probe).toEqual({ steps, maxSeconds: 60 });
  });
});
