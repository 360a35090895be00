/**
 * One pass over a pair of NumPy arrays, features `x` (first axis: examples) and targets `y`, that
 * gives what a table scan gives: statistics, target label counts and a seeded reservoir sample.
 * Feature statistics are per entry of the last axis of an example (per channel of an image, per
 * feature of a sequence step) when an example has two axes or more, pooling every position: what
 * the data checks and `data.normalize` then judge and scale, as Keras' Normalization(axis=-1) does.
 */
import { DataError } from '../errors.js';
import { ColumnAccumulator } from './column-stats.js';
import type { NumpyArray } from './numpy-array.js';
import { Reservoir } from './reservoir.js';
import type { SampledRow, TableScan } from './scan.js';
import { sampleCapacity, TargetAccumulator } from './target-accumulator.js';

/** Rows are decoded in chunks of about this many bytes of float64: large files are streamed, not loaded. */
const CHUNK_BYTES = 8 * 2 ** 20;

export interface NumpyScanSpec {
  /** The file as the report names it. */
  file: string;
  /** Names of x and y in statistics names, e.g. `x_train`. */
  xName: string;
  yName: string;
  sampleRows: number;
  seed: number;
}

export async function scanNumpy(x: NumpyArray, y: NumpyArray, spec: NumpyScanSpec): Promise<TableScan> {
  const { exampleShape, featureNames, width } = featureLayout(x, spec.xName);
  const targetNames = targetLayout(x, y, spec.yName);
  if (x.rows === 0) throw new DataError(`${x.shown}: the array has no rows (shape (${x.header.shape.join(', ')})).`);
  const features = featureNames.map((name) => new ColumnAccumulator(name));
  const targets = new TargetAccumulator(targetNames);
  const reservoir = new Reservoir<SampledRow>(sampleCapacity(spec.sampleRows, x.rowValues), spec.seed);
  const chunkRows = Math.max(1, Math.floor(CHUNK_BYTES / (8 * x.rowValues)));
  for (let start = 0; start < x.rows; start += chunkRows) {
    const count = Math.min(chunkRows, x.rows - start);
    const xs = await x.readRows(start, count);
    const ys = await y.readRows(start, count);
    for (let i = 0; i < xs.length; i++) features[i % width]!.add(xs[i]!);
    for (let row = 0; row < count; row++) {
      const target = Array.from(ys.subarray(row * y.rowValues, (row + 1) * y.rowValues));
      targets.add(target);
      reservoir.offer(() => ({
        features: Float32Array.from(xs.subarray(row * x.rowValues, (row + 1) * x.rowValues)),
        target,
      }));
    }
  }
  return {
    file: spec.file,
    rows: x.rows,
    featureNames,
    exampleShape,
    features: features.map((column) => column.summary()),
    targetNames,
    ...targets.finish(spec.file),
    sample: reservoir.items,
  };
}

/** The shape of one example and the names its statistics are kept under (NumPy's index notation). */
function featureLayout(x: NumpyArray, name: string) {
  const shape = x.header.shape.slice(1);
  const exampleShape = shape.length === 0 ? [1] : shape;
  const perLastAxis = exampleShape.length >= 2;
  const width = perLastAxis ? exampleShape.at(-1)! : x.rowValues;
  const featureNames = Array.from({ length: width }, (_, index) =>
    perLastAxis ? `${name}[..., ${index}]` : `${name}[:, ${index}]`,
  );
  return { exampleShape, featureNames, width };
}

function targetLayout(x: NumpyArray, y: NumpyArray, name: string): string[] {
  if (y.rows !== x.rows) {
    throw new DataError(
      `${y.shown} has ${y.rows} rows but ${x.shown} has ${x.rows}: the first axis of the targets must match the examples'.`,
    );
  }
  if (y.header.shape.length > 2) {
    throw new DataError(
      `${y.shown}: targets of shape (${y.header.shape.join(', ')}) are not supported; expected (rows,) or (rows, outputs).`,
    );
  }
  if (y.rowValues === 1) return [name];
  return Array.from({ length: y.rowValues }, (_, index) => `${name}[:, ${index}]`);
}
