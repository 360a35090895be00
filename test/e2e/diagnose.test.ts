import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const reportSchema = JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8'));
const validateReport = new Ajv2020({ strict: false }).compile(reportSchema);

interface Expectation {
  example: string;
  /** A finding that must be reported, and (for config bugs) the top one. */
  finding: string;
  topFinding?: boolean;
  /** The fix ranked first; null when none of the six fixes applies (a config bug). */
  topFix: string | null;
}

const UNHEALTHY: Expectation[] = [
  { example: 'boston-unscaled', finding: 'unscaled-inputs', topFinding: true, topFix: 'normalize' },
  { example: 'deep-sigmoid', finding: 'vanishing-gradients', topFix: 'activation' },
  { example: 'lr-too-high', finding: 'lr-too-high', topFix: 'lr-schedule' },
  { example: 'lr-too-low', finding: 'lr-too-low', topFix: 'lr-schedule' },
  { example: 'exploding-rnn', finding: 'exploding-gradients', topFix: 'clip' },
  { example: 'softmax-one-unit', finding: 'config-output-activation', topFinding: true, topFix: null },
  { example: 'sigmoid-regression', finding: 'config-output-activation', topFinding: true, topFix: null },
];

const runDiagnoseJson = (example: string) => {
  const result = runCli(['diagnose', `examples/${example}/convdoc.yaml`, '--json']);
  return { ...result, report: JSON.parse(result.stdout) };
};

/** One `diagnose --json` per example, shared by every test that reads that run: each one trains. */
const diagnosed = new Map<string, ReturnType<typeof runDiagnoseJson>>();
const diagnoseJson = (example: string) => {
  const result = diagnosed.get(example) ?? runDiagnoseJson(example);
  diagnosed.set(example, result);
  return result;
};

describe('convdoc diagnose on the examples', () => {
  it.each(UNHEALTHY)(
    '$example: finds $finding, ranks $topFix first, exits 1',
    ({ example, finding, topFinding, topFix }) => {
      const { code, report, stderr } = diagnoseJson(example);
      expect(stderr).toBe('');
      expect(code).toBe(1);
      expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
      const symptoms = report.findings.map((entry: { symptom: string }) => entry.symptom);
      expect(symptoms).toContain(finding);
      if (topFinding) expect(symptoms[0]).toBe(finding);
      expect(report.recommendedFixes[0]?.fix ?? null).toBe(topFix);
    },
  );

  it.each(['boston-standardized', 'iris-healthy'])('%s is healthy: nothing above info, no fix, exit 0', (example) => {
    const { code, report } = diagnoseJson(example);
    expect(code).toBe(0);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.findings.filter((entry: { severity: string }) => entry.severity !== 'info')).toEqual([]);
    expect(report.recommendedFixes).toEqual([]);
    expect(report.verdict).toBe('healthy');
  });

  it('prints a readable diagnosis of unscaled Boston, with the loss curve and the change to make', () => {
    const { code, stdout } = runCli(['diagnose', 'examples/boston-unscaled/convdoc.yaml']);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /^probe: 3 of 300 steps on wasm in [\d.]+ s, stopped early \(nan-loss at step 2\); meanSquaredError$/m,
    );
    expect(stdout).toMatch(/^loss: {2}\S+ {2}10600 → Infinity \(best 10600, chance level 88\.6\)$/m);
    expect(stdout).toContain('✖ critical  unscaled-inputs');
    expect(stdout).toContain('  1. normalize: data.normalize: none → standardize');
  });

  it('places a config edit at its line and column', () => {
    const { report } = diagnoseJson('softmax-one-unit');
    expect(report.findings[0].edit).toMatchObject({
      key: 'model.layers.2.activation',
      from: 'softmax',
      to: 'sigmoid',
      file: 'examples/softmax-one-unit/convdoc.yaml',
      line: 15,
    });
  });

  it('names the backend and the tfjs version, and keeps stdout clean of tfjs output', () => {
    const { report, stdout } = diagnoseJson('iris-healthy');
    expect(stdout.trimStart().startsWith('{')).toBe(true);
    expect(report.backend).toBe('wasm');
    expect(report.probe.tfjsVersion).toBe('4.22.0');
  });
});
