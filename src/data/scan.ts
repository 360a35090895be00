/**
 * One streaming pass over a data file: per-column statistics, target label counts and a seeded
 * reservoir sample for the probe. Memory stays bounded by the sample size and the caps on distinct
 * values, whatever the size of the file.
 */
import { DataError } from '../errors.js';
import { didYouMean } from '../util/suggest.js';
import { displayPath } from '../util/paths.js';
import { isMissing, parseNumber, type Cell } from './cell.js';
import { ColumnAccumulator, LABEL_CAP, type ColumnStats } from './column-stats.js';
import { Reservoir } from './reservoir.js';
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
  features: Float64Array;
  target: Cell[];
}

export interface TableScan {
  file: string;
  rows: number;
  featureNames: string[];
  targetNames: string[];
  features: ColumnStats[];
  targets: ColumnStats[];
  /**
   * For a single target column: each label and its count. Numeric labels are keyed by their value
   * (so "1" and "1.0" are one class), text labels by their text. Undefined past LABEL_CAP labels.
   */
  labelCounts: Map<string, number> | undefined;
  /** Whether some target cell is text that is not a number (a categorical target). */
  textLabels: boolean;
  /** Rows whose target cells are all 0 or 1, and rows among them with exactly one 1 (one-hot). */
  binaryTargetRows: number;
  oneHotRows: number;
  sample: SampledRow[];
}

export async function scanTable(file: string, spec: ScanSpec): Promise<TableScan> {
  const table = await openTable(file);
  const { featureNames, featureIndex, targetIndex } = selectColumns(file, table.header, spec);
  const targetNames = [...spec.target];
  const features = featureNames.map((name) => new ColumnAccumulator(name));
  const targets = targetNames.map((name) => new ColumnAccumulator(name));
  const reservoir = new Reservoir<SampledRow>(spec.sampleRows, spec.seed);
  let labelCounts: Map<string, number> | undefined = new Map();
  let textLabels = false;
  let binaryTargetRows = 0;
  let oneHotRows = 0;
  let rows = 0;
  const values = new Float64Array(featureNames.length);

  for await (const cells of table.rows) {
    for (let j = 0; j < featureIndex.length; j++) {
      const value = parseNumber(cells[featureIndex[j]!]);
      if (value === undefined) throw await notANumber(file, rows, featureNames[j]!, cells[featureIndex[j]!], 'feature');
      values[j] = value;
      features[j]!.add(value);
    }
    let binary = true;
    let ones = 0;
    for (let k = 0; k < targetIndex.length; k++) {
      const cell = cells[targetIndex[k]!];
      const value = parseNumber(cell);
      if (value === undefined && targetIndex.length > 1)
        throw await notANumber(file, rows, targetNames[k]!, cell, 'target');
      // Text labels have no numeric statistics; a missing label still counts as non-finite.
      if (value === undefined) textLabels = true;
      else targets[k]!.add(value);
      if (value === 1) ones++;
      else if (value !== 0) binary = false;
      if (labelCounts !== undefined && targetIndex.length === 1 && !isMissing(cell)) {
        const label = value === undefined ? String(cell).trim() : String(value);
        labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
        if (labelCounts.size > LABEL_CAP) labelCounts = undefined;
      }
    }
    if (binary) binaryTargetRows++;
    if (binary && ones === 1) oneHotRows++;
    reservoir.offer(() => ({ features: values.slice(), target: targetIndex.map((index) => cells[index]) }));
    rows++;
  }
  if (rows === 0) throw new DataError(`${displayPath(file)}: the file has a header but no data rows.`);
  if (textLabels && labelCounts === undefined) {
    throw new DataError(
      `${displayPath(file)}: target "${targetNames[0]}" has text values and more than ${LABEL_CAP} distinct labels. A classification target needs fewer classes; a regression target must be numeric.`,
    );
  }
  return {
    file,
    rows,
    featureNames,
    targetNames,
    features: features.map((column) => column.summary()),
    targets: targets.map((column) => column.summary()),
    labelCounts,
    textLabels,
    binaryTargetRows,
    oneHotRows,
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
