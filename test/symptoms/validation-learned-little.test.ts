/**
 * A logged run whose validation loss learned little and then stopped while its training loss crawls
 * (validation-learned-little.ts, through not-learning.ts): both losses removed less than a fifth of
 * their first value and the validation loss has no trend over its second half. Runs that learned
 * (a large fall, noisy or not), a validation loss still falling, one that rose, an accuracy that rose
 * past its start and runs too short to test must not trigger; no rule fires on a probe's trace.
 */
import { describe, expect, it } from 'vitest';
import { notLearning } from '../../src/symptoms/not-learning.js';
import { validationLearnedLittle } from '../../src/symptoms/validation-learned-little.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { epochLog, settling } from './epoch-log.js';
import { jitter } from './trace-builder.js';

/** `length` values falling at a steady pace from `from` by `share` of it, with 0.5% scatter (a crawl). */
const crawl = (length: number, from: number, share: number, seed = 0) =>
  Array.from({ length }, (_, e) => from * (1 - (share * e) / (length - 1)) * (1 + 0.005 * jitter(e + seed)));
/** Log 389's shape: 39 epochs, training crawling down 8%, validation 0.192 settling 3% lower within ten epochs, ±1.5% after. */
const training389 = crawl(39, 0.194, 0.08);
const validation389 = settling(39, 0.192, 0.186, 4, 0.015, 7);
/** An accuracy beginning at 0.879, dipping to 0.75 by epoch 10 and ending near 0.84 (389's validation accuracy). */
const dipThenBack = Array.from({ length: 39 }, (_, e) =>
  e === 0 ? 0.879 : (e < 10 ? 0.879 - 0.013 * e : 0.75 + (0.09 * (e - 10)) / 28) * (1 + 0.01 * jitter(e + 3)),
);

type Row = [string, ProbeTrace];
const mustTrigger: Row[] = [
  [
    '200 evaluations that fell 10% below the first in the first tenth, then flat, training falling only 7%',
    epochLog(
      Array.from({ length: 200 }, (_, e) => 0.44 - 0.03 * (e / 199) + 0.003 * jitter(e)),
      Array.from({ length: 200 }, (_, e) => 0.615 + 0.065 * Math.exp(-e / 4) + 0.004 * jitter(e + 7)),
    ),
  ],
  [
    "39 epochs: validation 3% lower and flat, training crawling down 8% (389's shape)",
    epochLog(training389, validation389),
  ],
  [
    '60 epochs: validation flat within ±2% from the start, training crawling down 12%',
    epochLog(crawl(60, 1.2, 0.12), settling(60, 1.1, 1.1, 1, 0.02, 11)),
  ],
  [
    "389's shape beside an accuracy that dips and ends below its first value (no gain over the run)",
    epochLog(training389, validation389, { accuracy: dipThenBack }),
  ],
];
const mustNotTrigger: Row[] = [
  [
    'a noisy healthy run: both losses 60% lower, ±10% from epoch to epoch',
    epochLog(settling(60, 1.0, 0.4, 12, 0.1, 1), settling(60, 1.1, 0.45, 12, 0.1, 2)),
  ],
  [
    'validation 30% lower, then flat (learned, converged), training crawling',
    epochLog(crawl(60, 1.2, 0.12), settling(60, 1.0, 0.7, 5, 0.01, 4)),
  ],
  [
    'validation still falling at a steady pace (15% over the run)',
    epochLog(crawl(60, 1.2, 0.12), crawl(60, 1.0, 0.15, 5)),
  ],
  [
    'validation flat while the training loss fell 40% (the training loss learned)',
    epochLog(settling(60, 1.0, 0.6, 8), settling(60, 1.1, 1.1, 1, 0.02, 11)),
  ],
  [
    'validation rising 30% above its start within a few epochs and staying there (overfitting or divergence)',
    epochLog(crawl(60, 1.2, 0.12), settling(60, 1.0, 1.3, 2, 0.01, 4)),
  ],
  [
    "389's losses beside an accuracy rising from 0.70 to 0.85 (the model learned)",
    epochLog(training389, validation389, { accuracy: Array.from({ length: 39 }, (_, e) => 0.7 + (0.15 * e) / 38) }),
  ],
  ['15 epochs: too few in the second half to test', epochLog(crawl(15, 0.194, 0.08), validation389.slice(0, 15))],
];

describe('the validation loss learned little, then stopped, while training crawls (a whole logged run)', () => {
  it.each(mustTrigger)('mustTrigger: %s', (_, trace) => {
    const finding = validationLearnedLittle(trace, 'epoch');
    expect(finding?.severity).toBe('critical');
    expect(finding?.message).toContain('learned little and then stopped');
  });
  it.each(mustNotTrigger)('mustNotTrigger: %s', (_, trace) => {
    expect(validationLearnedLittle(trace, 'epoch')).toBeNull();
  });
  it("is not-learning's plateau on a log, and nothing on a probe", () => {
    const trace = epochLog(training389, validation389);
    const judge = (origin: 'log' | 'probe') =>
      notLearning.detect({ trace, origin, stepUnit: 'epoch', lossUnit: 'epoch' });
    expect(judge('log').map(({ severity }) => severity)).toEqual(['critical']);
    expect(judge('probe')).toEqual([]);
  });
  it('warns only when the log does not begin with its run (its first values may be past the start)', () => {
    const finding = validationLearnedLittle(epochLog(training389, validation389, { firstEpoch: 200 }), 'epoch');
    expect(finding?.severity).toBe('warning');
  });
});
