/**
 * Findings and trials as plain lines, for reporters that carry text inside another format (JUnit
 * failure bodies, GitHub annotations and job summaries): no colour, nothing aligned.
 */
import { formatPosition } from '../errors.js';
import { FIX_SUMMARIES } from '../fixes/registry.js';
import type { ConfigEdit, Finding } from '../symptoms/finding.js';
import type { FixId, Severity } from '../symptoms/ids.js';
import { formatNumber, plural } from '../util/format.js';
import type { Report, Verdict } from './report.js';

/**
 * What follows a finding's message: its evidence and place, the edit, each fix with what it changes
 * here, and advice.
 */
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
  const where =
    edit.file === undefined ? '' : `${formatPosition({ file: edit.file, line: edit.line, column: edit.column })} `;
  return `${where}${edit.key}: ${edit.from ?? '(absent)'} → ${edit.to}`;
}

/** What a fix changes in this run's config when the report knows it, else what the fix does. */
export function fixChange(report: Report, fix: FixId): string {
  return report.recommendedFixes.find((entry) => entry.fix === fix)?.change ?? FIX_SUMMARIES[fix];
}

/** Severity in one character, beside its word (never instead of it): ✖ critical, ⚠ warning, ℹ info. */
export const SEVERITY_MARKS: Readonly<Record<Severity, string>> = { critical: '✖', warning: '⚠', info: 'ℹ' };

/** The verdict as the reporters head it: a mark and a word, not colour alone. */
export const VERDICT_WORDS: Readonly<Record<Verdict, string>> = {
  unhealthy: '✖ unhealthy',
  warning: '⚠ warnings',
  healthy: '✔ healthy',
};

/**
 * What ran, in one line with its label: `probe`: `3 of 300 steps on wasm in 0.06 s, stopped early
 * (nan-loss at step 2); meanSquaredError`, or `log`: `keras-csv, 40 recorded steps`.
 */
/** The loss from start to end with its landmarks: `2.31 → 0.412 (best 0.398, chance level 2.30)`. */
export function lossLandmarks(loss: Omit<NonNullable<Report['probe']>['loss'], 'originalUnitsFactor'>): string {
  const chance = loss.chance === null ? '' : `, chance level ${formatNumber(loss.chance)}`;
  return `${formatNumber(loss.initial)} → ${formatNumber(loss.final)} (best ${formatNumber(loss.best)}${chance})`;
}

export function runSummary({ probe, log, backend }: Report): { label: 'probe' | 'log'; text: string } | undefined {
  if (probe === undefined) return undefined;
  if (log !== undefined)
    return { label: 'log', text: `${log.format}, ${plural(probe.steps, `recorded ${log.axis ?? 'step'}`)}` };
  const stopped =
    probe.stoppedEarly === null
      ? ''
      : `, stopped early (${probe.stoppedEarly}${probe.nanStep === null ? '' : ` at step ${probe.nanStep}`})`;
  return {
    label: 'probe',
    text:
      `${probe.steps} of ${probe.stepsPlanned} steps on ${backend} in ${formatNumber(probe.seconds)} s` +
      `${stopped}; ${probe.lossName}`,
  };
}

/** The file a report is about: the config, else the log, else the data file. */
export function reportSubject(report: Report): string {
  return report.config ?? report.log?.file ?? report.data?.file ?? '';
}

/** `2 critical findings, 1 warning, 0 info`: the verdict's counts, as every reporter states them. */
export function findingCounts(report: Report): string {
  const count = (severity: Severity) => report.findings.filter((finding) => finding.severity === severity).length;
  // A verdict over a probe too short to judge covers the data and the config only; it must say so.
  const notJudged = report.probe?.cutShort === undefined ? '' : ' (training dynamics not judged: probe cut short)';
  return (
    `${plural(count('critical'), 'critical finding')}, ${plural(count('warning'), 'warning')}, ` +
    `${count('info')} info${notJudged}`
  );
}
