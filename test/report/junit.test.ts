import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/commands/inspect.js';
import type { FailOn, Report } from '../../src/report/report.js';
import { renderJunit } from '../../src/report/junit.js';
import { SYMPTOM_IDS } from '../../src/symptoms/ids.js';
import { diagnosedFixture, expectGolden, fixtureConfigFile, TRIALS } from './fixtures/reports.js';

/** Which element may hold which: the JUnit nesting CI parsers expect. */
const CHILDREN: Record<string, readonly string[]> = {
  '': ['testsuites'],
  testsuites: ['testsuite'],
  testsuite: ['testcase'],
  testcase: ['failure', 'skipped', 'system-out'],
  failure: [],
  skipped: [],
  'system-out': [],
};

interface Element {
  name: string;
  attributes: Record<string, string>;
  children: Element[];
  text: string;
}

const unescape = (text: string) =>
  text.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, entity: string) =>
    entity.startsWith('#')
      ? String.fromCharCode(Number(entity.slice(1)))
      : { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[entity]!,
  );

/**
 * A DOM-less parse of what renderJunit writes: the declaration, then elements with attributes and
 * text, checking on the way that tags balance, nest as CHILDREN allows and that text and attributes
 * hold no raw markup characters.
 */
function parseJunit(xml: string): Element {
  expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  const root: Element = { name: '', attributes: {}, children: [], text: '' };
  const stack = [root];
  const body = xml.slice(xml.indexOf('\n') + 1);
  let last = 0;
  for (const match of body.matchAll(/<(\/?)([\w-]+)((?:\s+[\w-]+="[^"<>]*")*)\s*(\/?)>/g)) {
    const between = body.slice(last, match.index);
    expect(between, 'raw markup in text').not.toMatch(/[<>]|&(?!(amp|lt|gt|quot|apos|#\d+);)/);
    stack.at(-1)!.text += unescape(between);
    last = match.index + match[0].length;
    const [, closing, name, attributeText, selfClosing] = match;
    if (closing) {
      expect(stack.pop()!.name, 'unbalanced tags').toBe(name);
      continue;
    }
    const parent = stack.at(-1)!;
    expect(CHILDREN[parent.name], `<${name}> inside <${parent.name || 'document'}>`).toContain(name);
    const attributes = Object.fromEntries(
      [...attributeText!.matchAll(/([\w-]+)="([^"]*)"/g)].map(([, key, value]) => [key!, unescape(value!)]),
    );
    const element: Element = { name: name!, attributes, children: [], text: '' };
    parent.children.push(element);
    if (!selfClosing) stack.push(element);
  }
  expect(body.slice(last).trim()).toBe('');
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0]!;
}

const casesOf = (suite: Element) => suite.children;
const withChild = (cases: Element[], name: string) =>
  cases.filter((testCase) => testCase.children.some((child) => child.name === name));

/** The counts on <testsuites> and each <testsuite> are those of the testcases inside. */
function expectConsistentCounts(testsuites: Element): void {
  const total = { tests: 0, failures: 0 };
  for (const suite of testsuites.children) {
    const counts = {
      tests: casesOf(suite).length,
      failures: withChild(casesOf(suite), 'failure').length,
      skipped: withChild(casesOf(suite), 'skipped').length,
    };
    expect(suite.attributes).toMatchObject({
      tests: String(counts.tests),
      failures: String(counts.failures),
      skipped: String(counts.skipped),
      errors: '0',
    });
    total.tests += counts.tests;
    total.failures += counts.failures;
  }
  // The Jenkins xunit schema (junit-10.xsd) allows no `skipped` on <testsuites>: only the suites count them.
  expect(testsuites.attributes).toEqual({
    name: 'convdoc',
    tests: String(total.tests),
    failures: String(total.failures),
    errors: '0',
    time: testsuites.attributes['time'],
  });
}

function render(report: Report, failOn: FailOn) {
  const testsuites = parseJunit(renderJunit(report, { failOn, paint: new Chalk({ level: 0 }) }));
  expectConsistentCounts(testsuites);
  const [checks, fixes] = testsuites.children;
  const caseNamed = (name: string) => casesOf(checks!).find((entry) => entry.attributes['name'] === name)!;
  /** What a check's testcase holds: failure, skipped, system-out, or nothing (passed). */
  const outcome = (name: string) =>
    caseNamed(name)
      .children.map((child) => child.name)
      .join(',') || 'passed';
  return { checks: checks!, fixes, caseNamed, outcome };
}

describe('the junit reporter', () => {
  it('writes one testcase per check, failing those whose findings fail the run, and the trials as a second suite (golden)', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const xml = renderJunit({ ...report, trials: TRIALS }, { failOn: 'critical', paint: new Chalk({ level: 0 }) });
    expectGolden('boston-unscaled.junit.xml', xml);

    const { checks, fixes, caseNamed, outcome } = render({ ...report, trials: TRIALS }, 'critical');
    expect(checks.attributes['name']).toBe(`convdoc diagnose ${fixtureConfigFile('boston-unscaled')}`);
    expect(casesOf(checks).map((testCase) => testCase.attributes['name'])).toEqual([...SYMPTOM_IDS]);
    expect(caseNamed('unscaled-inputs').attributes['classname']).toBe('convdoc.data');
    expect(
      withChild(casesOf(checks), 'failure')
        .map((testCase) => testCase.attributes['name'])
        .sort(),
    ).toEqual(['exploding-gradients', 'lr-too-high', 'nan-loss', 'unscaled-inputs']);
    expect(outcome('overfitting')).toBe('passed');
    const failure = caseNamed('unscaled-inputs').children[0]!;
    expect(failure.attributes['type']).toBe('critical');
    expect(failure.attributes['message']).toBe(
      report.findings.find((finding) => finding.symptom === 'unscaled-inputs')!.message,
    );
    expect(failure.text).toMatch(/evidence: .* = 442 \(threshold 10\)/);
    expect(failure.text).toContain('fix normalize: data.normalize: none → standardize');

    expect(fixes!.attributes['name']).toBe(`convdoc fixes ${fixtureConfigFile('boston-unscaled')}`);
    expect(casesOf(fixes!).map((testCase) => testCase.attributes['name'])).toEqual(['baseline', 'normalize', 'clip']);
    expect(withChild(casesOf(fixes!), 'failure')).toEqual([]);
    expect(casesOf(fixes!)[2]!.children[0]!.text).toContain('verified: no');
    expect(fixes!.attributes['time']).toBe('4.750');
  });

  it('fails exactly the checks at or above --fail-on; findings below it pass with their text in system-out', async () => {
    const { report } = await diagnosedFixture('softmax-one-unit');
    const critical = render(report, 'critical');
    expect(critical.outcome('config-output-activation')).toBe('failure');
    expect(critical.outcome('plateau')).toBe('failure');

    const never = render(report, 'never');
    expect(never.checks.attributes['failures']).toBe('0');
    expect(never.outcome('config-output-activation')).toBe('system-out');
    const out = never.caseNamed('config-output-activation').children[0]!.text;
    expect(out).toContain(
      `edit: ${fixtureConfigFile('softmax-one-unit')}:20:43 model.layers.2.activation: softmax → sigmoid`,
    );

    const warning = {
      ...report,
      findings: report.findings.map((finding) => ({ ...finding, severity: 'warning' as const })),
    };
    expect(render(warning, 'critical').checks.attributes['failures']).toBe('0');
    expect(render(warning, 'warning').checks.attributes['failures']).toBe('2');
  });

  it('skips the checks a command cannot run: inspect trains nothing and builds no model', async () => {
    const { checks, caseNamed, outcome } = render(await inspect(fixtureConfigFile('boston-unscaled')), 'critical');
    expect(checks.attributes['skipped']).toBe('14');
    expect(outcome('nan-loss')).toBe('skipped');
    expect(outcome('config-output-activation')).toBe('skipped');
    expect(outcome('unscaled-inputs')).toBe('failure');
    expect(caseNamed('nan-loss').children[0]!.attributes['message']).toBe(
      'not run: no training trace (this command trains nothing)',
    );
  });

  it('skips what an analyzed log cannot show, with the signals it needs', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const { probe: _probe, ...withoutProbe } = report;
    const analyzed: Report = {
      ...withoutProbe,
      command: 'analyze',
      config: null,
      findings: report.findings.filter((finding) => finding.symptom === 'lr-too-high'),
      log: { file: 'logs/training.csv', format: 'keras-csv' },
      notEvaluated: [
        { symptom: 'exploding-gradients', needs: ['grad_norm'] },
        { symptom: 'unscaled-inputs', needs: ['data'] },
      ],
    };
    const { checks, caseNamed, outcome } = render(analyzed, 'critical');
    expect(checks.attributes['name']).toBe('convdoc analyze logs/training.csv');
    expect(caseNamed('exploding-gradients').children[0]!.attributes['message']).toBe('needs grad_norm');
    expect(outcome('lr-too-high')).toBe('failure');
    expect(caseNamed('unscaled-inputs').children[0]!.attributes['message']).toBe('needs data');
    expect(outcome('data-nan')).toBe('skipped');
    expect(outcome('config-loss-mismatch')).toBe('skipped');
    expect(outcome('nan-loss')).toBe('passed');
  });

  it('escapes markup, quotes and line breaks in attributes and text', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const message = `a <b> & "c" 'd'\nsecond line`;
    const tricky: Report = { ...report, config: 'runs/<&>.yaml', findings: [{ ...report.findings[0]!, message }] };
    const { checks } = render(tricky, 'critical');
    expect(checks.attributes['name']).toBe('convdoc diagnose runs/<&>.yaml');
    const failure = withChild(casesOf(checks), 'failure')[0]!.children[0]!;
    expect(failure.attributes['message']).toBe(message);
    expect(failure.text.startsWith(`critical unscaled-inputs: ${message}\n`)).toBe(true);
  });
});
