/**
 * One streaming pass over a data file: per-column statistics, target label counts and a seeded
 * reservoir sample for the probe. Memory stays bounded by the sample size and the caps on distinct
 * values, whatever the size of the file.
 */
import { DataError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { displayPath } from '../util/paths.js';
import { parseNumber, type Cell } from './cell.js';
import { ColumnAccumulator, type ColumnStats } from './column-stats.js';
import { Reservoir } from './reservoir.js';
import { sampleCapacity, TargetAccumulator, type TargetSummary } from './target-accumulator.js';
import { lineOfRow, openTable } from './table.js';

export interface ScanSpec {
  /** Target column names; several for one-hot, multilabel or multi-output targets. */
  target: readonly string[];
  /** Feature column names; default: every column that is not a target. */
  features?: readonly string[];
  sampleRows: number;
  seed: number;
}

/** A column named by the config or the command line is not in the file. */
export class MissingColumnError extends DataError {
  /** The same problem told from the config's side, to follow the config key's position. */
  readonly fromConfig: string;

  constructor(
    readonly role: 'target' | 'feature',
    file: string,
    column: string,
    header: readonly string[],
  ) {
    const hint = `${didYouMean(column, header)} The header has: ${header.join(', ')}.`;
    super(`${displayPath(file)}: there is no column "${column}" (named as a ${role}).${hint}`);
    this.fromConfig = `there is no column "${column}" in ${displayPath(file)}.${hint}`;
  }
}

export interface SampledRow {
  /** As the probe trains on them: float32. */
  features: Float32Array;
  target: Cell[];
}

export interface TableScan extends TargetSummary {
  file: string;
  rows: number;
  /**
   * The names `features` are per: a table's feature columns, or for a NumPy array the entries of
   * its last axis (the channels of an image), whose statistics pool every position.
   */
  featureNames: string[];
  /** The shape of one example when the file says it (a NumPy array); else undefined: one value per feature name. */
  exampleShape: number[] | undefined;
  targetNames: string[];
  features: ColumnStats[];
  sample: SampledRow[];
}

export async function scanTable(file: string, spec: ScanSpec): Promise<TableScan> {
  const table = await openTable(file);
  const { featureNames, featureIndex, targetIndex } = selectColumns(file, table.header, spec);
  const targetNames = [...spec.target];
  const features = featureNames.map((name) => new ColumnAccumulator(name));
  const targets = new TargetAccumulator(targetNames);
  const reservoir = new Reservoir<SampledRow>(sampleCapacity(spec.sampleRows, featureNames.length), spec.seed);
  let rows = 0;
  const values = new Float32Array(featureNames.length);

  for await (const cells of table.rows) {
    for (let j = 0; j < featureIndex.length; j++) {
      const value = parseNumber(cells[featureIndex[j]!]);
      if (value === undefined) throw await notANumber(file, rows, featureNames[j]!, cells[featureIndex[j]!], 'feature');
      values[j] = value;
      features[j]!.add(value);
    }
    const targetCells = targetIndex.map((index) => cells[index]);
    const bad = targets.add(targetCells);
    if (bad >= 0) throw await notANumber(file, rows, targetNames[bad]!, targetCells[bad], 'target');
    reservoir.offer(() => ({ features: values.slice(), target: targetCells }));
    rows++;
  }
  if (rows === 0) throw new DataError(`${displayPath(file)}: the file has a header but no data rows.`);
  return {
    file,
    rows,
    featureNames,
    exampleShape: undefined,
    features: features.map((column) => column.summary()),
    targetNames,
    ...targets.finish(file),
    sample: reservoir.items,
  };
}

/**
 * Feature and target columns by position. Lookups go through a Map and a Set, so that selecting
 * 150k columns (224x224x3 images as CSV) is linear, not a `header.indexOf` per column.
 */
function selectColumns(file: string, header: readonly string[], spec: ScanSpec) {
  const columnIndex = new Map(header.map((name, index) => [name, index]));
  const targets = new Set(spec.target);
  const indexOf = (name: string, role: 'target' | 'feature'): number => {
    const index = columnIndex.get(name);
    if (index === undefined) throw new MissingColumnError(role, file, name, header);
    return index;
  };
  const targetIndex = spec.target.map((name) => indexOf(name, 'target'));
  const featureNames = spec.features ? [...spec.features] : header.filter((name) => !targets.has(name));
  const overlap = featureNames.find((name) => targets.has(name));
  if (overlap !== undefined)
    throw new DataError(
      `${displayPath(file)}: column "${overlap}" is both a feature and the target. Remove it from data.features.`,
    );
  if (featureNames.length === 0)
    throw new DataError(
      `${displayPath(file)}: no feature columns are left besides the target. Add input columns to the file.`,
    );
  return { featureNames, featureIndex: featureNames.map((name) => indexOf(name, 'feature')), targetIndex };
}

async function notANumber(
  file: string,
  rowIndex: number,
  column: string,
  cell: Cell,
  role: 'feature' | 'target',
): Promise<DataError> {
  const line = await lineOfRow(file, rowIndex);
  const where = line === undefined ? displayPath(file) : `${displayPath(file)}:${line}`;
  const advice =
    role === 'feature'
      ? 'Features must be numeric: encode it (e.g. one-hot) or leave the column out with data.features.'
      : 'Several target columns must all be numeric (one-hot, multilabel or multi-output).';
  return new DataError(
    `${where}: ${role} column "${column}" has the non-numeric value ${JSON.stringify(cell)}. ${advice}`,
  );
}
