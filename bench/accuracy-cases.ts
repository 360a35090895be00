/**
 * The cases of bench/cases/ and one scored `diagnose` run of a case: shared by the accuracy benchmark
 * (bench/accuracy.ts) and the seed-robustness benchmark (bench/seed-robustness.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CASES_DIR = 'bench/cases';

/** Reports carry the probe's trace; far below this, but a cut-off JSON must not read as a crash. */
const MAX_REPORT_BYTES = 512 * 1024 * 1024;

export interface CaseLabel {
  id: string;
  benchmark: string;
  caseId: string;
  expected: string;
  acceptable: string[];
  fixable: boolean;
  expectedFix: string | null;
  acceptableFixes: string[];
  /** Absent on the development set; `true` on the first held-out set (session 6), else "session N". */
  heldOut?: boolean | string;
}

interface ReportJson {
  verdict: string;
  findings: { symptom: string; severity: string; evidence?: unknown }[];
  recommendedFixes: { fix: string }[];
  trials?: { fixes: string[]; verified?: boolean }[];
}

/** One CLI run: its exit code and report, or why there is none (timeout, crash, exit 2). */
export interface CliRun {
  exitCode: number | null;
  seconds: number;
  report?: ReportJson;
  error?: string;
}

export interface CaseResult {
  id: string;
  /** The set the case belongs to (caseSet). */
  set: string;
  kind: 'buggy' | 'healthy';
  expected: string;
  acceptable: string[];
  exitCode: number | null;
  seconds: number;
  error?: string;
  topFinding: string | null;
  topSeverity: string | null;
  criticalFindings: string[];
  recommendedFixes: string[];
  right: boolean;
  falseAlarm: boolean;
  fixable: boolean;
  expectedFix: string | null;
  repair?: { verified: boolean; verifiedFixes: string[][]; exitCode: number | null; seconds: number; error?: string };
}

export function loadCases(only: readonly string[]): CaseLabel[] {
  const ids = readdirSync(`${REPO_ROOT}${CASES_DIR}`)
    .filter((id) => existsSync(`${REPO_ROOT}${CASES_DIR}/${id}/case.json`))
    .sort();
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) throw new Error(`no case ${unknown.join(', ')} in ${CASES_DIR}/`);
  const chosen = only.length > 0 ? ids.filter((id) => only.includes(id)) : ids;
  return chosen.map((id) => JSON.parse(readFileSync(`${REPO_ROOT}${CASES_DIR}/${id}/case.json`, 'utf8')) as CaseLabel);
}

export function runCli(args: readonly string[], timeoutSeconds: number): CliRun {
  const started = performance.now();
  const child = spawnSync(process.execPath, ['bin/convdoc.js', ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: timeoutSeconds * 1000,
    maxBuffer: MAX_REPORT_BYTES,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = (performance.now() - started) / 1000;
  if (child.error) return { exitCode: null, seconds, error: child.error.message };
  if (child.status === null)
    return { exitCode: null, seconds, error: `killed by ${child.signal} after ${timeoutSeconds}s` };
  if (child.status === 2) return { exitCode: 2, seconds, error: child.stderr.trim().split('\n')[0] ?? 'exit 2' };
  return { exitCode: child.status, seconds, report: JSON.parse(child.stdout) as ReportJson };
}

export function configPath(label: CaseLabel): string {
  return `${CASES_DIR}/${label.id}/convdoc.yaml`;
}

/** The development set, or the held-out set the case was added in (the first one predates "session N"). */
function caseSet(label: CaseLabel): string {
  if (label.heldOut === undefined || label.heldOut === false) return 'development';
  return `held-out ${label.heldOut === true ? 'session 6' : label.heldOut}`;
}

export function scoreDiagnosis(label: CaseLabel, run: CliRun): CaseResult {
  const findings = run.report?.findings ?? [];
  const top = findings[0];
  const critical = findings.filter((finding) => finding.severity === 'critical').map((finding) => finding.symptom);
  const kind = label.expected === 'healthy' ? 'healthy' : 'buggy';
  const falseAlarm = kind === 'healthy' && run.report !== undefined && (critical.length > 0 || run.exitCode === 1);
  const right =
    run.report !== undefined &&
    (kind === 'healthy'
      ? !falseAlarm
      : top !== undefined && [label.expected, ...label.acceptable].includes(top.symptom));
  return {
    id: label.id,
    set: caseSet(label),
    kind,
    expected: label.expected,
    acceptable: label.acceptable,
    exitCode: run.exitCode,
    seconds: run.seconds,
    ...(run.error === undefined ? {} : { error: run.error }),
    topFinding: top?.symptom ?? null,
    topSeverity: top?.severity ?? null,
    criticalFindings: critical,
    recommendedFixes: (run.report?.recommendedFixes ?? []).map((entry) => entry.fix),
    right,
    falseAlarm,
    fixable: label.fixable,
    expectedFix: label.expectedFix,
  };
}
