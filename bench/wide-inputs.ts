/**
 * Wide inputs: the time from a config to the dataset the model receives (config load, one scan
 * of the file, the sample encoded) for a CSV of 224x224x3 = 150,528 feature columns, as people
 * export images. Acceptance of issue 17: under 2 s of wall time. Measured in this process, so the
 * figure is the data path alone; CPU time is shown too, as it hardly depends on other load.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/load.js';
import { loadDataset } from '../src/data/dataset.js';
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { ensureCsv } from './generate-csv.js';
import { formatTable } from './table.js';

const BENCH_DATA_DIR = fileURLToPath(new URL('./data/', import.meta.url));
const NAME = 'wide-150k-columns';
const ROWS = 32;
const FEATURES = 224 * 224 * 3;
const MAX_WALL_SECONDS = 2;

interface WideInputResult extends GroupEntry {
  rows: number;
  features: number;
  wallSeconds: number;
  cpuSeconds: number;
  loadAverage: number;
}

export function wideInputsGroup(): BenchmarkGroup<WideInputResult> {
  return {
    key: 'wide-inputs',
    names: [NAME],
    async run() {
      const csv = await ensureCsv({ rows: ROWS, columns: FEATURES + 1, seed: 7 });
      mkdirSync(BENCH_DATA_DIR, { recursive: true });
      const config = `${BENCH_DATA_DIR}wide-150k.yaml`;
      writeFileSync(
        config,
        `version: 1\ndata: {train: ${JSON.stringify(csv.file)}, target: y}\nmodel: {layers: [{type: dense, units: 1}]}\n`,
      );
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      const dataset = await loadDataset(await loadConfig(config));
      const wallSeconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuBefore);
      const failures: string[] = [];
      if (dataset.features !== FEATURES)
        failures.push(`the dataset has ${dataset.features} features, expected ${FEATURES}`);
      if (wallSeconds > MAX_WALL_SECONDS)
        failures.push(`${wallSeconds.toFixed(2)} s exceeds the budget of ${MAX_WALL_SECONDS} s`);
      const result: WideInputResult = {
        name: NAME,
        rows: ROWS,
        features: FEATURES,
        wallSeconds,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        loadAverage: loadavg()[0]!,
        failures,
      };
      return { results: [result], errors: [] };
    },
    format: (results) =>
      formatTable(
        ['benchmark', 'rows', 'features', 'wall s', 'cpu s', 'load avg', 'status'],
        results.map((r) => [
          r.name,
          String(r.rows),
          String(r.features),
          r.wallSeconds.toFixed(2),
          r.cpuSeconds.toFixed(2),
          r.loadAverage.toFixed(1),
          r.failures.length === 0 ? 'ok' : 'FAIL',
        ]),
      ),
  };
}
