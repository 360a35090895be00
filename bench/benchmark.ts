/**
 * What run.ts needs of a benchmark. Benchmarks come in groups (inspect, probe), each with its own
 * result shape, its own printed table and its own key in bench/results.json; every result has a
 * `name` (what `npm run bench -- <filter>` matches) and `failures` (empty when it passes).
 */
import type { RssSource } from './measure.js';

export interface GroupEntry {
  name: string;
  /** Why the run fails its checks; empty when it passes. */
  failures: string[];
}

export interface BenchmarkGroup<R extends GroupEntry = GroupEntry> {
  /** The group's key in results.json. */
  key: string;
  /** Every benchmark name of the group, in table order. */
  names: readonly string[];
  /** Runs the named benchmarks (a subset of `names`): one result per name. Problems outside any result go to `errors`. */
  run(names: readonly string[]): Promise<{ results: R[]; errors: string[] }>;
  /** The printed table (and notes) for these results. */
  format(results: readonly R[]): string;
}

/** Result of one inspect benchmark. `rows` is whatever unit the throughput counts. */
export interface BenchmarkResult extends GroupEntry {
  rows: number;
  columns: number;
  /** Size of the input file in decimal MB (1e6 bytes). */
  fileMb: number;
  wallSeconds: number;
  /** Peak RSS of the measured process in decimal MB. */
  peakRssMb: number;
  rowsPerSecond: number;
  nodeVersion: string;
  /** ISO 8601 time at which the measurement ended. */
  date: string;
  rssSource: RssSource;
  /** Seconds spent making the input (e.g. generating the CSV); 0 when a cached file was reused. */
  setupSeconds: number;
  /** Limits this run is held to; exceeding one is a failure. */
  budget: { peakRssMb?: number };
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchmarkResult>;
}
