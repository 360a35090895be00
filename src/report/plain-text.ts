/**
 * Findings and trials as plain lines, for reporters that carry text inside another format (JUnit
 * failure bodies, GitHub annotations and job summaries): no colour, nothing aligned.
 */
import { formatPosition } from '../errors.js';
import { FIX_SUMMARIES } from '../fixes/catalog.js';
import type { Trial } from '../fixes/trial-stats.js';
import type { ConfigEdit, Finding } from '../symptoms/finding.js';
import type { FixId, Severity } from '../symptoms/ids.js';
import { formatNumber, formatPercent, plural } from '../util/format.js';
import type { Report } from './report.js';

/** What follows a finding's message: its evidence and place, the edit, each fix with what it changes here, and advice. */
export function findingDetails(finding: Finding, report: Report): string[] {
  return [
    `evidence: ${evidenceText(finding)}; confidence ${finding.confidence.toFixed(2)}${placeText(finding)}`,
    ...(finding.edit === undefined ? [] : [`edit: ${editText(finding.edit)}`]),
    ...finding.fixes.map((fix) => `fix ${fix}: ${fixChange(report, fix)}`),
    ...(finding.advice === undefined ? [] : [`what to do: ${finding.advice}`]),
  ];
}

export function evidenceText({ evidence }: Finding): string {
  return `${evidence.what} = ${formatNumber(evidence.measured)} (threshold ${formatNumber(evidence.threshold)})`;
}

/** `; layer dense_2, step 1, columns tax, b` (empty when the finding names no place). */
function placeText(finding: Finding): string {
  const parts = [
    finding.layer === undefined ? '' : `layer ${finding.layer}`,
    finding.step === undefined ? '' : `step ${finding.step}`,
    finding.columns === undefined || finding.columns.length === 0 ? '' : `columns ${finding.columns.join(', ')}`,
  ].filter(Boolean);
  return parts.length === 0 ? '' : `; ${parts.join(', ')}`;
}

/** `file:line:column model.layers.2.activation: softmax → sigmoid`. */
export function editText(edit: ConfigEdit): string {
  const where = edit.file === undefined ? '' : `${formatPosition({ file: edit.file, line: edit.line, column: edit.column })} `;
  return `${where}${edit.key}: ${edit.from ?? '(absent)'} → ${edit.to}`;
}

/** What a fix changes in this run's config when the report knows it, else what the fix does. */
export function fixChange(report: Report, fix: FixId): string {
  return report.recommendedFixes.find((entry) => entry.fix === fix)?.change ?? FIX_SUMMARIES[fix];
}

export function trialName(trial: Trial): string {
  return trial.fixes.length === 0 ? 'baseline' : trial.fixes.join(' + ');
}

/** A trial's measurements, labelled, in the order of the text report's table. */
export function trialFacts(trial: Trial): [label: string, value: string][] {
  return [
    ['seeds', String(trial.seeds)],
    ['final loss', formatNumber(trial.finalLoss)],
    ['best loss', formatNumber(trial.bestLoss)],
    ['ended', trial.diverged ? 'diverged' : trial.lost ? 'stopped: lost' : 'ran'],
    ['improvement (90% interval)', trial.improvement === undefined ? '' : `${formatPercent(trial.improvement)} (${trial.improvementInterval!.map(formatPercent).join(' to ')})`],
    ['verified', trial.verified === undefined ? '' : trial.verified ? 'yes' : 'no'],
  ];
}

/** The file a report is about: the config, else the log, else the data file. */
export function reportSubject(report: Report): string {
  return report.config ?? report.log?.file ?? report.data?.file ?? '';
}

/** `2 critical findings, 1 warning, 0 info`: the verdict's counts, as every reporter states them. */
export function findingCounts(report: Report): string {
  const count = (severity: Severity) => report.findings.filter((finding) => finding.severity === severity).length;
  return `${plural(count('critical'), 'critical finding')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
}
