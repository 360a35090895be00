import { describe, expect, it } from 'vitest';
import { rankFixes } from '../../src/fixes/rank.js';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import { availableSignals, findSymptoms, notEvaluated } from '../../src/symptoms/engine.js';
import { defineDetector } from '../../src/symptoms/finding.js';
import type { SymptomId } from '../../src/symptoms/ids.js';
import { allDetectors, DETECTORS, type DetectorRegistry } from '../../src/symptoms/registry.js';
import { buildTrace, FIXTURE_TRACES, fixtureTrace } from './trace-builder.js';

/** Not an id of the vocabulary: the recipe's first step (adding it to ids.ts) is what this cast stands in for. */
const TOO_SHORT = 'run-too-short' as SymptomId;
const MIN_STEPS = 100;

/** A detector that exists only here, made as CONTRIBUTING.md's "add a detector" recipe says. */
const runTooShort = defineDetector({
  id: TOO_SHORT,
  description: 'The run stopped after too few steps to judge anything; a longer run is the cure.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace }: DynamicsInput) {
    if (trace.stepsRun >= MIN_STEPS) return [];
    return [
      {
        severity: 'critical',
        confidence: 0.9,
        evidence: { measured: trace.stepsRun, threshold: MIN_STEPS, what: 'optimizer steps' },
        message: `The run took ${trace.stepsRun} steps.`,
      },
    ];
  },
});

const registry: DetectorRegistry = { ...DETECTORS, dynamics: [...DETECTORS.dynamics, runTooShort] };

describe('a detector added to a registry, and nowhere else', () => {
  const trace = buildTrace({ loss: [2, 1.9, 1.8, 1.7], steps: 4 });

  it('runs with the others, its findings carrying its id and its fixes, after the message', () => {
    const found = findSymptoms({ trace }, registry).filter((finding) => finding.symptom === TOO_SHORT);
    expect(found).toHaveLength(1);
    expect(Object.keys(found[0]!)).toEqual(['symptom', 'severity', 'confidence', 'evidence', 'message', 'fixes']);
    expect(found[0]!.fixes).toEqual(['lr-schedule', 'search']);
    expect(findSymptoms({ trace }).some((finding) => finding.symptom === TOO_SHORT)).toBe(false);
  });

  it('is listed as not evaluated when its signals are missing', () => {
    expect(notEvaluated(availableSignals({}), registry).map(({ symptom }) => symptom)).toContain(TOO_SHORT);
  });

  it('votes for its fixes in the ranking', () => {
    const ranked = rankFixes(findSymptoms({ trace }, registry));
    expect(ranked.find((entry) => entry.fix === 'search')?.because).toContain(TOO_SHORT);
  });
});

describe('detectors that share a symptom', () => {
  const trace = buildTrace({ loss: [2, 1.9, 1.8, 1.7], steps: 4 });
  const sameId = (severity: 'critical' | 'warning', confidence: number, layer?: string) =>
    defineDetector({
      id: TOO_SHORT,
      description: 'The run stopped after too few steps.',
      fixes: ['search'],
      needs: ['loss'],
      detect: () => [
        {
          severity,
          confidence,
          ...(layer === undefined ? {} : { layer }),
          evidence: { measured: 4, threshold: MIN_STEPS, what: 'optimizer steps' },
          message: `${severity} ${confidence} ${layer ?? ''}`,
        },
      ],
    });
  const found = (...detectors: ReturnType<typeof sameId>[]) =>
    findSymptoms({ trace }, { ...DETECTORS, dynamics: [...DETECTORS.dynamics, ...detectors] })
      .filter((finding) => finding.symptom === TOO_SHORT)
      .map((finding) => finding.message);

  it.each([
    ['the more severe of two in one place', [sameId('warning', 0.9), sameId('critical', 0.6)], ['critical 0.6 ']],
    ['the more confident of two as severe', [sameId('critical', 0.6), sameId('critical', 0.9)], ['critical 0.9 ']],
    [
      'each layer its own',
      [sameId('critical', 0.6, 'dense_1'), sameId('critical', 0.9, 'dense_2')],
      ['critical 0.6 dense_1', 'critical 0.9 dense_2'],
    ],
  ])('are reported once per place: %s', (_, detectors, messages) => {
    expect(found(...detectors)).toEqual(messages);
  });
});

describe('the detector registry', () => {
  it.each(FIXTURE_TRACES)('on %s, every finding names only fixes its detector declares', (name) => {
    // Several detectors may share an id (plateau on a probe, a frozen log, a log stuck at chance).
    const declared = (symptom: string) =>
      allDetectors()
        .filter((detector) => detector.id === symptom)
        .flatMap((detector) => detector.fixes);
    for (const finding of findSymptoms({ trace: fixtureTrace(name) }))
      for (const fix of finding.fixes) expect(declared(finding.symptom), finding.symptom).toContain(fix);
  });
});
