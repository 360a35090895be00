import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allDetectors } from '../../src/symptoms/registry.js';
import { SYMPTOM_IDS } from '../../src/symptoms/ids.js';

/** The repo's copy of the outside contract's ids. */
const IDS_DOC = new URL('../../docs/ids.md', import.meta.url);

/** The symptom ids of the outside contract, read from docs/ids.md itself so the two cannot drift. */
function designSymptomIds(): string[] {
  const design = readFileSync(IDS_DOC, 'utf8');
  const section = design.slice(design.indexOf('## Symptom ids')).split(/\n## /)[0]!;
  return [...new Set([...section.matchAll(/`([a-z]+(?:-[a-z]+)*)`/g)].map(([, id]) => id!))];
}

describe('every symptom of docs/ids.md', () => {
  it('is in the code, and the code has no other', () => {
    expect([...SYMPTOM_IDS].sort()).toEqual(designSymptomIds().sort());
  });

  // A symptom may have log-only variants beside its detector (frozen-run.ts and stuck-at-chance.ts are `plateau`).
  it.each(SYMPTOM_IDS)('%s has a detector, each with a description and a fix or a remedy', (id) => {
    const detectors = allDetectors().filter((detector) => detector.id === id);
    expect(detectors.length).toBeGreaterThanOrEqual(1);
    for (const detector of detectors) {
      expect(detector.description.length).toBeGreaterThan(20);
      expect(detector.fixes.length > 0 || (detector.remedy ?? '').length > 20).toBe(true);
    }
  });

  it.each(SYMPTOM_IDS)('%s has a table test', (id) => {
    const test = readFileSync(new URL(`./${id}.test.ts`, import.meta.url), 'utf8');
    expect(test).toMatch(/mustTrigger/);
    expect(test).toMatch(/mustNotTrigger/);
  });
});
