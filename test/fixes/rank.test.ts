import { describe, expect, it } from 'vitest';
import { FIXES } from '../../src/fixes/registry.js';
import { isExplained, rankFixes, type RecommendedFix } from '../../src/fixes/rank.js';
import { buildReport } from '../../src/report/report.js';
import type { Finding } from '../../src/symptoms/finding.js';
import type { FixId, Severity, SymptomId } from '../../src/symptoms/ids.js';
import { findSymptoms } from '../../src/symptoms/engine.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { buildTrace, switchAt, syntheticTrace } from '../symptoms/trace-builder.js';

/** A finding as a detector makes it: only symptom, severity, confidence and fixes matter to the ranking. */
function finding(symptom: SymptomId, severity: Severity, confidence: number, fixes: FixId[]): Finding {
  return {
    symptom,
    severity,
    confidence,
    fixes,
    evidence: { measured: 1, threshold: 1, what: symptom },
    message: `${symptom} seen.`,
  };
}

// The fix lists the detectors give (src/symptoms/*.ts).
const unscaledInputs = (severity: Severity = 'critical', confidence = 0.99) =>
  finding('unscaled-inputs', severity, confidence, ['normalize']);
const nanLoss = (confidence = 1) => finding('nan-loss', 'critical', confidence, ['lr-schedule', 'clip']);
const exploding = (severity: Severity = 'critical', confidence = 0.9) =>
  finding('exploding-gradients', severity, confidence, ['clip', 'lr-schedule']);
const lrTooHigh = (severity: Severity = 'warning', confidence = 0.8) =>
  finding('lr-too-high', severity, confidence, ['lr-schedule']);
const deadRelu = () => finding('dead-relu', 'warning', 0.8, ['activation', 'lr-schedule']);
const vanishing = () => finding('vanishing-gradients', 'warning', 0.9, ['activation', 'batchnorm']);
const plateau = () => finding('plateau', 'warning', 0.8, ['lr-schedule', 'search']);
const lrTooLowSlow = () => finding('lr-too-low', 'critical', 0.8, ['lr-schedule', 'search']);
const outputActivation = (severity: Severity) => finding('config-output-activation', severity, 1, []);

/** The ranking as `fix: because` pairs, each `because` sorted (its order is not part of the contract). */
function summary(ranked: readonly RecommendedFix[]): { fix: FixId; because: SymptomId[] }[] {
  return ranked.map(({ fix, because }) => ({ fix, because: [...because].sort() }));
}

interface Row {
  name: string;
  findings: Finding[];
  /** Every recommended fix in rank order, with the symptoms it answers. */
  ranked: { fix: FixId; because: SymptomId[] }[];
}

const rows: Row[] = [
  {
    // normalize: 2.97 + 3 (nan-loss) + 2.7 (exploding) + 1.6 (lr-too-high) = 10.27;
    // what the explained symptoms keep for themselves (a quarter): lr-schedule 0.75 + 0.3375 + 0.4, clip 0.375 + 0.675.
    name: 'unscaled inputs explain NaN, exploding gradients and a too-high rate: normalize first',
    findings: [unscaledInputs(), nanLoss(), exploding(), lrTooHigh()],
    ranked: [
      { fix: 'normalize', because: ['exploding-gradients', 'lr-too-high', 'nan-loss', 'unscaled-inputs'] },
      { fix: 'lr-schedule', because: ['exploding-gradients', 'lr-too-high', 'nan-loss'] },
      { fix: 'clip', because: ['exploding-gradients', 'nan-loss'] },
    ],
  },
  {
    // clip: 2.7 + 1.6 (dead-relu) + 0.6 (lr-too-high) = 4.9; lr-schedule 1.35 + 0.2 + 0.15 = 1.7; activation 0.4.
    name: 'exploding gradients explain dead ReLUs and a (weakly seen) too-high rate: clip first',
    findings: [exploding(), deadRelu(), lrTooHigh('warning', 0.3)],
    ranked: [
      { fix: 'clip', because: ['dead-relu', 'exploding-gradients', 'lr-too-high'] },
      { fix: 'lr-schedule', because: ['dead-relu', 'exploding-gradients', 'lr-too-high'] },
      { fix: 'activation', because: ['dead-relu'] },
    ],
  },
  {
    // activation 1.8 + 1.6 = 3.4; batchnorm 0.9; plateau keeps 0.4 for lr-schedule and 0.2 for search.
    name: 'vanishing gradients explain a plateau: activation first',
    findings: [vanishing(), plateau()],
    ranked: [
      { fix: 'activation', because: ['plateau', 'vanishing-gradients'] },
      { fix: 'batchnorm', because: ['vanishing-gradients'] },
      { fix: 'lr-schedule', because: ['plateau'] },
      { fix: 'search', because: ['plateau'] },
    ],
  },
  {
    // normalize 2.97 + 2.4 = 5.37; lr-too-low keeps a quarter: lr-schedule 0.6, search 0.3.
    name: 'an unscaled target explains a loss falling too slowly for the plan: normalize first',
    findings: [finding('unscaled-target', 'critical', 0.99, ['normalize']), lrTooLowSlow()],
    ranked: [
      { fix: 'normalize', because: ['lr-too-low', 'unscaled-target'] },
      { fix: 'lr-schedule', because: ['lr-too-low'] },
      { fix: 'search', because: ['lr-too-low'] },
    ],
  },
  {
    name: 'a loss falling too slowly alone: the learning rate first',
    findings: [lrTooLowSlow()],
    ranked: [
      { fix: 'lr-schedule', because: ['lr-too-low'] },
      { fix: 'search', because: ['lr-too-low'] },
    ],
  },
  {
    name: 'a plateau alone: its own fixes, in its order',
    findings: [plateau()],
    ranked: [
      { fix: 'lr-schedule', because: ['plateau'] },
      { fix: 'search', because: ['plateau'] },
    ],
  },
  {
    name: 'a critical config bug and a plateau: no fix, the config edit is the cure',
    findings: [outputActivation('critical'), plateau()],
    ranked: [],
  },
  {
    name: 'a critical config bug comes first: no fix at all, even for a data problem beside it (docs/report.md)',
    findings: [outputActivation('critical'), unscaledInputs(), exploding(), nanLoss(), plateau()],
    ranked: [],
  },
  {
    name: 'a warning-level config finding does not suppress fixes',
    findings: [outputActivation('warning'), plateau()],
    ranked: [
      { fix: 'lr-schedule', because: ['plateau'] },
      { fix: 'search', because: ['plateau'] },
    ],
  },
  {
    name: 'a critical config finding of another kind (loss mismatch) suppresses them too',
    findings: [finding('config-loss-mismatch', 'critical', 1, []), vanishing(), plateau()],
    ranked: [],
  },
  {
    name: 'a root cause without fixes takes no votes',
    findings: [finding('vanishing-gradients', 'warning', 0.9, []), plateau()],
    ranked: [
      { fix: 'lr-schedule', because: ['plateau'] },
      { fix: 'search', because: ['plateau'] },
    ],
  },
  {
    name: 'no findings: no fixes',
    findings: [],
    ranked: [],
  },
];

describe('rankFixes', () => {
  it.each(rows)('$name', ({ findings, ranked }) => {
    expect(summary(rankFixes(findings))).toEqual(ranked);
  });

  it.each(rows)('ranks are 1..n, each fix once: $name', ({ findings }) => {
    const ranked = rankFixes(findings);
    expect(ranked.map((entry) => entry.rank)).toEqual(ranked.map((_, index) => index + 1));
    expect(new Set(ranked.map((entry) => entry.fix)).size).toBe(ranked.length);
  });

  it('severity × confidence: a critical finding outvotes a surer warning', () => {
    // critical 0.6 → 1.8 against warning 0.85 → 1.7.
    const ranked = rankFixes([
      finding('lr-too-low', 'warning', 0.85, ['search']),
      finding('saturated-activations', 'critical', 0.6, ['batchnorm']),
    ]);
    expect(ranked.map((entry) => entry.fix)).toEqual(['batchnorm', 'search']);
  });

  it('halving down a finding’s list: its second fix gets half the vote', () => {
    // lr-too-low warning 1: lr-schedule 2, search 1; oscillating-loss info 0.75 → 0.75 for search alone: 1.75 < 2.
    const ranked = rankFixes([
      finding('lr-too-low', 'warning', 1, ['lr-schedule', 'search']),
      finding('oscillating-loss', 'info', 0.75, ['search']),
    ]);
    expect(summary(ranked)).toEqual([
      { fix: 'lr-schedule', because: ['lr-too-low'] },
      { fix: 'search', because: ['lr-too-low', 'oscillating-loss'] },
    ]);
  });

  describe('ties are broken by the registry order, whatever the order of the findings', () => {
    const tied = (a: FixId, b: FixId): Finding[] => [
      finding('lr-too-low', 'warning', 0.9, [a]),
      finding('overfitting', 'warning', 0.9, [b]),
    ];
    const pairs: [FixId, FixId][] = [];
    for (const [i, a] of FIXES.priority.entries()) for (const b of FIXES.priority.slice(i + 1)) pairs.push([a, b]);

    it.each(pairs)('%s before %s', (first, second) => {
      expect(rankFixes(tied(first, second)).map((entry) => entry.fix)).toEqual([first, second]);
      expect(rankFixes(tied(second, first)).map((entry) => entry.fix)).toEqual([first, second]);
    });

    it('every fix at one vote each: exactly the registry order', () => {
      const findings = [...FIXES.priority].reverse().map((fix) => finding('plateau', 'info', 1, [fix]));
      expect(rankFixes(findings).map((entry) => entry.fix)).toEqual([...FIXES.priority]);
    });
  });

  it('leaves its input alone', () => {
    const findings = [unscaledInputs(), nanLoss(), exploding(), lrTooHigh()];
    const copy = structuredClone(findings);
    rankFixes(findings);
    expect(findings).toEqual(copy);
  });

  // Reported, not fixed here. A symptom gives its vote to the first finding in the list that
  // explains it, so with both unscaled inputs and exploding gradients present, NaN loss and a
  // too-high rate vote for normalize or for clip depending on which of the two comes first.
  // buildReport sorts findings by severity before ranking, so a *warning* unscaled-inputs comes
  // after critical training symptoms, and its root-cause fix loses to clip.
  it('the ranking does not depend on the order of the findings (the deepest root cause takes the votes)', () => {
    const findings = [exploding('critical', 1), nanLoss(1), lrTooHigh('critical', 1), unscaledInputs('warning', 0.9)];
    const asSorted = rankFixes(findings);
    const dataFirst = rankFixes([findings[3]!, ...findings.slice(0, 3)]);
    expect(asSorted[0]!.fix).toBe('normalize');
    expect(summary(asSorted)).toEqual(summary(dataFirst));
  });
});

/** A finding seen first at `step`, as the dynamics detectors write it. */
const at = (step: number, seen: Finding): Finding => ({ ...seen, step });
// The findings of gh-learning-dl-adam-lr-100 (Adam at 100): the first update moves the weights 222x
// their size (step 0); the sigmoid output saturates from step 10; activations grow to step 300;
// 62.5% of the first ReLUs were dead at step 0, before any update.
const overshoot = () => at(0, lrTooHigh('critical', 0.95));
const saturated = (step: number) =>
  at(step, finding('saturated-activations', 'critical', 0.99, ['normalize', 'batchnorm']));
// dead-relu's reading when units alive before a large update died after it: the rate first.
const killedRelu = (severity: Severity = 'warning') =>
  finding('dead-relu', severity, 0.99, ['lr-schedule', 'activation']);
const unstable = () => at(300, finding('unstable-activations', 'critical', 0.99, ['batchnorm', 'normalize']));

describe('a cause precedes its effects (issue 11 point 5)', () => {
  const pairs: { name: string; cause: Finding; effect: Finding; explained: boolean }[] = [
    {
      name: 'saturation from step 10 after an overshoot at step 0',
      cause: overshoot(),
      effect: saturated(10),
      explained: true,
    },
    { name: 'activations growing to step 300 after it', cause: overshoot(), effect: unstable(), explained: true },
    { name: 'ReLUs dead from step 12 after it', cause: overshoot(), effect: at(12, deadRelu()), explained: true },
    {
      name: 'ReLUs dead at step 0, before the first update',
      cause: overshoot(),
      effect: at(0, deadRelu()),
      explained: false,
    },
    {
      name: 'saturated at step 0, before the first update',
      cause: overshoot(),
      effect: saturated(0),
      explained: false,
    },
    {
      name: 'ReLUs dead at step 5, before a divergence seen at step 40',
      cause: at(40, lrTooHigh()),
      effect: at(5, deadRelu()),
      explained: false,
    },
    {
      name: 'ReLUs 58% dead at step 0, the rest killed by the update after it (so-48934338: dead-relu saw it)',
      cause: overshoot(),
      effect: at(0, killedRelu()),
      explained: true,
    },
    {
      name: 'ReLUs killed by large updates from step 5, before a divergence seen at step 40',
      cause: at(40, lrTooHigh()),
      effect: at(5, killedRelu()),
      explained: true,
    },
    {
      name: 'exploding gradients at step 3 and ReLUs dead at step 0',
      cause: at(3, exploding()),
      effect: at(0, deadRelu()),
      explained: false,
    },
    {
      name: 'an overshoot at step 0 explained by gradients exploding at step 0 (not a state)',
      cause: at(0, exploding()),
      effect: overshoot(),
      explained: true,
    },
    {
      name: 'unscaled inputs (no step) explain saturation at step 0',
      cause: unscaledInputs(),
      effect: saturated(0),
      explained: true,
    },
    {
      name: 'a dead-relu without a step: no order to judge, explained as before',
      cause: overshoot(),
      effect: deadRelu(),
      explained: true,
    },
  ];
  it.each(pairs)('$name: explained $explained', ({ cause, effect, explained }) => {
    expect(isExplained(effect, [cause, effect])).toBe(explained);
  });

  // Critical first (plateau is a warning here); among equally severe findings a cause before what it explains.
  const orders: { name: string; findings: Finding[]; listed: SymptomId[] }[] = [
    {
      name: 'gh-learning-dl-adam-lr-100: the overshoot before the saturation and growth it caused',
      findings: [saturated(10), unstable(), overshoot(), at(150, plateau()), at(0, deadRelu())],
      listed: ['lr-too-high', 'saturated-activations', 'unstable-activations', 'plateau', 'dead-relu'],
    },
    {
      name: 'so-48934338-sgd-lr-0-1: a surer critical dead-relu killed by the overshoot comes after it',
      findings: [at(0, killedRelu('critical')), at(0, { ...lrTooHigh('critical', 0.68), layer: 'dense_2' })],
      listed: ['lr-too-high', 'dead-relu'],
    },
  ];
  it.each(orders)('$name: lr-too-high listed first, lr-schedule the top fix', ({ findings, listed }) => {
    const report = buildReport({ command: 'diagnose', config: null, backend: null, seed: 42, findings });
    expect(report.findings.map((entry) => entry.symptom)).toEqual(listed);
    expect(report.recommendedFixes[0]!.fix).toBe('lr-schedule');
  });
});

describe('root causes read from the trace, through the engine', () => {
  const topFixes = (trace: ProbeTrace) => rankFixes(findSymptoms({ trace })).map((entry) => entry.fix);

  it('ReLUs alive at step 0 that die after updates of half their weights: lr-schedule first', () => {
    const trace = syntheticTrace({
      layers: [
        {
          name: 'dense_1',
          activation: 'relu',
          units: 64,
          deadFraction: switchAt(10, 0.05, 0.95),
          updateRatio: (step) => (step === 95 ? 0.5 : 1e-3),
        },
        { name: 'dense_2', activation: 'relu', units: 64, deadFraction: 0 },
        { name: 'dense_3', activation: 'linear', units: 1 },
      ],
    });
    expect(topFixes(trace)[0]).toBe('lr-schedule');
  });

  it('ReLUs dead at step 0, before any update: activation first', () => {
    const trace = syntheticTrace({
      layers: [
        { name: 'dense_1', activation: 'relu', units: 64, deadFraction: 0.95 },
        { name: 'dense_2', activation: 'relu', units: 64, deadFraction: 0 },
        { name: 'dense_3', activation: 'linear', units: 1 },
      ],
    });
    expect(topFixes(trace)[0]).toBe('activation');
  });

  it('gradients growing through a deep stack before any update, then NaN: batchnorm and clip above lr-schedule', () => {
    const trace = buildTrace({
      loss: [2.3, 2.4, 9, Number.NaN],
      gradNorm: { 'dense_1/kernel': 1000, 'dense_2/kernel': 100, 'dense_3/kernel': 10, 'dense_4/kernel': 1 },
    });
    const ranked = topFixes(trace);
    expect(ranked.slice(0, 2)).toEqual(['batchnorm', 'clip']);
    expect(ranked.indexOf('lr-schedule')).toBeGreaterThan(1);
  });

  it('learningRate 1e300: lr-too-high and lr-schedule, not a data problem', () => {
    const trace = buildTrace({
      loss: [554, Number.NaN],
      gradNorm: { 'dense_1/kernel': 3, 'dense_2/kernel': 2 },
      updateRatio: { 'dense_1/kernel': Infinity, 'dense_2/kernel': Infinity },
      learningRate: 1e300,
    });
    const findings = findSymptoms({ trace });
    expect(findings.map((finding) => finding.symptom).sort()).toEqual(['lr-too-high', 'nan-loss']);
    expect(findings.every((finding) => finding.advice === undefined)).toBe(true);
    expect(rankFixes(findings)[0]!.fix).toBe('lr-schedule');
  });
});
