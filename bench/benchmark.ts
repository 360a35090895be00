/**
 * What every benchmark reports, so that run.ts can print and save them alike. New benchmarks (e.g.
 * probe training speed) return the same shape: `rows` is whatever unit the throughput counts.
 */
import type { RssSource } from './measure.js';

export interface BenchmarkResult {
  name: string;
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
  /** Why the run fails its checks; empty when it passes. */
  failures: string[];
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchmarkResult>;
}
