/** Turns findings into an ordered list of fixes, each with the symptoms it answers. */
import type { Finding } from '../symptoms/finding.js';
import type { FixId, SymptomId } from '../symptoms/ids.js';
import { SEVERITIES } from '../symptoms/ids.js';
import { FIX_PRIORITY } from './catalog.js';

export interface RecommendedFix {
  fix: FixId;
  rank: number;
  because: SymptomId[];
}

/** Fixes for the most severe findings first; among equals, the one nearer the root cause. */
export function rankFixes(findings: readonly Finding[]): RecommendedFix[] {
  const answered = new Map<FixId, { severity: number; because: Set<SymptomId> }>();
  for (const finding of findings) {
    for (const fix of finding.fixes) {
      const entry = answered.get(fix) ?? { severity: SEVERITIES.length, because: new Set<SymptomId>() };
      entry.severity = Math.min(entry.severity, SEVERITIES.indexOf(finding.severity));
      entry.because.add(finding.symptom);
      answered.set(fix, entry);
    }
  }
  return [...answered]
    .sort(([fixA, a], [fixB, b]) => a.severity - b.severity || FIX_PRIORITY.indexOf(fixA) - FIX_PRIORITY.indexOf(fixB))
    .map(([fix, entry], index) => ({ fix, rank: index + 1, because: [...entry.because] }));
}
