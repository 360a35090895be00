/**
 * The JSON report of shared/design.md (schemaVersion 1): what every command prints with --json and
 * what CI gates on. Built here from findings; rendered by the reporters beside this file.
 */
import type { DataSummary } from '../data/summary.js';
import { rankFixes, type RecommendedFix } from '../fixes/rank.js';
import type { Finding } from '../symptoms/finding.js';
import { SEVERITIES, type Severity } from '../symptoms/ids.js';
import { TOOL_VERSION } from '../version.js';

/**
 * `unhealthy` when any finding is critical, `warning` when the worst is a warning, else `healthy`
 * (info findings do not change the verdict), like eslint's errors and warnings.
 */
export type Verdict = 'healthy' | 'warning' | 'unhealthy';

export interface Report {
  schemaVersion: 1;
  tool: { name: 'convdoc'; version: string };
  command: string;
  /** The config file as given, or null when the command ran on a data file alone. */
  config: string | null;
  /** The tfjs backend the probe ran on; null when nothing was trained. */
  backend: string | null;
  seed: number;
  verdict: Verdict;
  data: DataSummary;
  findings: Finding[];
  recommendedFixes: RecommendedFix[];
}

export function buildReport(parts: { command: string; config: string | null; backend: string | null; seed: number; data: DataSummary; findings: readonly Finding[] }): Report {
  const findings = [...parts.findings].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  return {
    schemaVersion: 1,
    tool: { name: 'convdoc', version: TOOL_VERSION },
    command: parts.command,
    config: parts.config,
    backend: parts.backend,
    seed: parts.seed,
    verdict: verdictOf(findings),
    data: parts.data,
    findings,
    recommendedFixes: rankFixes(findings),
  };
}

function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((finding) => finding.severity === 'critical')) return 'unhealthy';
  return findings.some((finding) => finding.severity === 'warning') ? 'warning' : 'healthy';
}

/** `--fail-on`: the least severe finding that makes the exit code 1; `never` keeps it 0. */
export type FailOn = Exclude<Severity, 'info'> | 'never';

/** The eslint convention: 1 when a finding is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const limit = SEVERITIES.indexOf(failOn);
  return report.findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= limit) ? 1 : 0;
}
