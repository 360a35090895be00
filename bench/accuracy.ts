/**
 * The accuracy benchmark: runs the built CLI on every case of bench/cases/ (real buggy training
 * programs from DeepLocalize, DeepFD and AUTOTRAINER, and their fixed versions) and scores it against
 * the label each case quotes from its source (see bench/cases/README.md).
 *
 * - top-1: on a buggy case, convdoc's first finding is the expected symptom (or one the source also
 *   supports); on a healthy control, no critical finding and exit code 0.
 * - false alarm: a healthy control with a critical finding or exit code 1.
 * - verified repair: on a fixable case, `--apply-fix suggested` has a trial marked `verified`.
 *
 * The totals are printed for the whole run and for each set of cases (the development set and each
 * held-out set, by the `heldOut` key of case.json), so a held-out set's score reads off its own row.
 *
 * One case at a time (the machine is shared; every probe is a child process of its own), each run
 * under a timeout. Writes bench/accuracy-results.json when the whole set ran, or the file `--out`
 * names (e.g. the held-out cases' partial run, which must not replace the whole set's results).
 *
 * Usage: npm run bench:accuracy [-- --case <id> ...] [--no-apply-fix] [--timeout <seconds>] [--out <file>]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type CaseLabel,
  type CaseResult,
  type CliRun,
  REPO_ROOT,
  configPath,
  loadCases,
  runCli,
  scoreDiagnosis,
} from './accuracy-cases.js';
import { formatTable } from './table.js';

const RESULTS_FILE = 'bench/accuracy-results.json';
/** A diagnosis takes seconds on these cases; --apply-fix runs several probes, hence its longer limit. */
const DEFAULT_TIMEOUT_SECONDS = 180;
const APPLY_FIX_TIMEOUT_FACTOR = 4;

interface Options {
  cases: string[];
  applyFix: boolean;
  timeoutSeconds: number;
  /** Where to write the results (relative to the repository, or absolute); default: RESULTS_FILE, whole set only. */
  out: string | undefined;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true, default: [] },
      'no-apply-fix': { type: 'boolean', default: false },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
      out: { type: 'string' },
    },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, got ${values.timeout}`);
  return { cases: values.case, applyFix: !values['no-apply-fix'], timeoutSeconds, out: values.out };
}

function scoreRepair(run: CliRun): NonNullable<CaseResult['repair']> {
  const verifiedFixes = (run.report?.trials ?? [])
    .filter((trial) => trial.fixes.length > 0 && trial.verified === true)
    .map((trial) => trial.fixes);
  return {
    verified: verifiedFixes.length > 0,
    verifiedFixes,
    exitCode: run.exitCode,
    seconds: run.seconds,
    ...(run.error === undefined ? {} : { error: run.error }),
  };
}

function runCase(label: CaseLabel, options: Options): CaseResult {
  const diagnosis = runCli(['diagnose', configPath(label), '--json'], options.timeoutSeconds);
  const result = scoreDiagnosis(label, diagnosis);
  if (options.applyFix && label.fixable) {
    const timeout = options.timeoutSeconds * APPLY_FIX_TIMEOUT_FACTOR;
    result.repair = scoreRepair(runCli(['diagnose', configPath(label), '--apply-fix', 'suggested', '--json'], timeout));
  }
  return result;
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'NO';
}

/** The repair column: the verified fixes, else why none (no report, or nothing verified). */
function repairCell(repair: CaseResult['repair']): string {
  if (repair === undefined) return '-';
  if (repair.verified) return `yes: ${repair.verifiedFixes.map((fixes) => fixes.join('+')).join(', ')}`;
  return repair.error === undefined ? 'NO' : `NO (${repair.error})`;
}

function tableRow(result: CaseResult): string[] {
  const said =
    result.error ?? (result.topFinding === null ? 'healthy' : `${result.topFinding} (${result.topSeverity})`);
  const seconds = result.seconds + (result.repair?.seconds ?? 0);
  return [
    result.id,
    result.expected,
    said,
    yesNo(result.right),
    result.recommendedFixes[0] ?? '-',
    repairCell(result.repair),
    seconds.toFixed(1),
  ];
}

interface Totals {
  buggy: number;
  top1Right: number;
  healthy: number;
  falseAlarms: number;
  fixable: number;
  repairsTried: number;
  repairsVerified: number;
  errors: number;
}

function totals(results: readonly CaseResult[]): Totals {
  const buggy = results.filter((result) => result.kind === 'buggy');
  const healthy = results.filter((result) => result.kind === 'healthy');
  const repairs = results.flatMap((result) => (result.repair === undefined ? [] : [result.repair]));
  return {
    buggy: buggy.length,
    top1Right: buggy.filter((result) => result.right).length,
    healthy: healthy.length,
    falseAlarms: healthy.filter((result) => result.falseAlarm).length,
    fixable: results.filter((result) => result.fixable).length,
    repairsTried: repairs.length,
    repairsVerified: repairs.filter((repair) => repair.verified).length,
    errors: results.filter((result) => result.error !== undefined).length,
  };
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(0)}%`;
}

function summary(t: Totals): string {
  const lines = [
    `top-1 right:              ${t.top1Right} / ${t.buggy} buggy cases (${percent(t.top1Right, t.buggy)})`,
    `false alarms on controls: ${t.falseAlarms} / ${t.healthy} healthy controls`,
    `verified repairs:         ${t.repairsVerified} / ${t.repairsTried} fixable cases tried (${percent(t.repairsVerified, t.repairsTried)})` +
      (t.repairsTried < t.fixable ? `, ${t.fixable} fixable in the set` : ''),
  ];
  if (t.errors > 0) lines.push(`runs without a report:    ${t.errors} (timeout, crash or exit 2)`);
  return lines.join('\n');
}

/** Totals per set, in the order the sets first appear among the (sorted) cases. */
function totalsBySet(results: readonly CaseResult[]): Record<string, Totals> {
  const sets = [...new Set(results.map((result) => result.set))];
  return Object.fromEntries(sets.map((set) => [set, totals(results.filter((result) => result.set === set))]));
}

function setTable(bySet: Record<string, Totals>): string {
  const rows = Object.entries(bySet).map(([set, t]) => [
    set,
    `${t.top1Right} / ${t.buggy}`,
    `${t.falseAlarms} / ${t.healthy}`,
    `${t.repairsVerified} / ${t.repairsTried}`,
  ]);
  return formatTable(['set', 'top-1 right', 'false alarms', 'verified repairs'], rows);
}

function main(): void {
  const options = parseOptions();
  const labels = loadCases(options.cases);
  const results: CaseResult[] = [];
  for (const label of labels) {
    console.error(`[${results.length + 1}/${labels.length}] ${label.id} ...`);
    results.push(runCase(label, options));
  }
  const header = ['case', 'expected', 'convdoc top-1', 'right?', 'top fix', 'verified repair?', 'seconds'];
  console.log(formatTable(header, results.map(tableRow)));
  console.log();
  const t = totals(results);
  console.log(summary(t));
  const bySet = totalsBySet(results);
  if (Object.keys(bySet).length > 1) console.log(`\n${setTable(bySet)}`);
  const file = options.out ?? (options.cases.length === 0 ? RESULTS_FILE : undefined);
  if (file !== undefined) {
    const output = { date: new Date().toISOString(), applyFix: options.applyFix, totals: t, bySet, cases: results };
    writeFileSync(resolve(REPO_ROOT, file), `${JSON.stringify(output, null, 2)}\n`);
    console.error(`wrote ${file}`);
  }
}

main();
