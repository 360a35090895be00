/**
 * `convdoc analyze <log> --json` on a generated per-step CSV log (`step,loss,val_loss,lr`, an
 * evaluation every 1,000 steps), run as the built CLI in a child process. Acceptance (issue 12):
 * a 1M-row log judged in at most 3 s, with peak RSS that does not grow with the log beyond the
 * rows themselves (compare analyze-100k with analyze-1m). The log is generated once into
 * bench/data/ and reused.
 */
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { measureNode } from './measure.js';
import { formatTable } from './table.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

export interface AnalyzeBenchmarkSpec {
  name: string;
  rows: number;
  maxWallSeconds?: number;
  maxPeakRssMb?: number;
}

interface AnalyzeResult extends GroupEntry {
  rows: number;
  wallSeconds: number;
  peakRssMb: number;
  date: string;
}

export function analyzeGroup(specs: readonly AnalyzeBenchmarkSpec[]): BenchmarkGroup<AnalyzeResult> {
  return {
    key: 'analyze',
    names: specs.map((spec) => spec.name),
    async run(names) {
      const results: AnalyzeResult[] = [];
      for (const spec of specs.filter((candidate) => names.includes(candidate.name))) {
        console.error(`running ${spec.name} ...`);
        results.push(await runAnalyze(spec));
      }
      return { results, errors: [] };
    },
    format: (results) =>
      formatTable(
        ['benchmark', 'rows', 'wall s', 'peak RSS MB', 'status'],
        results.map((result) => [
          result.name,
          result.rows.toLocaleString('en-US'),
          result.wallSeconds.toFixed(2),
          result.peakRssMb.toFixed(1),
          result.failures.length === 0 ? 'ok' : 'FAIL',
        ]),
      ),
  };
}

async function runAnalyze(spec: AnalyzeBenchmarkSpec): Promise<AnalyzeResult> {
  const file = await ensureLog(spec.rows);
  const child = await measureNode(['bin/convdoc.js', 'analyze', file, '--json'], REPO_ROOT);
  const failures: string[] = [];
  if (child.exitCode !== 0 && child.exitCode !== 1)
    failures.push(`analyze exited with ${child.exitCode}: ${child.stderr.trim()}`);
  if (spec.maxWallSeconds !== undefined && child.wallSeconds > spec.maxWallSeconds)
    failures.push(`${child.wallSeconds.toFixed(2)} s exceeds the budget of ${spec.maxWallSeconds} s`);
  if (spec.maxPeakRssMb !== undefined && child.peakRssMb > spec.maxPeakRssMb)
    failures.push(`peak RSS ${child.peakRssMb.toFixed(1)} MB exceeds the budget of ${spec.maxPeakRssMb} MB`);
  return {
    name: spec.name,
    rows: spec.rows,
    wallSeconds: child.wallSeconds,
    peakRssMb: child.peakRssMb,
    date: new Date().toISOString(),
    failures,
  };
}

/** A falling loss with deterministic wobble, an evaluation every 1,000 steps. */
async function ensureLog(rows: number): Promise<string> {
  const file = `${DATA_DIR}log-${rows}.csv`;
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const out = createWriteStream(file);
  out.write('step,loss,val_loss,lr\n');
  for (let step = 0; step < rows; step++) {
    const loss = 2 * Math.exp(-step / (rows / 5)) + 0.1 + 0.05 * Math.abs(Math.sin(step * 12.9898));
    if (!out.write(`${step},${loss.toFixed(6)},${step % 1000 === 0 ? (loss + 0.05).toFixed(6) : ''},0.001\n`))
      await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return file;
}
