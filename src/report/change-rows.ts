/**
 * Every change the report asks for, once each, with the findings it answers: the ranked fixes
 * (with what trials measured), fixes that only warnings point to, config edits and advice. Several
 * findings often share one change (lr-schedule answers nan-loss, exploding-gradients and
 * lr-too-high); a table with a row per finding would repeat its text in each.
 */
import type { Finding } from '../symptoms/finding.js';
import type { FixId, SymptomId } from '../symptoms/ids.js';
import { editText, fixChange } from './plain-text.js';
import type { Report } from './report.js';
import { measuredText } from './trial-facts.js';

export interface ChangeRow {
  /** The rank of a recommended fix; `fix`, `edit` or `advice` for the others. */
  kind: string;
  /** The fix id, when the change is a fix. */
  fix?: FixId;
  what: string;
  answers: SymptomId[];
  /** What trials measured; empty before trials and for changes no trial measures. */
  measured: string;
}

export function changeRows(report: Report): ChangeRow[] {
  const ranked: ChangeRow[] = report.recommendedFixes.map((entry) => ({
    kind: String(entry.rank),
    fix: entry.fix,
    what: fixChange(report, entry.fix),
    answers: entry.because,
    measured: measuredText(entry, report),
  }));
  const rankedFixes = new Set(report.recommendedFixes.map((entry) => entry.fix));
  const others = new Map<string, ChangeRow>();
  const add = (key: string, row: Omit<ChangeRow, 'answers' | 'measured'>, finding: Finding) => {
    const entry = others.get(key) ?? { ...row, answers: [], measured: '' };
    if (!entry.answers.includes(finding.symptom)) entry.answers.push(finding.symptom);
    others.set(key, entry);
  };
  for (const finding of report.findings) {
    if (finding.edit !== undefined)
      add(`edit ${editText(finding.edit)}`, { kind: 'edit', what: editText(finding.edit) }, finding);
    for (const fix of finding.fixes)
      if (!rankedFixes.has(fix)) add(`fix ${fix}`, { kind: 'fix', fix, what: fixChange(report, fix) }, finding);
    if (finding.edit === undefined && finding.fixes.length === 0 && finding.advice !== undefined)
      add(`advice ${finding.advice}`, { kind: 'advice', what: finding.advice }, finding);
  }
  return [...ranked, ...others.values()];
}
