/**
 * `--format junit`: the report as JUnit XML for CI test views (Jenkins, GitLab, Azure, test-reporter
 * actions). One testcase per check (every symptom id), so a CI history shows a check going from
 * passed to failed. A testcase fails exactly when its findings make the exit code 1 (see
 * check-results.ts); findings below `--fail-on` pass and carry their text in <system-out>, where
 * CI views show them without turning the build red. Checks the command could not run are
 * <skipped> with the reason. With --apply-fix, a second testsuite lists the measured trials: they
 * never fail (the exit code does not depend on them) and carry their numbers in <system-out>.
 * Nothing machine-dependent is written besides the report's own seconds.
 */
import { displayPath } from '../util/paths.js';
import { checkResults, type CheckResult } from './check-results.js';
import { findingDetails, reportSubject } from './plain-text.js';
import { trialFacts, trialName } from './trial-facts.js';
import type { Report } from './report.js';
import type { ReporterOptions } from './reporter.js';
import type { Finding } from '../symptoms/finding.js';
import type { Trial } from '../trials/trial-stats.js';

export interface TestCase {
  classname: string;
  name: string;
  seconds: number;
  result:
    | { kind: 'passed'; output?: string }
    | { kind: 'failure'; message: string; type: string; body: string }
    | { kind: 'skipped'; message: string };
}

export interface TestSuite {
  name: string;
  seconds: number;
  cases: TestCase[];
}

export function renderJunit(report: Report, { failOn }: ReporterOptions): string {
  const source = displayPath(reportSubject(report));
  const suites: TestSuite[] = [
    {
      name: `convdoc ${report.command} ${source}`,
      seconds: report.probe?.seconds ?? 0,
      cases: checkResults(report, failOn).map((check) => checkCase(check, report)),
    },
  ];
  if (report.trials !== undefined) {
    suites.push({
      name: `convdoc fixes ${source}`,
      seconds: report.trials.reduce((sum, trial) => sum + trial.seconds, 0),
      cases: report.trials.map((trial) => trialCase(trial, report)),
    });
  }
  return junitDocument(suites);
}

/**
 * The XML of some suites. `<testsuites>` carries the totals the Jenkins xunit schema (junit-10.xsd)
 * allows there, which leaves out `skipped`: that one is counted per suite only.
 */
export function junitDocument(suites: readonly TestSuite[]): string {
  const { skipped, ...totals } = suiteAttributes({
    name: 'convdoc',
    seconds: suites.reduce((sum, suite) => sum + suite.seconds, 0),
    cases: suites.flatMap((suite) => suite.cases),
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${attributes(totals)}>`,
    ...suites.flatMap(suiteLines),
    '</testsuites>',
    '',
  ].join('\n');
}

function checkCase(check: CheckResult, report: Report): TestCase {
  const head = { classname: `convdoc.${check.category}`, name: check.symptom, seconds: 0 };
  if (check.outcome === 'skipped') return { ...head, result: { kind: 'skipped', message: check.skippedBecause! } };
  const body = check.findings.map((finding) => findingText(finding, report)).join('\n\n');
  if (check.outcome === 'passed')
    return { ...head, result: body === '' ? { kind: 'passed' } : { kind: 'passed', output: body } };
  // Findings come most severe first, so the first one names the failure.
  const [worst] = check.findings;
  const more = check.findings.length - 1;
  return {
    ...head,
    result: {
      kind: 'failure',
      message: `${worst!.message}${more > 0 ? ` (and ${more} more)` : ''}`,
      type: worst!.severity,
      body,
    },
  };
}

function findingText(finding: Finding, report: Report): string {
  return [`${finding.severity} ${finding.symptom}: ${finding.message}`, ...findingDetails(finding, report)].join('\n');
}

function trialCase(trial: Trial, report: Report): TestCase {
  const output = trialFacts(trial, report)
    .filter(([, value]) => value !== '')
    .map(([label, value]) => `${label}: ${value}`)
    .join('\n');
  return {
    classname: 'convdoc.fixes',
    name: trialName(trial),
    seconds: trial.seconds,
    result: { kind: 'passed', output },
  };
}

function suiteLines(suite: TestSuite): string[] {
  return [`  <testsuite ${attributes(suiteAttributes(suite))}>`, ...suite.cases.flatMap(caseLines), '  </testsuite>'];
}

function suiteAttributes({ name, seconds, cases }: TestSuite) {
  const count = (kind: TestCase['result']['kind']) => cases.filter((testCase) => testCase.result.kind === kind).length;
  return {
    name,
    tests: cases.length,
    failures: count('failure'),
    errors: 0,
    skipped: count('skipped'),
    time: time(seconds),
  };
}

function caseLines({ classname, name, seconds, result }: TestCase): string[] {
  const open = `    <testcase ${attributes({ classname, name, time: time(seconds) })}`;
  if (result.kind === 'skipped')
    return [`${open}>`, `      <skipped ${attributes({ message: result.message })}/>`, '    </testcase>'];
  if (result.kind === 'failure') {
    const failure = attributes({ message: result.message, type: result.type });
    return [`${open}>`, `      <failure ${failure}>${escapeText(result.body)}</failure>`, '    </testcase>'];
  }
  if (result.output === undefined) return [`${open}/>`];
  return [`${open}>`, `      <system-out>${escapeText(result.output)}</system-out>`, '    </testcase>'];
}

function time(seconds: number): string {
  return Number.isFinite(seconds) ? seconds.toFixed(3) : '0.000';
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([name, value]) => `${name}="${escapeAttribute(String(value))}"`)
    .join(' ');
}

/** XML 1.0 forbids most control characters even as references; they cannot reach a CI view anyway. */
function withoutControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is what this regex is for
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

function escapeText(text: string): string {
  return withoutControlCharacters(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Line breaks as references too: a parser would otherwise normalize them to spaces in an attribute. */
function escapeAttribute(text: string): string {
  return escapeText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}
