import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Chalk } from 'chalk';
import { renderGithubSummary } from '../../src/report/github-summary.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/report/github.js';
import { findingLocator } from '../../src/report/fix-location.js';
import type { FailOn, Report } from '../../src/report/report.js';
import type { Finding } from '../../src/symptoms/finding.js';
import type { FixId, SymptomId } from '../../src/symptoms/ids.js';
import {
  diagnosedFixture,
  expectGolden,
  fixtureConfigFile,
  lineOf,
  measuredFixture,
  type Diagnosed,
} from './fixtures/reports.js';

const github = (report: Report, failOn: FailOn = 'critical') =>
  renderGithub(report, { failOn, paint: new Chalk({ level: 0 }) });

interface Annotation {
  level: string;
  properties: Record<string, string>;
  message: string;
}

/** Workflow commands back into their parts, undoing GitHub's escaping. */
function parseAnnotations(output: string): Annotation[] {
  const unescape = (text: string) =>
    text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  return output
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const match = /^::(error|warning|notice) ([^:]*)::(.*)$/.exec(line);
      expect(match, line).not.toBeNull();
      const properties = Object.fromEntries(
        match![2]!.split(',').map((property) => property.split('=').map(unescape) as [string, string]),
      );
      return { level: match![1]!, properties, message: unescape(match![3]!) };
    });
}

const annotationOf = (annotations: Annotation[], symptom: SymptomId) =>
  annotations.find((annotation) => annotation.properties['title']!.startsWith(`convdoc ${symptom} `))!;

function annotate(
  { report }: Diagnosed,
  failOn: 'critical' | 'warning' | 'never' = 'critical',
): { output: string; annotations: Annotation[] } {
  const output = github(report, failOn);
  return { output, annotations: parseAnnotations(output) };
}

/** A finding that points to one fix, to see where that fix's annotation lands. */
const pointingTo = (fix: FixId, symptom: SymptomId = 'exploding-gradients'): Finding => ({
  symptom,
  severity: 'critical',
  confidence: 0.9,
  evidence: { measured: 2, threshold: 1, what: 'something' },
  message: 'm',
  fixes: [fix],
});

describe('the github reporter', () => {
  it('annotates the line of the key the top fix changes, in a config with comments and blank lines (golden)', async () => {
    const diagnosed = await diagnosedFixture('boston-unscaled');
    const { output, annotations } = annotate(diagnosed);
    expectGolden('boston-unscaled.github.txt', output);

    expect(annotations).toHaveLength(diagnosed.report.findings.length);
    const file = fixtureConfigFile('boston-unscaled');
    const normalize = annotationOf(annotations, 'unscaled-inputs');
    expect(normalize.level).toBe('error');
    expect(normalize.properties).toEqual({
      file,
      line: String(lineOf(diagnosed.text, /^\s+normalize:/)),
      col: '3',
      title: 'convdoc unscaled-inputs (critical)',
    });
    expect(normalize.message).toContain('fix normalize: data.normalize: none → standardize');
    // nan-loss and exploding-gradients point to lr-schedule first, which lowers the learning rate.
    for (const symptom of ['nan-loss', 'exploding-gradients', 'lr-too-high'] as const) {
      expect(annotationOf(annotations, symptom).properties['line']).toBe(
        String(lineOf(diagnosed.text, /^\s+learningRate:/)),
      );
    }
  });

  it("annotates a config bug at its edit's line and column (golden)", async () => {
    const diagnosed = await diagnosedFixture('softmax-one-unit');
    const { output, annotations } = annotate(diagnosed);
    expectGolden('softmax-one-unit.github.txt', output);

    const line = lineOf(diagnosed.text, /activation: softmax/);
    const column = diagnosed.text.split('\n')[line - 1]!.indexOf('softmax') + 1;
    const bug = annotationOf(annotations, 'config-output-activation');
    expect(bug.properties).toMatchObject({ line: String(line), col: String(column) });
    expect(bug.message).toContain('edit: ');
    expect(annotationOf(annotations, 'plateau').properties['line']).toBe(
      String(lineOf(diagnosed.text, /^\s+learningRate:/)),
    );
  });

  it('marks as errors exactly the findings that fail the run, the others as warnings or notices', async () => {
    const diagnosed = await diagnosedFixture('softmax-one-unit');
    const [bug, plateau] = diagnosed.report.findings;
    const report: Report = {
      ...diagnosed.report,
      findings: [bug!, { ...plateau!, severity: 'warning' }, { ...plateau!, severity: 'info' }],
    };
    const levels = (failOn: 'critical' | 'warning' | 'never') =>
      annotate({ ...diagnosed, report }, failOn).annotations.map((annotation) => annotation.level);
    expect(levels('critical')).toEqual(['error', 'warning', 'notice']);
    expect(levels('warning')).toEqual(['error', 'error', 'notice']);
    expect(levels('never')).toEqual(['warning', 'warning', 'notice']);
  });

  it('annotates the whole file when nothing placed a finding: a log for analyze, a config', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const unplaced: Report = {
      ...report,
      findings: report.findings.map(({ location: _location, ...finding }) => finding),
    };
    const analyzed: Report = {
      ...unplaced,
      command: 'analyze',
      config: null,
      log: { file: 'logs/run,1.csv', format: 'keras-csv' },
    };
    expect(parseAnnotations(github(analyzed))[0]!.properties).toEqual({
      file: 'logs/run,1.csv',
      title: 'convdoc unscaled-inputs (critical)',
    });
    expect(parseAnnotations(github(unplaced))[0]!.properties).toEqual({
      file: fixtureConfigFile('boston-unscaled'),
      title: 'convdoc unscaled-inputs (critical)',
    });
    expect(github({ ...report, findings: [] })).toBe('');
  });

  it('annotates from the report alone: the same lines after a round trip through JSON', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const readBack = JSON.parse(JSON.stringify(report)) as Report;
    expect(github(readBack)).toBe(github(report));
  });

  it("escapes data and properties by GitHub's rules", () => {
    expect(escapeData('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext: a,b');
    expect(escapeProperty('50% done\r\nnext: a,b')).toBe('50%25 done%0D%0Anext%3A a%2Cb');
  });
});

describe('findingLocator', () => {
  it('points each fix at the key it changes, or at the section where an absent key goes', async () => {
    const { loaded, text } = await diagnosedFixture('boston-unscaled');
    const locate = findingLocator(loaded, []);
    // clipNorm is not set: the `training:` line, where the fix adds it.
    expect(locate(pointingTo('clip'))).toEqual({
      file: fixtureConfigFile('boston-unscaled'),
      line: lineOf(text, /^training:/),
      column: 1,
    });
    expect(locate(pointingTo('batchnorm'))!.line).toBe(lineOf(text, /^\s+layers:/));
    expect(locate(pointingTo('search'))!.line).toBe(lineOf(text, /^training:/));
    expect(locate({ ...pointingTo('clip', 'data-label-invalid'), fixes: [] })!.line).toBe(lineOf(text, /^\s+target:/));
  });

  it("points activation at the first hidden sigmoid's activation key", async () => {
    const file = 'examples/deep-sigmoid/convdoc.yaml';
    const loaded = await loadConfig(file);
    const text = readFileSync(file, 'utf8');
    const line = lineOf(text, /activation: sigmoid/);
    expect(findingLocator(loaded, [])(pointingTo('activation', 'vanishing-gradients'))).toEqual({
      file,
      line,
      column: text.split('\n')[line - 1]!.indexOf('activation') + 1,
    });
  });

  it('points a fix that would change nothing (normalize already on) at the key it governs', async () => {
    const { loaded, text } = await diagnosedFixture('softmax-one-unit');
    expect(findingLocator(loaded, [])(pointingTo('normalize', 'unscaled-inputs'))!.line).toBe(
      lineOf(text, /^\s+normalize: standardize/),
    );
  });
});

describe('renderGithubSummary', () => {
  it('writes the verdict and the action first, then changes, findings and trials as Markdown (golden)', async () => {
    const summary = renderGithubSummary(await measuredFixture());
    expectGolden('boston-unscaled.summary.md', summary);
    expect(summary).toMatch(
      /^## convdoc diagnose `[^`]+`\n\n\*\*✖ unhealthy\*\*: 4 critical findings[^\n]*\n\n\*\*What to do\*\*: Apply normalize/,
    );
    expect(summary).toContain(
      '```sh\nconvdoc fix test/report/fixtures/boston-unscaled.yaml --apply normalize -o fixed.yaml\n```',
    );
    expect(summary).toMatch(/Loss: `[▁-█×]+`/);
    expect(summary).toContain(
      '| normalize | 3 | 21.4 | 18.2 | ran | baseline diverged at step 2; fix reached 21.4 | yes |',
    );
  });

  it('writes each change once, however many findings it answers', async () => {
    const summary = renderGithubSummary(await measuredFixture());
    const lrSchedule = 'training.learningRate: 0.01 → 0.001';
    expect(summary.split(lrSchedule)).toHaveLength(2);
    expect(summary).toContain(
      '| 3 | **lr-schedule**: training.learningRate: 0.01 → 0.001; training.schedule: null → {type: cosine, ',
    );
    expect(summary).toMatch(
      /\| 3 \| \*\*lr-schedule\*\*: [^|]+ \| nan-loss, exploding-gradients, lr-too-high \| stopped, behind/,
    );
  });

  it('puts a critical config edit first, as the action', async () => {
    const { report } = await diagnosedFixture('softmax-one-unit');
    const summary = renderGithubSummary(report);
    expect(summary).toMatch(/\*\*What to do\*\*: Edit the config: config-output-activation/);
    expect(summary).toMatch(
      /\| edit \| test\/report\/fixtures\/softmax-one-unit.yaml:\d+:\d+ model\.layers\.\d\.activation: softmax → /,
    );
  });

  it('keeps pipes, line breaks and angle brackets of the text inside their table cell', async () => {
    const { report } = await diagnosedFixture('softmax-one-unit');
    const summary = renderGithubSummary({ ...report, findings: [{ ...report.findings[0]!, message: 'a | b <i>\nc' }] });
    expect(summary).toContain('| a \\| b &lt;i&gt;<br>c |');
  });
});
