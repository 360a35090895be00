import { describe, expect, it } from 'vitest';
import { renderReport, REPORTERS, type ReporterName } from '../../src/report/reporters.js';
import { diagnosedFixture } from './fixtures/reports.js';

/** How each reporter's output begins: the registry maps every name to its own reporter. */
const OPENINGS: Record<ReporterName, RegExp> = {
  text: /^convdoc diagnose /,
  json: /^\{\n {2}"schemaVersion"/,
  junit: /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /,
  github: /^::error file=/,
  'github-summary': /^## convdoc diagnose `/,
  html: /^<!DOCTYPE html>\n/,
};

describe('the reporter registry', () => {
  it.each(Object.keys(REPORTERS) as ReporterName[])(
    '%s: loads its reporter by name and renders without colour, failing on critical findings',
    async (name) => {
      const { report } = await diagnosedFixture('boston-unscaled');
      const output = await renderReport(report, name);
      expect(output).toMatch(OPENINGS[name]);
      expect(output).not.toContain('\u001b[');
    },
  );

  it('passes the options on: --fail-on never turns annotations into warnings', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    expect(await renderReport(report, 'github', { failOn: 'never' })).toMatch(/^::warning file=/);
  });
});

describe('the text report on a probe cut short', () => {
  it('names a symptom that several detectors judge once among the checks not judged', async () => {
    const { report } = await diagnosedFixture('boston-unscaled');
    const reason = 'the time budget (probe.maxSeconds) ended the probe after 1 of 300 steps';
    const cutShort = {
      ...report,
      notEvaluated: [
        { symptom: 'plateau' as const, needs: ['chance_loss' as const], reason },
        { symptom: 'plateau' as const, needs: ['loss' as const], reason },
        { symptom: 'lr-too-high' as const, needs: ['loss' as const], reason },
      ],
    };
    const text = await renderReport(cutShort, 'text');
    expect(text).toContain('not judged: plateau, lr-too-high\n');
  });
});
