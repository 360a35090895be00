/**
 * `convdoc inspect <file.csv> --json` on a generated numeric CSV, run as the built CLI in a child
 * process: wall time, peak RSS and rows/s of the one streaming pass. The run fails when the CLI
 * errors (exit 2), when its report does not count every row, or when peak RSS exceeds the budget.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchmarkGroup, BenchmarkResult } from './benchmark.js';
import { ensureCsv } from './generate-csv.js';
import { measureNode } from './measure.js';
import { formatTable } from './table.js';

const REPO_ROOT = fileURLToPath(new URL('../', import.meta.url));
const CLI = 'bin/convdoc.js';
const BUILT_ENTRY = `${REPO_ROOT}dist/cli/main.js`;

export interface InspectBenchmarkSpec {
  name: string;
  rows: number;
  /** All columns of the CSV, the target (last) included. */
  columns: number;
  seed?: number;
  maxPeakRssMb?: number;
}

function inspectBenchmark(spec: InspectBenchmarkSpec): Benchmark {
  return { name: spec.name, run: () => runInspect(spec) };
}

/** The inspect benchmarks as a group of run.ts: run one after the other, one table. */
export function inspectGroup(specs: readonly InspectBenchmarkSpec[]): BenchmarkGroup<BenchmarkResult> {
  const benchmarks = specs.map(inspectBenchmark);
  return {
    key: 'inspect',
    names: benchmarks.map((benchmark) => benchmark.name),
    async run(names) {
      const results: BenchmarkResult[] = [];
      const errors: string[] = [];
      for (const benchmark of benchmarks.filter((candidate) => names.includes(candidate.name))) {
        console.error(`running ${benchmark.name} ...`);
        try {
          results.push(await benchmark.run());
        } catch (error) {
          errors.push(`${benchmark.name}: ${(error as Error).message}`);
        }
      }
      return { results, errors };
    },
    format: formatInspectTable,
  };
}

function formatInspectTable(results: readonly BenchmarkResult[]): string {
  const header = ['benchmark', 'rows', 'cols', 'file MB', 'wall s', 'peak RSS MB', 'rows/s', 'gen s', 'status'];
  const rows = results.map((r) => [
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
  const rss = results[0]?.rssSource;
  return `${formatTable(header, rows)}${rss === undefined ? '' : `\n(peak RSS via ${rss})`}`;
}

async function runInspect(spec: InspectBenchmarkSpec): Promise<BenchmarkResult> {
  // The CLI runs from dist/, so a missing build would otherwise show up as a confusing exit 2.
  if (!existsSync(BUILT_ENTRY)) throw new Error(`${BUILT_ENTRY} is missing: run \`npm run build\` first.`);
  const csv = await ensureCsv({ rows: spec.rows, columns: spec.columns, seed: spec.seed ?? 7 });
  if (csv.generated) console.error(`  generated ${csv.file} in ${csv.seconds.toFixed(1)} s`);

  const child = await measureNode([CLI, 'inspect', csv.file, '--json'], REPO_ROOT);
  const failures: string[] = [];
  // Exit 1 only means findings at the fail-on severity (the generated scales are meant to trigger
  // some); 2 is an error, and a signal means the process was killed (e.g. out of memory).
  if (child.signal !== null) failures.push(`inspect was killed by ${child.signal}`);
  else if (child.exitCode !== 0 && child.exitCode !== 1)
    failures.push(`inspect exited with ${child.exitCode}: ${child.stderr.trim()}`);
  else failures.push(...checkReport(child.stdout, spec.rows));
  if (spec.maxPeakRssMb !== undefined && child.peakRssMb > spec.maxPeakRssMb) {
    failures.push(`peak RSS ${child.peakRssMb.toFixed(1)} MB exceeds the budget of ${spec.maxPeakRssMb} MB`);
  }

  return {
    name: spec.name,
    rows: spec.rows,
    columns: spec.columns,
    fileMb: csv.bytes / 1e6,
    wallSeconds: child.wallSeconds,
    peakRssMb: child.peakRssMb,
    rowsPerSecond: spec.rows / child.wallSeconds,
    nodeVersion: process.version,
    date: new Date().toISOString(),
    rssSource: child.rssSource,
    setupSeconds: csv.seconds,
    budget: spec.maxPeakRssMb === undefined ? {} : { peakRssMb: spec.maxPeakRssMb },
    failures,
  };
}

/** The report must parse and count every data row: a fast run that skipped rows proves nothing. */
function checkReport(stdout: string, rows: number): string[] {
  let report: { data?: { rows?: unknown } };
  try {
    report = JSON.parse(stdout) as typeof report;
  } catch (error) {
    return [`the --json output does not parse (${(error as Error).message})`];
  }
  const counted = report.data?.rows;
  return counted === rows ? [] : [`the report counts data.rows = ${String(counted)}, expected ${rows}`];
}
