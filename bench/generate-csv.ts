/**
 * Deterministic numeric CSVs for the benchmarks, written to bench/data/ (git-ignored). The file is
 * streamed out in chunks with backpressure, so a million rows never sit in memory. The name encodes
 * everything that decides the content (rows, columns, seed, generator version), so an existing file
 * is reused as is; it only appears under its final name once complete (written to .tmp, then renamed).
 *
 * Usage: npx tsx bench/generate-csv.ts <rows> <columns> [seed]
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRandom, randomNormal } from '../src/util/random.js';

const BENCH_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));

/** Bump when the generated content changes, so stale files under old names are not reused. */
const GENERATOR_VERSION = 1;
/** Rows per write: large enough to amortize stream overhead, small enough to stay a few hundred KB. */
const ROWS_PER_CHUNK = 2_000;

export interface CsvSpec {
  rows: number;
  /** All columns, the target (last) included. */
  columns: number;
  seed: number;
}

export interface GeneratedCsv {
  file: string;
  bytes: number;
  /** False when an existing file was reused. */
  generated: boolean;
  seconds: number;
}

function csvPath(spec: CsvSpec): string {
  return `${BENCH_DATA_DIR}numeric-${spec.rows}x${spec.columns}-seed${spec.seed}-v${GENERATOR_VERSION}.csv`;
}

/**
 * Feature scales cycle through ~1, ~1000 and ~0.01 (with offsets), so the data looks like real
 * unscaled inputs and exercises the same checks a user's file would.
 */
const SCALES = [1, 1000, 0.01, 50];
const OFFSETS = [0, 5000, 0.5, -20];

/** Six significant digits: realistic cell widths without printing float noise. */
function cell(value: number): string {
  return String(Number(value.toPrecision(6)));
}

export async function ensureCsv(spec: CsvSpec): Promise<GeneratedCsv> {
  if (spec.columns < 2) throw new Error('a benchmark CSV needs at least one feature and the target');
  const file = csvPath(spec);
  if (existsSync(file)) return { file, bytes: statSync(file).size, generated: false, seconds: 0 };

  const started = performance.now();
  mkdirSync(BENCH_DATA_DIR, { recursive: true });
  const temporary = `${file}.tmp`;
  const out = createWriteStream(temporary);
  const features = spec.columns - 1;
  const header = [...Array.from({ length: features }, (_, j) => `x${j}`), 'y'];
  const random = createRandom(spec.seed);
  // Fixed weights on the standardized features: the target is a learnable linear signal plus noise.
  const weights = Array.from({ length: features }, () => randomNormal(random));

  let chunk = `${header.join(',')}\n`;
  const row: string[] = new Array<string>(spec.columns);
  for (let r = 0; r < spec.rows; r++) {
    let target = 0;
    for (let j = 0; j < features; j++) {
      const z = randomNormal(random);
      target += weights[j]! * z;
      row[j] = cell(z * SCALES[j % SCALES.length]! + OFFSETS[j % OFFSETS.length]!);
    }
    row[features] = cell(target + 0.1 * randomNormal(random));
    chunk += `${row.join(',')}\n`;
    if ((r + 1) % ROWS_PER_CHUNK === 0) {
      // Backpressure: wait for the disk to catch up instead of buffering the whole file.
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
  renameSync(temporary, file);
  return { file, bytes: statSync(file).size, generated: true, seconds: (performance.now() - started) / 1000 };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [rows, columns, seed] = process.argv.slice(2).map(Number);
  if (!Number.isInteger(rows) || !Number.isInteger(columns)) {
    console.error('usage: npx tsx bench/generate-csv.ts <rows> <columns> [seed]');
    process.exit(2);
  }
  const result = await ensureCsv({ rows: rows!, columns: columns!, seed: seed ?? 7 });
  console.log(
    `${result.generated ? 'wrote' : 'reused'} ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB, ${result.seconds.toFixed(1)} s)`,
  );
}
