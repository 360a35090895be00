/**
 * The report as CI test results: one check per symptom id of the engine, failed when a finding at
 * or above `--fail-on` fired, skipped when the command could not run it, else passed. Failures are
 * exactly the findings that make the exit code 1, so a red test report and a red job agree.
 */
import type { Finding } from '../symptoms/finding.js';
import { DATA_SYMPTOMS, SYMPTOM_IDS, type SymptomId } from '../symptoms/ids.js';
import { failsRun, type FailOn, type Report } from './report.js';

type SymptomCategory = 'config' | 'data' | 'training';

export interface CheckResult {
  symptom: SymptomId;
  category: SymptomCategory;
  outcome: 'passed' | 'failed' | 'skipped';
  /** Its findings, most severe first: those that fail the run and those below `--fail-on`. */
  findings: Finding[];
  /** For a skipped check: why it did not run. */
  skippedBecause?: string;
}

function symptomCategory(symptom: SymptomId): SymptomCategory {
  if (symptom.startsWith('config-')) return 'config';
  return DATA_SYMPTOMS.has(symptom) ? 'data' : 'training';
}

export function checkResults(report: Report, failOn: FailOn): CheckResult[] {
  return SYMPTOM_IDS.map((symptom) => {
    const category = symptomCategory(symptom);
    const skippedBecause = whyNotRun(report, symptom, category);
    if (skippedBecause !== undefined) return { symptom, category, outcome: 'skipped', findings: [], skippedBecause };
    const findings = report.findings.filter((finding) => finding.symptom === symptom);
    const failed = findings.some((finding) => failsRun(finding.severity, failOn));
    return { symptom, category, outcome: failed ? 'failed' : 'passed', findings };
  });
}

/**
 * Which checks ran: those the report lists as not evaluated (analyze, by the signals the log
 * lacks) did not; otherwise it follows from what the report holds: the data checks need the
 * dataset (a log has none), the config lint the built model of a config (only a probe builds it),
 * the training checks a trace (a probe's, or a log's).
 */
function whyNotRun(report: Report, symptom: SymptomId, category: SymptomCategory): string | undefined {
  const lacking = report.notEvaluated?.find((entry) => entry.symptom === symptom);
  if (lacking !== undefined) return `needs ${lacking.needs.join(', ')}`;
  if (category === 'data') return report.log === undefined ? undefined : 'not run: a training log holds no dataset';
  if (category === 'config')
    return report.probe !== undefined && report.config !== null
      ? undefined
      : 'not run: the config lint runs with a probe of a config (convdoc diagnose)';
  return report.probe !== undefined || report.log !== undefined
    ? undefined
    : 'not run: no training trace (this command trains nothing)';
}
