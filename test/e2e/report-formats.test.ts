import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/report.js';
import { ROOT, runCli } from './run-cli.js';

const BOSTON = 'examples/boston-unscaled/convdoc.yaml';

/** The 1-based line of the first line of `file` that matches `pattern`. */
function lineOf(file: string, pattern: RegExp): number {
  return (
    readFileSync(path.join(ROOT, file), 'utf8')
      .split('\n')
      .findIndex((line) => pattern.test(line)) + 1
  );
}

describe('report formats from the command line', () => {
  it('--format junit prints JUnit XML and keeps the exit code', () => {
    const { code, stdout, stderr } = runCli(['inspect', BOSTON, '--format', 'junit']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites /);
    expect(stdout).toContain('<testcase classname="convdoc.data" name="unscaled-inputs"');
    expect(stdout).toContain('<failure ');
  });

  it('--format github annotates the config line the fix changes and appends the job summary', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-github-'));
    const summary = path.join(directory, 'summary.md');
    await writeFile(summary, '# earlier step\n');
    const { code, stdout } = runCli(['inspect', BOSTON, '--format', 'github'], {
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(code).toBe(1);
    expect(stdout).toContain(
      `::error file=${BOSTON},line=${lineOf(BOSTON, /^\s*normalize:/)},col=3,title=convdoc unscaled-inputs (critical)::`,
    );
    const markdown = readFileSync(summary, 'utf8');
    expect(markdown.startsWith('# earlier step\n')).toBe(true);
    expect(markdown).toContain('✖ unhealthy');
  });

  it('--html writes one self-contained page beside the normal output', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-html-'));
    const html = path.join(directory, 'report.html');
    const { code, stdout } = runCli(['diagnose', BOSTON, '--steps', '40', '--html', html]);
    expect(code).toBe(1);
    expect(stdout).toContain('unscaled-inputs');
    const page = readFileSync(html, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('<svg');
    expect(page).not.toMatch(/https?:\/\//);
  });

  it('an --html file that cannot be written: exit 2, one line, nothing printed or left behind', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-html-'));
    const html = path.join(directory, 'missing-folder', 'report.html');
    const { code, stdout, stderr } = runCli(['inspect', BOSTON, '--html', html]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot write the output file');
    expect(existsSync(html)).toBe(false);
  });

  it('no progress line off a terminal: stderr stays empty', () => {
    const { code, stderr } = runCli(['diagnose', BOSTON, '--apply-fix', 'normalize', '--steps', '40']);
    expect(code).toBe(1);
    expect(stderr).toBe('');
  });
});

describe('diagnose --trace-out', () => {
  it('is written together with the other outputs or not at all', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-trace-'));
    const trace = path.join(directory, 'trace.jsonl');
    const { code, stdout, stderr } = runCli([
      'diagnose',
      BOSTON,
      '--steps',
      '20',
      '--trace-out',
      trace,
      '--html',
      path.join(directory, 'missing', 'x.html'),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('cannot write the output file');
    expect(existsSync(trace)).toBe(false);
  });

  it('writes the probe trace as JSON Lines that analyze judges like the probe', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-trace-'));
    const trace = path.join(directory, 'trace.jsonl');
    const diagnosed = runCli(['diagnose', 'examples/lr-too-high/convdoc.yaml', '--trace-out', trace, '--json']);
    expect(diagnosed.code).toBe(1);
    const lines = readFileSync(trace, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ step: 0 });
    expect(lines[0]).toHaveProperty('loss');
    const analyzed = runCli(['analyze', trace, '--json']);
    expect(analyzed.code).toBe(1);
    const symptoms = (report: string) =>
      new Set((JSON.parse(report) as Report).findings.map((finding) => finding.symptom));
    const fromLog = symptoms(analyzed.stdout);
    expect(fromLog.has('lr-too-high')).toBe(true);
    // Every finding of the log is one the probe made too: the log lacks signals, it invents none.
    for (const symptom of fromLog) expect(symptoms(diagnosed.stdout).has(symptom)).toBe(true);
  });
});
