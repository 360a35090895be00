/**
 * A logged run that learned little and then stopped (learned-little.ts, through not-learning.ts):
 * a training loss that removed less than a fifth of its first value and has no trend over its second
 * half. Converged runs (a large fall, then flat), slow runs still falling, rising runs and runs too
 * short to test must not trigger; no rule fires on a probe's trace.
 */
import { describe, expect, it } from 'vitest';
import { notLearning } from '../../src/symptoms/not-learning.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { epochLog, settling } from './epoch-log.js';
import { jitter } from './trace-builder.js';

/** 435 epoch means: 0.048 falling 18% over the first 40% of the run, then flat within 1% (323's shape). */
const shape323 = settling(435, 0.048, 0.039, 40);
/** 100 epochs crawling down 7% at a steady pace (336's training loss): still falling at the end. */
const crawl = Array.from({ length: 100 }, (_, e) => 3.02 * (1 - (0.07 * e) / 99) * (1 + 0.002 * jitter(e)));

type Row = [string, ProbeTrace];
const judge = (trace: ProbeTrace, origin: 'log' | 'probe' = 'log', lossUnit: 'step' | 'epoch' = 'epoch') =>
  notLearning.detect({ trace, origin, stepUnit: 'epoch', lossUnit });

const mustTrigger: Row[] = [
  ["435 epochs: 18% in the first 40%, then flat (323's shape)", epochLog(shape323)],
  ['60 epochs: 12% in the first ten, then flat within 2%', epochLog(settling(60, 1.0, 0.88, 4, 0.02, 5))],
];
const mustNotTrigger: Row[] = [
  [
    'converged: 80 epochs from 2.28, 80% lower within the first tenth, then flat (a healthy run that converged early)',
    epochLog(settling(80, 2.28, 0.33, 3)),
  ],
  ['fell 30%, then flat: it learned more than a fifth', epochLog(settling(100, 1.0, 0.7, 10))],
  ["still falling: a steady 7% crawl over 100 epochs (336's training loss)", epochLog(crawl)],
  ['15 epochs, 8% then flat: too few in the second half to test', epochLog(settling(15, 0.054, 0.049, 2))],
  [
    'the validation loss fell 26% while the training loss barely moved: learned elsewhere',
    epochLog(shape323.slice(0, 100), settling(100, 1.46, 1.07, 20, 0.01, 3)),
  ],
  [
    'rose: from 1.0 to 1.3 and flat there (a divergence, not a plateau)',
    epochLog(Array.from({ length: 60 }, (_, e) => 1.3 - 0.3 * Math.exp(-e / 5))),
  ],
  ['400 per-step losses with no evaluation: too few epochs known', epochLog(shape323.slice(0, 400))],
];

describe('learned little, then stopped (a whole logged run)', () => {
  it.each(mustTrigger)('mustTrigger: %s', (_, trace) => {
    const findings = judge(trace);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('critical');
    expect(findings[0]!.message).toContain('learned little and then stopped');
  });
  it.each(mustNotTrigger.slice(0, -1))('mustNotTrigger: %s', (_, trace) => {
    expect(judge(trace)).toEqual([]);
  });
  it.each(mustNotTrigger.slice(-1))('mustNotTrigger: %s', (_, trace) => {
    expect(judge(trace, 'log', 'step')).toEqual([]);
  });
  it.each(mustTrigger)('does not judge a probe: %s', (_, trace) => {
    expect(judge(trace, 'probe')).toEqual([]);
  });
  it('warns only when the log does not begin with its run (its first value may be past the start)', () => {
    const findings = judge(epochLog(shape323, [], { firstEpoch: 200 }));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.severity).toBe('warning');
  });
});
