/**
 * The human-readable report: verdict, data summary, findings with their evidence, and the fixes to
 * try. Plain text; colour comes only through `paint`, which is colourless off a TTY or with NO_COLOR.
 */
import type { ChalkInstance } from 'chalk';
import type { ColumnStats } from '../data/column-stats.js';
import { FIX_SUMMARIES } from '../fixes/catalog.js';
import type { Finding } from '../symptoms/finding.js';
import type { Severity } from '../symptoms/ids.js';
import { formatNumber, plural } from '../util/format.js';
import { displayPath } from '../util/paths.js';
import type { Report } from './report.js';

const MARKS: Record<Severity, string> = { critical: '✖', warning: '⚠', info: 'i' };

export function renderText(report: Report, paint: ChalkInstance): string {
  const severityColor: Record<Severity, ChalkInstance> = { critical: paint.red, warning: paint.yellow, info: paint.cyan };
  const { data } = report;
  const lines: string[] = [];
  lines.push(paint.bold(`convdoc ${report.command}  ${displayPath(report.config ?? data.file)}`));
  const taskFrom = { config: 'set in the config', loss: 'from the loss', data: 'inferred from the values' }[data.taskSource];
  lines.push(`data: ${plural(data.rows, 'row')}, ${plural(data.features, 'feature')} → ${data.targetStats.map((column) => column.name).join(', ')} (${data.task}, ${taskFrom}); normalize: ${data.normalize}`);
  if (data.classes !== undefined) lines.push(`classes: ${data.classes.map((entry) => `${entry.label} ${entry.count}`).join(', ')}`);
  lines.push('', ...columnTable(data.featureStats, data.targetStats, paint), '');

  for (const finding of report.findings) lines.push(...renderFinding(finding, severityColor[finding.severity]!, paint), '');
  if (report.recommendedFixes.length > 0) {
    lines.push(paint.bold('Recommended fixes'));
    for (const { rank, fix, because } of report.recommendedFixes) lines.push(`  ${rank}. ${paint.bold(fix)}: ${FIX_SUMMARIES[fix]} (answers ${because.join(', ')})`);
    lines.push('');
  }
  lines.push(verdictLine(report, paint));
  return `${lines.join('\n')}\n`;
}

function renderFinding(finding: Finding, color: ChalkInstance, paint: ChalkInstance): string[] {
  const { evidence } = finding;
  const where = [finding.layer && `layer ${finding.layer}`, finding.step !== undefined && `step ${finding.step}`].filter(Boolean).join(', ');
  return [
    `${color(`${MARKS[finding.severity]} ${finding.severity}`)}  ${paint.bold(finding.symptom)}  ${paint.dim(`confidence ${finding.confidence.toFixed(2)}${where ? `, ${where}` : ''}`)}`,
    `  ${finding.message}`,
    paint.dim(`  evidence: ${evidence.what} = ${formatNumber(evidence.measured)} (threshold ${formatNumber(evidence.threshold)})`),
    ...(finding.fixes.length > 0 ? [`  fix: ${finding.fixes.join(', ')}`] : []),
    ...(finding.advice ? [`  what to do: ${finding.advice}`] : []),
  ];
}

/** One row per column; the target rows are marked so the table reads as the model sees the data. */
function columnTable(features: readonly ColumnStats[], targets: readonly ColumnStats[], paint: ChalkInstance): string[] {
  const header = ['column', 'mean', 'std', 'min', 'max', 'non-finite', 'distinct'];
  const row = (column: ColumnStats, role: string) => [
    `${column.name}${role}`,
    formatNumber(column.mean),
    formatNumber(column.std),
    formatNumber(column.min),
    formatNumber(column.max),
    String(column.nonFinite),
    column.distinctCapped ? `>${column.distinct}` : String(column.distinct),
  ];
  const rows = [header, ...features.map((column) => row(column, '')), ...targets.map((column) => row(column, ' (target)'))];
  const widths = header.map((_, index) => Math.max(...rows.map((cells) => cells[index]!.length)));
  const format = (cells: string[]) => `  ${cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ')}`;
  return [paint.dim(format(header)), ...rows.slice(1).map(format)];
}

function verdictLine(report: Report, paint: ChalkInstance): string {
  const count = (severity: Severity) => report.findings.filter((finding) => finding.severity === severity).length;
  const counts = `${plural(count('critical'), 'critical finding')}, ${plural(count('warning'), 'warning')}, ${count('info')} info`;
  if (report.verdict === 'unhealthy') return paint.red.bold(`✖ unhealthy: ${counts}`);
  if (report.verdict === 'warning') return paint.yellow.bold(`⚠ warnings: ${counts}`);
  return paint.green.bold(`✔ healthy: ${counts}`);
}
