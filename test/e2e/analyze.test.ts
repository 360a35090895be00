import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const reportSchema = JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8'));
const validateReport = new Ajv2020({ strict: false }).compile(reportSchema);

const analyzeJson = (log: string) => {
  const result = runCli(['analyze', `fixtures/logs/${log}`, '--json']);
  return { ...result, report: JSON.parse(result.stdout) };
};

describe('convdoc analyze on the fixture logs', () => {
  it.each([
    { log: 'keras-diverging.csv', format: 'keras-csv', symptoms: ['nan-loss', 'lr-too-high'], code: 1 },
    { log: 'keras-overfitting.csv', format: 'keras-csv', symptoms: ['overfitting'], code: 1 },
    { log: 'keras-healthy.csv', format: 'keras-csv', symptoms: [], code: 0 },
    {
      log: 'exploding-gradients.jsonl',
      format: 'jsonl',
      symptoms: ['exploding-gradients', 'nan-loss', 'lr-too-high'],
      code: 1,
    },
    { log: 'tensorboard-loss.csv', format: 'tensorboard-csv', symptoms: [], code: 0 },
  ])('$log: finds $symptoms, exits $code, and the report fits the schema', ({ log, format, symptoms, code }) => {
    const result = analyzeJson(log);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(code);
    expect(validateReport(result.report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(result.report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(symptoms);
    expect(result.report).toMatchObject({
      command: 'analyze',
      config: null,
      backend: null,
      seed: 0,
      log: { file: `fixtures/logs/${log}`, format },
    });
  });

  it('lists the detectors the log cannot feed, with what they need', () => {
    const { report } = analyzeJson('keras-healthy.csv');
    expect(report.notEvaluated).toContainEqual({ symptom: 'exploding-gradients', needs: ['grad_norm'] });
    expect(report.notEvaluated).toContainEqual({ symptom: 'plateau', needs: ['chance_loss'] });
    expect(report.notEvaluated.map((entry: { symptom: string }) => entry.symptom)).not.toContain('overfitting');
    expect(report.probe.trace.loss).toHaveLength(30);
  });

  it('does not list plateau as not evaluated when a log-only variant judged it (a binary run stuck at ln 2)', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-stuck-'));
    const rows = Array.from(
      { length: 15 },
      (_, epoch) => `${epoch},0.5,${(0.6935 - 0.0002 * epoch).toFixed(4)},0.5,0.6932`,
    );
    writeFileSync(path.join(directory, 'stuck.csv'), ['epoch,accuracy,loss,val_accuracy,val_loss', ...rows].join('\n'));
    const { stdout, code } = runCli(['analyze', path.join(directory, 'stuck.csv'), '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toContain('plateau');
    expect(report.notEvaluated.map((entry: { symptom: string }) => entry.symptom)).not.toContain('plateau');
  });

  it('judges plateau when --chance-loss gives the chance level', () => {
    const { stdout, code } = runCli(['analyze', 'fixtures/logs/keras-healthy.csv', '--json', '--chance-loss', '90']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).notEvaluated.map((entry: { symptom: string }) => entry.symptom)).not.toContain('plateau');
  });

  it('prints a readable diagnosis of the diverging log', () => {
    const { stdout, code } = runCli(['analyze', 'fixtures/logs/keras-diverging.csv']);
    expect(code).toBe(1);
    expect(stdout).toContain('✖ critical  lr-too-high');
    expect(stdout).toContain('1. lr-schedule');
  });
});

describe('convdoc analyze on bad input: exit 2, nothing on stdout, one line on stderr naming the file and line', () => {
  const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-analyze-'));
  const logFile = (name: string, content: string) => {
    const file = path.join(directory, name);
    writeFileSync(file, content);
    return file;
  };

  it.each([
    {
      name: 'a missing file',
      file: () => path.join(directory, 'missing.csv'),
      stderr: /^.*missing\.csv: cannot read the log \(ENOENT\)\. Check the path\.\n$/,
    },
    {
      name: 'an unknown format',
      file: () => logFile('data.csv', 'x,y\n1,2\n'),
      stderr: /^.*data\.csv:1: not a training log: [^\n]*\n$/,
    },
    {
      name: 'a loss that is not a number',
      file: () => logFile('bad.csv', 'epoch,loss\n0,1.5\n1,high\n'),
      stderr: /^.*bad\.csv:3: loss is "high", not a number[^\n]*\n$/,
    },
    {
      name: 'a ragged row',
      file: () => logFile('ragged.csv', 'epoch,loss,val_loss\n0,1.5,1.6\n1,1.4\n'),
      stderr: /^.*ragged\.csv:3: row has 2 fields but the header has 3[^\n]*\n$/,
    },
    {
      name: 'a log with no training loss (only a header)',
      file: () => logFile('empty.csv', 'epoch,loss,val_loss\n'),
      stderr: /^.*empty\.csv: the log holds no training loss[^\n]*\n$/,
    },
    {
      name: 'a broken JSON line',
      file: () => logFile('broken.jsonl', '{"step": 0, "loss": 1}\n{"step": 1,\n'),
      stderr: /^.*broken\.jsonl:2: not valid JSON[^\n]*\n$/,
    },
  ])('$name', ({ file, stderr }) => {
    const result = runCli(['analyze', file(), '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(stderr);
  });
});
