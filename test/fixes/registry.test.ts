import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { FRAMEWORKS } from '../../src/fixes/code/code-context.js';
import { fixCode } from '../../src/fixes/code/fix-code.js';
import { describeFixChange } from '../../src/fixes/describe-change.js';
import { fixTable } from '../../src/fixes/fix-table.js';
import { rankFixes } from '../../src/fixes/rank.js';
import { FIX_DEFINITIONS, FIXES } from '../../src/fixes/registry.js';
import { recommendedFixesSection } from '../../src/report/html/findings-section.js';
import { buildReport } from '../../src/report/report.js';
import { renderText } from '../../src/report/text.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { FIX_IDS, type FixId, type Severity, type SymptomId } from '../../src/symptoms/ids.js';
import { summary } from '../symptoms/data-summary.js';
import { FIXTURE_TRACES } from '../symptoms/trace-builder.js';
import { contextFor, diagnosedContext, exampleConfig } from './fix-fixtures.js';
import { HALVE_BATCH, tableWithHalveBatch } from './throwaway-fix.js';

function finding(symptom: SymptomId, fixes: FixId[], severity: Severity = 'warning'): Finding {
  return {
    symptom,
    severity,
    confidence: 0.9,
    fixes,
    evidence: { measured: 1, threshold: 1, what: symptom },
    message: '',
  };
}

/** A key path starts with the other, or the other with it: a change at, inside or around a key. */
const overlaps = (path: readonly (string | number)[], key: readonly string[]) =>
  key.every((part, index) => index >= path.length || path[index] === part);

describe('the fix registry', () => {
  it('names every fix of the vocabulary once: only the compiler stops a list that leaves one out', () => {
    expect([...FIXES.priority].sort()).toEqual([...FIX_IDS].sort());
    // @ts-expect-error: the list leaves out every fix but normalize, and the error names them.
    expect(fixTable([FIX_DEFINITIONS[0]]).priority).toEqual(['normalize']);
    expect(() => fixTable([...FIX_DEFINITIONS, FIX_DEFINITIONS[0]])).toThrow(/listed twice/);
  });

  it.each(FIXTURE_TRACES)('every change a fix makes to %s is at one of the keys it declares', (example) => {
    const config = exampleConfig(example);
    for (const fix of FIXES.configChanges) {
      const { transform, keys } = FIXES.definition(fix);
      if (transform === 'none') continue;
      for (const { path } of transform.apply(config, diagnosedContext(example, config)).changes)
        expect(
          keys.some((key) => overlaps(path, key)),
          `${fix}: ${path.join('.')}`,
        ).toBe(true);
    }
  });
});

describe('a fix added to the registry, and nowhere else', () => {
  const table = tableWithHalveBatch();
  const config = exampleConfig('boston-unscaled');
  const context = contextFor(config);

  it('takes its place in the priority order and among the config changes', () => {
    expect(table.priority).toEqual([
      'normalize',
      HALVE_BATCH,
      'activation',
      'batchnorm',
      'lr-schedule',
      'clip',
      'search',
    ]);
    expect(table.configChanges).toContain(HALVE_BATCH);
  });

  it('is ranked, winning a tie by its place', () => {
    const tied = [finding('overfitting', ['activation']), finding('plateau', [HALVE_BATCH])];
    expect(rankFixes(tied, table).map((entry) => entry.fix)).toEqual([HALVE_BATCH, 'activation']);
  });

  it('is applied in priority order, after the fix before it', () => {
    const { config: fixed, applied } = table.apply(config, ['clip', HALVE_BATCH, 'normalize'], context);
    expect(applied.map((entry) => entry.fix)).toEqual(['normalize', HALVE_BATCH, 'clip']);
    expect(fixed.training.batchSize).toBe(16);
    expect(fixed.data.normalize).toBe('standardize');
  });

  it("shows its change in the reporters' fix lists", () => {
    const report = buildReport({
      command: 'diagnose',
      config: null,
      backend: null,
      seed: 1,
      data: summary(),
      findings: [finding('plateau', [HALVE_BATCH], 'critical')],
      describeChange: (fix) => describeFixChange(fix, config, context, table),
    });
    expect(report.recommendedFixes).toEqual([
      { fix: HALVE_BATCH, rank: 1, because: ['plateau'], change: 'training.batchSize: 32 → 16' },
    ]);
    expect(renderText(report, { failOn: 'critical', paint: new Chalk({ level: 0 }) })).toContain(
      '1. halve-batch: training.batchSize: 32 → 16',
    );
    expect(recommendedFixesSection(report)).toContain('<code>halve-batch</code></strong>: training.batchSize: 32 → 16');
  });

  it('is written as code in every framework, from its registry entry', () => {
    const code = fixCode(HALVE_BATCH, FRAMEWORKS, { layers: [] }, table);
    expect(code.map((entry) => entry.framework)).toEqual(['pytorch', 'keras', 'tfjs']);
    expect(code.map((entry) => entry.code)).toEqual([
      expect.stringContaining('batch_size // 2'),
      expect.stringContaining('batch_size // 2'),
      expect.stringContaining('batchSize / 2'),
    ]);
  });
});
