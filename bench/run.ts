/**
 * Entry point of `npm run bench`: runs the benchmark groups in order, prints a table per group and
 * writes bench/results.json, an object keyed by group ({"inspect": [...], "probe": [...]}). Exits 1
 * when any benchmark fails its checks (the 1M-row RSS budget, the probe's speed budgets).
 *
 * Usage: npm run bench [-- <name filter>]   e.g. `npm run bench -- 100k`, `-- probe`, `-- cnn-wasm`
 * A filtered run replaces only the results it ran; the others in results.json are kept.
 * To add a benchmark group, append a BenchmarkGroup (see benchmark.ts) to GROUPS.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { analyzeGroup } from './analyze.js';
import { applyFixGroup } from './apply-fix.js';
import { diagnoseMlpGroup } from './diagnose-mlp.js';
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { inspectGroup } from './inspect.js';
import { matmulCrossoverGroup } from './matmul-crossover.js';
import { probeGroup } from './probe.js';
import { recorderOverheadGroup } from './recorder-overhead.js';
import { trainingSpeedGroup } from './training-speed.js';
import { wideInputsGroup } from './wide-inputs.js';

const GROUPS: BenchmarkGroup[] = [
  inspectGroup([
    { name: 'inspect-100k', rows: 100_000, columns: 20 },
    // Acceptance: inspect streams a 1M × 20 CSV in under 400 MB peak RSS.
    { name: 'inspect-1m', rows: 1_000_000, columns: 20, maxPeakRssMb: 400 },
  ]),
  // Acceptance (issue 17): a 150k-column CSV reaches the model in under 2 s.
  wideInputsGroup(),
  // Acceptance: on wasm, probe ≤ 1.3× model.fit for each reference model; 300-step Boston probe < 1.5 s.
  probeGroup(),
  // Acceptance: --apply-fix all on Boston in at most 4× the time of a plain diagnose.
  applyFixGroup(),
  // The source of MATERIALISED_TRANSPOSE_MIN_FLOPS (wasm BatchMatMul): fails when it is far from the best threshold.
  matmulCrossoverGroup(),
  // Acceptance (issue 14): diagnose of a 784-784-50-10 batch-32 MLP in 5 s, --apply-fix suggested in 30 s.
  diagnoseMlpGroup(),
  // Acceptance: the 784-5000-600-10 batch-2000 MLP trains at >= 60% of the forward matMul rate; PyTorch and numpy beside.
  trainingSpeedGroup(),
  // Acceptance (issue 12): a 1M-row log judged in at most 3 s.
  analyzeGroup([
    { name: 'analyze-100k', rows: 100_000 },
    { name: 'analyze-1m', rows: 1_000_000, maxWallSeconds: 3 },
    { name: 'analyze-tfevents-1m', rows: 1_000_000, format: 'tfevents', maxWallSeconds: 3 },
  ]),
  // Acceptance (issue 13): convdoc_torch at every=10 costs at most 5% of a CPU MLP's and a small CNN's loop.
  recorderOverheadGroup(),
];

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

type SavedResults = Record<string, GroupEntry[]>;

async function main(): Promise<number> {
  const filter = process.argv[2];
  const matches = (name: string) => filter === undefined || name.includes(filter);
  if (!GROUPS.some((group) => group.names.some(matches))) {
    console.error(`no benchmark matches "${filter}"; there are: ${GROUPS.flatMap((group) => group.names).join(', ')}`);
    return 2;
  }
  const saved = readSaved();
  const problems: string[] = [];
  const tables: string[] = [];
  for (const group of GROUPS) {
    const names = group.names.filter(matches);
    if (names.length === 0) continue;
    let outcome: Awaited<ReturnType<typeof group.run>>;
    try {
      outcome = await group.run(names);
    } catch (error) {
      problems.push(`${group.key}: ${(error as Error).message}`);
      continue;
    }
    problems.push(...outcome.errors);
    for (const result of outcome.results)
      problems.push(...result.failures.map((failure) => `${result.name}: ${failure}`));
    tables.push(`${group.key}\n${group.format(outcome.results)}`);
    // Replace what ran, keep the rest, in the group's own order.
    const merged = new Map((saved[group.key] ?? []).map((entry) => [entry.name, entry]));
    for (const result of outcome.results) merged.set(result.name, result);
    saved[group.key] = [...merged.values()].sort((a, b) => order(group, a.name) - order(group, b.name));
  }
  console.log(`\n${tables.join('\n\n')}`);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(saved, roundNumbers, 2)}\n`);
  console.log(`\nwrote ${RESULTS_FILE} (node ${process.version})`);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

/** The saved results, by group; the first format (a bare array of inspect results) is read as the inspect group. */
function readSaved(): SavedResults {
  if (!existsSync(RESULTS_FILE)) return {};
  try {
    const parsed = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as unknown;
    if (Array.isArray(parsed)) return { inspect: parsed as GroupEntry[] };
    return parsed !== null && typeof parsed === 'object' ? (parsed as SavedResults) : {};
  } catch {
    return {};
  }
}

/** Four significant digits are more than the run-to-run noise allows; more would only hurt reading. */
function roundNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value)
    ? Number(value.toPrecision(4))
    : value;
}

function order(group: BenchmarkGroup, name: string): number {
  const index = group.names.indexOf(name);
  return index === -1 ? Number.MAX_SAFE_INTEGER : index;
}

process.exitCode = await main();
