/**
 * Entry point of `npm run bench`: runs the benchmarks in order, prints a table and writes
 * bench/results.json. Exits 1 when any benchmark fails its checks (e.g. the 1M-row RSS budget).
 *
 * Usage: npm run bench [-- <name filter>]   e.g. `npm run bench -- 100k`
 * To add a benchmark, append a Benchmark (see benchmark.ts) to BENCHMARKS.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkResult } from './benchmark.js';
import { inspectBenchmark } from './inspect.js';

const BENCHMARKS: Benchmark[] = [
  inspectBenchmark({ name: 'inspect-100k', rows: 100_000, columns: 20 }),
  // Acceptance: inspect streams a 1M × 20 CSV in under 400 MB peak RSS.
  inspectBenchmark({ name: 'inspect-1m', rows: 1_000_000, columns: 20, maxPeakRssMb: 400 }),
];

const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));

async function main(): Promise<number> {
  const filter = process.argv[2];
  const selected = BENCHMARKS.filter((benchmark) => filter === undefined || benchmark.name.includes(filter));
  if (selected.length === 0) {
    console.error(`no benchmark matches "${filter}"; there are: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const results: BenchmarkResult[] = [];
  const problems: string[] = [];
  for (const benchmark of selected) {
    console.error(`running ${benchmark.name} ...`);
    try {
      const result = await benchmark.run();
      results.push(result);
      problems.push(...result.failures.map((failure) => `${result.name}: ${failure}`));
    } catch (error) {
      problems.push(`${benchmark.name}: ${(error as Error).message}`);
    }
  }
  printTable(results);
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${RESULTS_FILE} (node ${process.version}, peak RSS via ${results[0]?.rssSource ?? 'n/a'})`);
  for (const problem of problems) console.error(`FAIL ${problem}`);
  return problems.length === 0 ? 0 : 1;
}

function printTable(results: readonly BenchmarkResult[]): void {
  const header = ['benchmark', 'rows', 'cols', 'file MB', 'wall s', 'peak RSS MB', 'rows/s', 'gen s', 'status'];
  const lines = results.map((r) => [
    r.name,
    r.rows.toLocaleString('en-US'),
    String(r.columns),
    r.fileMb.toFixed(1),
    r.wallSeconds.toFixed(2),
    r.peakRssMb.toFixed(1) + (r.budget.peakRssMb === undefined ? '' : ` / ${r.budget.peakRssMb}`),
    Math.round(r.rowsPerSecond).toLocaleString('en-US'),
    r.setupSeconds === 0 ? 'cached' : r.setupSeconds.toFixed(1),
    r.failures.length === 0 ? 'ok' : 'FAIL',
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i]!.length)));
  // Names left-aligned, numbers right-aligned, as in any results table.
  const format = (cells: readonly string[]) => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  console.log(['', format(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(format)].join('\n'));
}

process.exitCode = await main();
