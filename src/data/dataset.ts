/**
 * The dataset a config describes: the training file scanned once (statistics and a bounded seeded
 * sample), its task, and the sample encoded as typed arrays and split into training and validation.
 * Rows are kept as JS typed arrays, not tensors: the probe builds each batch from a subarray.
 */
import type { LoadedConfig } from '../config/load.js';
import { configProblem, locateKey } from '../config/load.js';
import { DataError } from '../errors.js';
import { readHeader, UnreadableDataError } from './table.js';
import { columnMismatch } from './validation-columns.js';
import type { Task } from '../config/schema.js';
import { createRandom, shuffleInPlace } from '../util/random.js';
import { parseNumber } from './cell.js';
import { isNumpyFile, scanNumpySources, type Sampling } from './numpy-source.js';
import { MissingColumnError, scanTable, type SampledRow, type TableScan } from './scan.js';
import { exampleValues, summarize, type DataSummary } from './summary.js';
import { inferTask } from './task.js';
import { shapeSize } from '../util/shape.js';

/** Rows as flat row-major Float32Arrays: `x` is rows × features, `y` is rows × targetWidth. */
export interface Examples {
  rows: number;
  x: Float32Array;
  y: Float32Array;
}

export interface Dataset {
  summary: DataSummary;
  /** The names the feature statistics are per: table columns, or the last axis (channels) of a NumPy array. */
  featureNames: string[];
  /** Values per example: the row width of `x`. */
  features: number;
  targetNames: string[];
  /** The shape of one example: `data.inputShape`, or [features]. */
  inputShape: number[];
  /**
   * Classification: the class names in id order. A single label column is encoded as class ids
   * (text labels sorted, numeric labels as written); several columns as they are (one-hot/multi-hot).
   */
  classes?: string[];
  /** Values per row in `y`: 1 for class ids and single targets, else the number of target columns. */
  targetWidth: number;
  train: Examples;
  validation: Examples;
}

/** Seeds derived from `config.seed` so that sampling and splitting do not share a random stream. */
const SAMPLE_SEED_OFFSET = 1;
const SPLIT_SEED_OFFSET = 2;

export async function loadDataset(loaded: LoadedConfig): Promise<Dataset> {
  const { config } = loaded;
  const sampling = { sampleRows: config.probe.sampleRows, seed: config.seed + SAMPLE_SEED_OFFSET };
  const scans = isNumpyFile(config.data.train)
    ? await scanNumpySources(loaded, sampling)
    : await scanTables(loaded, sampling);
  const { train: scan } = scans;
  const { task, source } = inferTask(scan, config.data.task, config.training.loss);
  const summary = summarize(scan, task, source, config.data.normalize, config.data.normalizeTarget);
  const inputShape = checkInputShape(loaded, scan);
  const features = summary.features;
  const classes = classNames(scan, summary, task);
  const encode = (rows: SampledRow[]) => encodeExamples(rows, features, task, classes, scan);
  const [train, validation] =
    scans.validation === undefined
      ? splitSample(scan.sample, config.data.validationSplit, config.seed + SPLIT_SEED_OFFSET).map(encode)
      : [encode(scan.sample), encode(scans.validation.sample)];
  return {
    summary,
    featureNames: scan.featureNames,
    features,
    targetNames: scan.targetNames,
    inputShape,
    ...(classes === undefined ? {} : { classes }),
    targetWidth: targetWidth(task, scan),
    train: train!,
    validation: validation!,
  };
}

/**
 * A table's scan, and its validation table's when `data.validation` names one. The validation
 * file's columns are matched to the training file's by name, so a reordered file is read right;
 * a column missing or extra is refused, naming them.
 */
async function scanTables(loaded: LoadedConfig, sampling: Sampling) {
  const { data } = loaded.config;
  const target = typeof data.target === 'string' ? [data.target] : data.target!;
  const located = <T>(key: 'train' | 'validation', work: Promise<T>) =>
    work.catch((error: unknown) => {
      if (error instanceof UnreadableDataError)
        throw new DataError(`${locateKey(loaded, ['data', key])}: ${error.message}`);
      if (!(error instanceof MissingColumnError)) throw error;
      throw configProblem(loaded, ['data', error.role === 'target' ? 'target' : 'features'], error.fromConfig);
    });
  const train = await located('train', scanTable(data.train, { target, features: data.features, ...sampling }));
  if (data.validation === undefined) return { train, validation: undefined };
  const [trainHeader, validationHeader] = await Promise.all([
    located('train', readHeader(data.train)),
    located('validation', readHeader(data.validation)),
  ]);
  const mismatch = columnMismatch(data.train, data.validation, trainHeader, validationHeader);
  if (mismatch !== undefined) throw configProblem(loaded, ['data', 'validation'], mismatch);
  const spec = { target, features: train.featureNames, ...sampling };
  return { train, validation: await located('validation', scanTable(data.validation, spec)) };
}

/** `data.inputShape`, else the array's example shape, else one value per feature; it must hold the example's values. */
function checkInputShape(loaded: LoadedConfig, scan: TableScan): number[] {
  const values = exampleValues(scan);
  const inputShape = loaded.config.data.inputShape ?? scan.exampleShape ?? [values];
  const size = shapeSize(inputShape);
  if (size !== values) {
    const what =
      scan.exampleShape === undefined
        ? `${values} feature columns`
        : `examples of shape [${scan.exampleShape.join(', ')}], ${values} values`;
    throw configProblem(
      loaded,
      ['data', 'inputShape'],
      `[${inputShape.join(', ')}] holds ${size} values per example, but the data has ${what}. Make the product of the dimensions ${values}.`,
    );
  }
  return inputShape;
}

/** Seeded shuffle, then the last `fraction` of the rows (rounded down) for validation. */
export function splitSample<T>(rows: readonly T[], fraction: number, seed: number): [T[], T[]] {
  const shuffled = shuffleInPlace([...rows], createRandom(seed));
  const validationRows = Math.floor(shuffled.length * fraction);
  return [shuffled.slice(0, shuffled.length - validationRows), shuffled.slice(shuffled.length - validationRows)];
}

function targetWidth(task: Task, scan: TableScan): number {
  return task === 'regression' || scan.targetNames.length > 1 ? scan.targetNames.length : 1;
}

function classNames(scan: TableScan, summary: DataSummary, task: Task): string[] | undefined {
  if (task === 'regression') return undefined;
  if (scan.targetNames.length > 1) return scan.targetNames;
  return summary.classes?.map((entry) => entry.label);
}

function encodeExamples(
  rows: SampledRow[],
  features: number,
  task: Task,
  classes: string[] | undefined,
  scan: TableScan,
): Examples {
  const width = targetWidth(task, scan);
  const x = new Float32Array(rows.length * features);
  const y = new Float32Array(rows.length * width);
  // Text labels become their index in the sorted class list; numbers are kept as written, so that
  // integer class ids stay ids and a bad label (2 in a binary target) stays visible to the checks.
  const classIndex = scan.textLabels ? new Map(classes?.map((name, index) => [name, index])) : undefined;
  rows.forEach((row, r) => {
    x.set(row.features, r * features);
    row.target.forEach((cell, k) => {
      y[r * width + k] =
        classIndex === undefined
          ? (parseNumber(cell) ?? Number.NaN)
          : (classIndex.get(String(cell).trim()) ?? Number.NaN);
    });
  });
  return { rows: rows.length, x, y };
}
