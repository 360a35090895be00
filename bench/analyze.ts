/**
 * `convdoc analyze <log> --json` on a generated per-step log, a CSV (`step,loss,val_loss,lr`) or a
 * TensorBoard event file (`loss` scalars, `val_loss` ones), an evaluation every 1,000 steps, run as
 * the built CLI in a child process. Acceptance (issue 12): a 1M-row log judged in at most 3 s, with
 * peak RSS that does not grow with the log beyond the rows themselves (compare analyze-100k with
 * analyze-1m). The log is generated once into bench/data/ and reused.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, type WriteStream } from 'node:fs';
import { crc32c } from '@node-rs/crc32';
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
  /** Default `csv`. */
  format?: 'csv' | 'tfevents';
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
  const file = spec.format === 'tfevents' ? await ensureEventFile(spec.rows) : await ensureLog(spec.rows);
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

/** A falling loss with deterministic wobble. */
const lossAt = (step: number, rows: number) =>
  2 * Math.exp(-step / (rows / 5)) + 0.1 + 0.05 * Math.abs(Math.sin(step * 12.9898));

/** The CSV log: a loss every step, an evaluation every 1,000 steps. */
async function ensureLog(rows: number): Promise<string> {
  return writeOnce(`${DATA_DIR}log-${rows}.csv`, async (out) => {
    out.write('step,loss,val_loss,lr\n');
    for (let step = 0; step < rows; step++) {
      const loss = lossAt(step, rows);
      const line = `${step},${loss.toFixed(6)},${step % 1000 === 0 ? (loss + 0.05).toFixed(6) : ''},0.001\n`;
      if (!out.write(line)) await once(out, 'drain');
    }
  });
}

/**
 * The same run as a TensorBoard event file: a file_version record, then one Event per scalar
 * (wall_time, step, Summary{Value{tag, simple_value}}), TFRecord-framed with masked CRC-32C. Encoded
 * here by hand from event.proto / summary.proto field numbers, not with convdoc's reader.
 */
async function ensureEventFile(rows: number): Promise<string> {
  return writeOnce(`${DATA_DIR}events.out.tfevents.${rows}.bench`, async (out) => {
    out.write(tfRecord(Buffer.concat([field(1, 1, double(1.7e9)), field(3, 2, Buffer.from('brain.Event:2'))])));
    for (let step = 0; step < rows; step++) {
      const loss = lossAt(step, rows);
      let records = tfRecord(scalarEvent(step, 'loss', loss));
      if (step % 1000 === 0) records = Buffer.concat([records, tfRecord(scalarEvent(step, 'val_loss', loss + 0.05))]);
      if (!out.write(records)) await once(out, 'drain');
    }
  });
}

async function writeOnce(file: string, write: (out: WriteStream) => Promise<void>): Promise<string> {
  if (existsSync(file)) return file;
  mkdirSync(DATA_DIR, { recursive: true });
  const out = createWriteStream(`${file}.partial`);
  await write(out);
  out.end();
  await once(out, 'finish');
  renameSync(`${file}.partial`, file);
  return file;
}

function scalarEvent(step: number, tag: string, value: number): Buffer {
  const simple = Buffer.alloc(4);
  simple.writeFloatLE(value);
  const summaryValue = Buffer.concat([field(1, 2, Buffer.from(tag)), field(2, 5, simple)]);
  return Buffer.concat([
    field(1, 1, double(1.7e9 + step)),
    field(2, 0, varint(step)),
    field(5, 2, field(1, 2, summaryValue)),
  ]);
}

/** A protobuf field: its key (number, wire type), then the value (length-prefixed for wire type 2). */
function field(number: number, wireType: 0 | 1 | 2 | 5, value: Buffer): Buffer {
  const key = varint(number * 8 + wireType);
  return wireType === 2 ? Buffer.concat([key, varint(value.length), value]) : Buffer.concat([key, value]);
}

function varint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

function double(value: number): Buffer {
  const bytes = Buffer.alloc(8);
  bytes.writeDoubleLE(value);
  return bytes;
}

/** TFRecord framing: length (uint64 LE), its masked CRC-32C, the data, the data's masked CRC-32C. */
function tfRecord(data: Buffer): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  return Buffer.concat([length, maskedCrc(length), data, maskedCrc(data)]);
}

function maskedCrc(bytes: Buffer): Buffer {
  const crc = crc32c(bytes);
  const masked = ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
  const out = Buffer.alloc(4);
  out.writeUInt32LE(masked);
  return out;
}
