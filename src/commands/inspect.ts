/**
 * `convdoc inspect <config|data>`: the data checks alone, no training. Given a config, it checks the
 * data as that run uses it (its target, features and normalization); given a data file, every
 * column but the target (`--target`, default the last column) is a feature.
 */
import path from 'node:path';
import { configInputs, loadConfig } from '../config/load.js';
import { checkOutputs, type PlannedOutput } from '../util/output-check.js';
import { DEFAULT_SAMPLE_ROWS, DEFAULT_SEED, type Config } from '../config/schema.js';
import { loadDataset } from '../data/dataset.js';
import { scanTable } from '../data/scan.js';
import { summarize } from '../data/summary.js';
import { inferTask } from '../data/task.js';
import { readHeader } from '../data/table.js';
import { findingLocator } from '../report/fix-location.js';
import { buildReport, type Report } from '../report/report.js';
import { checkData } from '../symptoms/data-checks.js';

export interface InspectOptions {
  /** For a data file: the target column (default: the last column). */
  target?: string;
  /** For a data file: the seed of the row sample (a config brings its own). */
  seed?: number;
  /** For a data file: rows kept in the probe sample. */
  sampleRows?: number;
  /** The files the caller will write the report to: never one of the inputs. */
  outputs?: readonly PlannedOutput[];
}

const CONFIG_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

export async function inspect(input: string, options: InspectOptions = {}): Promise<Report> {
  return CONFIG_EXTENSIONS.has(path.extname(input).toLowerCase())
    ? inspectConfig(input, options.outputs ?? [])
    : inspectDataFile(input, options);
}

async function inspectConfig(file: string, outputs: readonly PlannedOutput[]): Promise<Report> {
  const loaded = await loadConfig(file);
  await checkOutputs(outputs, configInputs(loaded));
  const { summary } = await loadDataset(loaded);
  const outputUnits = outputUnitsOf(loaded.config);
  const findings = checkData({ data: summary, ...(outputUnits === undefined ? {} : { outputUnits }) });
  return buildReport({
    command: 'inspect',
    config: file,
    backend: null,
    seed: loaded.config.seed,
    data: summary,
    findings,
    locate: findingLocator(loaded, findings),
  });
}

async function inspectDataFile(file: string, options: InspectOptions): Promise<Report> {
  await checkOutputs(options.outputs ?? [], [{ file, what: 'the data file' }]);
  const target = options.target ?? (await readHeader(file)).at(-1)!;
  const seed = options.seed ?? DEFAULT_SEED;
  const scan = await scanTable(file, { target: [target], sampleRows: options.sampleRows ?? DEFAULT_SAMPLE_ROWS, seed });
  const { task, source } = inferTask(scan);
  const summary = summarize(scan, task, source, 'none');
  return buildReport({
    command: 'inspect',
    config: null,
    backend: null,
    seed,
    data: summary,
    findings: checkData({ data: summary }),
  });
}

/** The units of the last layer of a layer list, when it says. */
function outputUnitsOf(config: Config): number | undefined {
  const units = config.model.layers?.at(-1)?.['units'];
  return typeof units === 'number' ? units : undefined;
}
