import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** fixtures/numpy: arrays written by real numpy (scripts/make-npy-fixtures.py), each config a 30-step probe. */
const diagnose = (config: string) => {
  const result = runCli(['diagnose', `fixtures/numpy/${config}.yaml`, '--json']);
  const report = JSON.parse(result.stdout) as {
    data: { rows: number; features: number; featureStats: { name: string }[] };
    findings: { symptom: string }[];
  };
  return { ...result, report, symptoms: report.findings.map((finding) => finding.symptom) };
};

describe('convdoc diagnose on NumPy data', () => {
  it('an .npz of uint8 images: per-channel statistics, x_test as validation, healthy', () => {
    const { code, stderr, report, symptoms } = diagnose('images');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(report.data).toMatchObject({ rows: 96, features: 192 });
    expect(report.data.featureStats.map((column) => column.name)).toEqual([
      'x_train[..., 0]',
      'x_train[..., 1]',
      'x_train[..., 2]',
    ]);
    expect(symptoms).toEqual([]);
  });

  it('an .npy pair of unscaled float64 features: unscaled-inputs, per column', () => {
    const { code, symptoms } = diagnose('tabular');
    expect(code).toBe(1);
    expect(symptoms).toContain('unscaled-inputs');
  });

  it('token ids into an Embedding: no unscaled-inputs, and they fit its inputDim', () => {
    const { code, stderr, symptoms } = diagnose('tokens');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(symptoms).not.toContain('unscaled-inputs');
    expect(symptoms).not.toContain('config-shape-mismatch');
  });

  it('a linear output with training.fromLogits: true gets no config finding', () => {
    const { code, symptoms } = diagnose('logits');
    expect(code).toBe(0);
    expect(symptoms.filter((symptom) => symptom.startsWith('config-'))).toEqual([]);
  });

  it('a Fortran-order array exits 2 saying so', () => {
    const result = runCli(['diagnose', 'fixtures/numpy/fortran.yaml', '--json']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/x-fortran.npy: the array is stored in Fortran order/);
  });
});
