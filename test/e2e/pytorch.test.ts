/**
 * Real PyTorch training loops recorded by convdoc_torch (integrations/pytorch), then judged by
 * `convdoc analyze`: each goes wrong as one of examples/ does, and must be found as diagnose finds
 * that example. Skipped, with the command that installs torch, where torch does not import.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pythonWithTorch, TORCH_INSTALL } from './python-torch.js';
import { ROOT, runCli } from './run-cli.js';

const PYTHON = pythonWithTorch();
const SKIPPED = `skipped: torch does not import; install it with \`${TORCH_INSTALL}\``;
if (PYTHON === undefined) console.warn(`PyTorch tests ${SKIPPED}`);
const suite = PYTHON === undefined ? `PyTorch recordings (${SKIPPED})` : 'PyTorch recordings';

interface Scenario {
  scenario: string;
  /** A run that diverges within ten steps is recorded at every step: at every=10 the NaN would come first. */
  every: number;
  args: string[];
  symptom: string;
  fix: string;
}

const SCENARIOS: Scenario[] = [
  {
    scenario: 'deep-sigmoid',
    every: 10,
    args: [],
    symptom: 'vanishing-gradients',
    fix: 'activation',
  },
  { scenario: 'exploding-rnn', every: 1, args: [], symptom: 'exploding-gradients', fix: 'clip' },
  { scenario: 'lr-too-high', every: 1, args: [], symptom: 'lr-too-high', fix: 'lr-schedule' },
  // The whole run is recorded: it ends unlearned (about 0.95x chance), measured, so the crawl is critical.
  {
    scenario: 'lr-too-low',
    every: 10,
    args: ['--classes', '3'],
    symptom: 'lr-too-low',
    fix: 'lr-schedule',
  },
];

interface AnalyzeJson {
  findings: { symptom: string; severity: string; layer?: string; message: string; fixes: string[] }[];
  recommendedFixes: { fix: string; code?: { framework: string; code: string }[] }[];
  log: { format: string };
}

const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-torch-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function record(scenario: string, every: number): string {
  const file = path.join(folder, `${scenario}-every-${every}.jsonl`);
  if (existsSync(file)) return file;
  const script = path.join(ROOT, 'integrations/pytorch/examples/scenarios.py');
  const run = spawnSync(PYTHON!, [script, scenario, file, '--every', String(every)], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return file;
}

function analyzeJson(file: string, args: readonly string[]): { code: number | null; report: AnalyzeJson } {
  const result = runCli(['analyze', file, '--json', ...args]);
  return { code: result.code, report: JSON.parse(result.stdout) as AnalyzeJson };
}

describe.skipIf(PYTHON === undefined)(suite, () => {
  it('the recorder passes its own unittest suite', () => {
    const run = spawnSync(PYTHON!, ['-m', 'unittest', 'discover', '-s', 'integrations/pytorch'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    // The distributed test starts two processes that each import torch: past a minute on a loaded machine.
  }, 180_000);

  it.each(SCENARIOS)('$scenario: analyze finds $symptom and recommends $fix', ({ scenario, every, args, ...want }) => {
    const { code, report } = analyzeJson(record(scenario, every), args);
    expect(report.log.format).toBe('convdoc-torch');
    const finding = report.findings.find(({ symptom }) => symptom === want.symptom);
    // Each is critical, as diagnose finds it on the example: exit 1 and the fix first.
    expect(finding?.severity).toBe('critical');
    expect(code).toBe(1);
    expect(report.recommendedFixes[0]?.fix).toBe(want.fix);
    // A recording's fixes come as PyTorch code.
    expect(report.recommendedFixes[0]?.code?.map(({ framework }) => framework)).toEqual(['pytorch']);
  });

  it('names layers by module path, in the findings and in the code', () => {
    const { report } = analyzeJson(record('deep-sigmoid', 10), ['--code', 'pytorch,keras']);
    expect(report.findings.find(({ symptom }) => symptom === 'vanishing-gradients')?.layer).toBe('net.0');
    const [pytorch, keras] = report.recommendedFixes[0]!.code!;
    expect(pytorch!.code).toBe('nn.LeakyReLU(0.01)  # in place of nn.Sigmoid at net.1, net.3, net.5, net.7, ...');
    expect(keras!.framework).toBe('keras');
  });

  it('says what a recording measured dead units on: its training batches, not a probe batch', () => {
    const { report } = analyzeJson(record('lr-too-high', 1), []);
    const deadRelu = report.findings.find(({ symptom }) => symptom === 'dead-relu');
    expect(deadRelu?.message).toContain("input never positive on each recorded step's training batch");
    expect(deadRelu?.message).not.toContain('probe');
  });

  it('analyze --follow judges a live recording: exit 1 at the divergence while the loop still trains', async () => {
    const file = path.join(folder, 'live.jsonl');
    const script = path.join(ROOT, 'integrations/pytorch/examples/scenarios.py');
    // Far more steps than it takes to diverge, so the loop is still running when the verdict comes.
    const training = spawn(PYTHON!, [script, 'lr-too-high', file, '--every', '1', '--steps', '50000']);
    try {
      while (!existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 100));
      const follow = spawn(process.execPath, [path.join(ROOT, 'bin/convdoc.js'), 'analyze', '--follow', file], {
        env: { ...process.env, NO_COLOR: '1' },
      });
      let stderr = '';
      follow.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number>((resolve) => follow.on('exit', (exit) => resolve(exit ?? -1)));
      expect(code).toBe(1);
      expect(stderr).toMatch(/convdoc: critical /);
      expect(training.exitCode).toBeNull();
    } finally {
      training.kill();
    }
  }, 120_000);

  it('a healthy run has no finding and exits 0', () => {
    const { code, report } = analyzeJson(record('healthy', 10), ['--classes', '3']);
    expect(report.findings).toEqual([]);
    expect(code).toBe(0);
  });
});
