/**
 * The human-readable report: verdict, data summary, findings with their evidence, and the fixes to
 * try. Plain text; colour comes only through `paint`, which is colourless off a TTY or with NO_COLOR.
 */
import type { ChalkInstance } from 'chalk';
import type { ColumnStats } from '../data/column-stats.js';
import type { DataSummary } from '../data/summary.js';
import { trialNotes, untriedTexts } from './trial-notes.js';
import { FIX_SUMMARIES } from '../fixes/registry.js';
import type { Finding } from '../symptoms/finding.js';
import { THE_FIXES, type Severity } from '../symptoms/ids.js';
import { formatNumber, plural } from '../util/format.js';
import { displayPath } from '../util/paths.js';
import {
  editText,
  evidenceText,
  findingCounts,
  lossLandmarks,
  reportSubject,
  runSummary,
  SEVERITY_MARKS,
  VERDICT_WORDS,
} from './plain-text.js';
import type { Report } from './report.js';
import type { ReporterOptions } from './reporter.js';
import { sparkline } from './sparkline.js';
import { logEvidenceLines } from './log-text.js';
import { measuredText, trialFacts, trialName, trialRowName } from './trial-facts.js';
import { bestVerifiedTrial, fixCommand } from './top-action.js';

export function renderText(report: Report, { paint }: ReporterOptions): string {
  const severityColor: Record<Severity, ChalkInstance> = {
    critical: paint.red,
    warning: paint.yellow,
    info: paint.cyan,
  };
  const { data } = report;
  const lines: string[] = [];
  lines.push(paint.bold(`convdoc ${report.command}  ${displayPath(reportSubject(report))}`));
  if (data !== undefined) lines.push(...dataLines(data));
  // With a probe the column table would bury the diagnosis; `convdoc inspect` shows it.
  lines.push(
    '',
    ...(report.probe === undefined
      ? columnTable(data!.featureStats, data!.targetStats, paint)
      : probeLines(report, paint)),
    '',
  );
  if (report.notEvaluated !== undefined && report.notEvaluated.length > 0)
    lines.push(...notEvaluatedLines(report, paint), '');

  for (const finding of report.findings)
    lines.push(...renderFinding(finding, severityColor[finding.severity], paint), '');
  if (report.recommendedFixes.length > 0) lines.push(...recommendedFixLines(report, paint), '');
  if (report.trials !== undefined) lines.push(...trialLines(report, paint), '');
  lines.push(verdictLine(report, paint));
  return `${lines.join('\n')}\n`;
}

/** The dataset in a line (two with classes): rows, features, target, task and where it came from. */
function dataLines(data: DataSummary): string[] {
  const taskFrom = { config: 'set in the config', loss: 'from the loss', data: 'inferred from the values' }[
    data.taskSource
  ];
  const targets = data.targetStats.map((column) => column.name).join(', ');
  return [
    `data: ${plural(data.rows, 'row')}, ${plural(data.features, 'feature')} → ${targets} ` +
      `(${data.task}, ${taskFrom}); normalize: ${data.normalize}`,
    ...(data.classes === undefined
      ? []
      : [`classes: ${data.classes.map((entry) => `${entry.label} ${entry.count}`).join(', ')}`]),
  ];
}

function recommendedFixLines(report: Report, paint: ChalkInstance): string[] {
  return [
    paint.bold('Recommended fixes'),
    ...report.recommendedFixes.flatMap((entry) => {
      const measured = measuredText(entry, report);
      return [
        `  ${entry.rank}. ${paint.bold(entry.fix)}: ${entry.change ?? FIX_SUMMARIES[entry.fix]}`,
        ...(measured === '' ? [] : [`     measured: ${measured}`]),
        paint.dim(`     answers ${entry.because.join(', ')}`),
        ...(entry.code ?? []).flatMap(({ framework, code: text }) => [
          `     ${framework}:`,
          ...text.split('\n').map((line) => `       ${line}`),
        ]),
      ];
    }),
  ];
}

function renderFinding(finding: Finding, color: ChalkInstance, paint: ChalkInstance): string[] {
  const where = [finding.layer && `layer ${finding.layer}`, finding.step !== undefined && `step ${finding.step}`]
    .filter(Boolean)
    .join(', ');
  const severity = color(`${SEVERITY_MARKS[finding.severity]} ${finding.severity}`);
  const confidence = `confidence ${finding.confidence.toFixed(2)}${where ? `, ${where}` : ''}`;
  return [
    `${severity}  ${paint.bold(finding.symptom)}  ${paint.dim(confidence)}`,
    `  ${finding.message}`,
    paint.dim(`  evidence: ${evidenceText(finding)}`),
    ...(finding.edit === undefined ? [] : [`  edit: ${editText(finding.edit)}`]),
    ...(finding.fixes.length > 0 ? [`  fix: ${finding.fixes.join(', ')}`] : []),
    ...(finding.advice ? [`  what to do: ${finding.advice}`] : []),
  ];
}

/** Checks not run: for lack of signals (a log), or not judged for a reason given once (a probe cut short). */
function notEvaluatedLines({ notEvaluated = [] }: Report, paint: ChalkInstance): string[] {
  const unjudged = notEvaluated.filter((entry) => entry.reason !== undefined);
  const lacking = notEvaluated.filter((entry) => entry.reason === undefined);
  return [
    ...(lacking.length === 0
      ? []
      : [
          paint.dim(
            `not evaluated (the log lacks their signals): ${lacking.map(({ symptom, needs }) => `${symptom} (${needs.join(', ')})`).join(', ')}`,
          ),
        ]),
    ...(unjudged.length === 0
      ? []
      : [
          // A symptom several detectors judge (plateau: by the chance loss, by accuracy) is named once.
          paint.yellow(`not judged: ${[...new Set(unjudged.map(({ symptom }) => symptom))].join(', ')}`),
          paint.dim(`  because ${unjudged[0]!.reason!}`),
        ]),
  ];
}

/** The probe in two lines: what ran where, and the loss curve with its landmarks. */
function probeLines(report: Report, paint: ChalkInstance): string[] {
  const { probe } = report;
  const { loss } = probe!;
  const run = runSummary(report)!;
  if (report.log !== undefined) return [`${run.label}: ${run.text}`, ...logEvidenceLines(report, paint)];
  const factor = loss.originalUnitsFactor;
  const originalUnits =
    factor === null ? '' : `; in original units: best ${formatNumber(loss.best * factor)} (×${formatNumber(factor)})`;
  return [
    `${run.label}: ${run.text}`,
    `loss:  ${sparkline(probe!.trace.loss)}  ${lossLandmarks(loss)}`,
    ...(probe!.outputs ?? []).map(
      (output, index) =>
        `  ${output.name} (${output.lossName}${output.weight === 1 ? '' : ` ×${formatNumber(output.weight)}`}): ` +
        `${sparkline(probe!.trace.outputs![index]!.loss)}  ${lossLandmarks(output.loss)}`,
    ),
    ...(probe!.trace.targetScale === null ? [] : [paint.dim(`       on the scaled target${originalUnits}`)]),
    ...probe!.approximations.map((note) => paint.dim(`note: ${note}`)),
    ...(probe!.cutShort === undefined
      ? []
      : [
          paint.yellow(
            `cut short: the whole probe would take about ${formatNumber(probe!.cutShort.estimatedFullSeconds)} s here; to judge training, use one of:`,
          ),
          ...probe!.cutShort.advice.map((way) => `  ${way}`),
        ]),
  ];
}

/** One row per column; the target rows are marked so the table reads as the model sees the data. */
function columnTable(
  features: readonly ColumnStats[],
  targets: readonly ColumnStats[],
  paint: ChalkInstance,
): string[] {
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
  const rows = [
    header,
    ...features.map((column) => row(column, '')),
    ...targets.map((column) => row(column, ' (target)')),
  ];
  const widths = header.map((_, index) => Math.max(...rows.map((cells) => cells[index]!.length)));
  const pad = (cell: string, index: number) =>
    index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!);
  const format = (cells: string[]) => `  ${cells.map(pad).join('  ')}`;
  return [paint.dim(format(header)), ...rows.slice(1).map(format)];
}

/**
 * The measured fixes, or why none was tried: a healthy run needs none, a config bug needs its edit;
 * and the fixes asked for that were not measured.
 */
function trialLines(report: Report, paint: ChalkInstance): string[] {
  const trials = report.trials!;
  const untried = untriedTexts(report).map((text) => `  ${text}`);
  if (trials.length > 1) {
    const notes = trialNotes(trials, report.probe?.plan?.steps).map((note) => paint.dim(`  ${note}`));
    return [...trialTable(report, paint), ...notes, recommendedConfig(report), ...untried];
  }
  const configBug = report.findings.some((finding) => finding.edit !== undefined && finding.severity === 'critical');
  const why = configBug
    ? `  none tried: none of ${THE_FIXES} repairs a config bug; make the edit shown above, then diagnose again.`
    : report.verdict === 'healthy'
      ? '  none needed: the run is healthy.'
      : untried.length === 0
        ? '  none tried: no fix is recommended for these findings.'
        : '  none tried: no fix asked for can be measured here.';
  return [paint.bold('Measured fixes'), why, ...untried];
}

/** Before and after: each trial's measured loss and its improvement over the baseline, with the interval over seeds. */
function trialTable(report: Report, paint: ChalkInstance): string[] {
  const trials = report.trials!;
  const header = ['fixes', ...trialFacts(trials[0]!, report).map(([label]) => label)];
  const rows = trials.map((trial) => [trialRowName(trial), ...trialFacts(trial, report).map(([, value]) => value)]);
  const widths = header.map((_, index) => Math.max(...[header, ...rows].map((cells) => cells[index]!.length)));
  const format = (cells: string[]) => `  ${cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ')}`;
  return [paint.bold('Measured fixes'), paint.dim(format(header)), ...rows.map(format)];
}

/** The config to run next: the best verified trial's, as the `convdoc fix` command that writes it. */
function recommendedConfig(report: Report): string {
  const best = bestVerifiedTrial(report.trials!);
  if (best === undefined) return '  no fix was verified on every seed: none is recommended by measurement.';
  return (
    `  recommended config: ${trialName(best)}, verified on ${plural(best.seeds, 'seed')}; ` +
    `write it with ${fixCommand(report, best.fixes)}` +
    // The fix command writes fixes only: the edit the trial ran with is the config finding's, made by hand.
    (best.edits === undefined ? '' : ', and make the config edit above')
  );
}

function verdictLine(report: Report, paint: ChalkInstance): string {
  const color = { unhealthy: paint.red, warning: paint.yellow, healthy: paint.green }[report.verdict];
  return color.bold(`${VERDICT_WORDS[report.verdict]}: ${findingCounts(report)}`);
}
