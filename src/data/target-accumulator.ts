/**
 * What a scan learns about the target columns, one row at a time: numeric statistics per column,
 * the label counts of a single column, whether labels are text, and how many rows are 0/1 and
 * one-hot. Tables and NumPy arrays feed it alike.
 */
import { DataError } from '../errors.js';
import { displayPath } from '../util/paths.js';
import { isMissing, parseNumber, type Cell } from './cell.js';
import { ColumnAccumulator, LABEL_CAP, type ColumnStats } from './column-stats.js';

export interface TargetSummary {
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
}

export class TargetAccumulator {
  private readonly columns: ColumnAccumulator[];
  private labelCounts: Map<string, number> | undefined = new Map();
  private textLabels = false;
  private binaryTargetRows = 0;
  private oneHotRows = 0;

  constructor(private readonly names: readonly string[]) {
    this.columns = names.map((name) => new ColumnAccumulator(name));
  }

  /**
   * Adds one row's target cells. Returns the index of a cell that is not a number when there are
   * several target columns (which must all be numeric), for the caller to report; else -1.
   */
  add(cells: readonly Cell[]): number {
    let binary = true;
    let ones = 0;
    for (let k = 0; k < cells.length; k++) {
      const cell = cells[k];
      const value = parseNumber(cell);
      if (value === undefined && cells.length > 1) return k;
      // Text labels have no numeric statistics; a missing label still counts as non-finite.
      if (value === undefined) this.textLabels = true;
      else this.columns[k]!.add(value);
      if (value === 1) ones++;
      else if (value !== 0) binary = false;
      if (this.labelCounts !== undefined && cells.length === 1 && !isMissing(cell)) {
        const label = value === undefined ? String(cell).trim() : String(value);
        this.labelCounts.set(label, (this.labelCounts.get(label) ?? 0) + 1);
        if (this.labelCounts.size > LABEL_CAP) this.labelCounts = undefined;
      }
    }
    if (binary) this.binaryTargetRows++;
    if (binary && ones === 1) this.oneHotRows++;
    return -1;
  }

  /** The summary; refuses a text target with more labels than convdoc can encode. */
  finish(file: string): TargetSummary {
    if (this.textLabels && this.labelCounts === undefined) {
      throw new DataError(
        `${displayPath(file)}: target "${this.names[0]}" has text values and more than ${LABEL_CAP} distinct labels. A classification target needs fewer classes; a regression target must be numeric.`,
      );
    }
    return {
      targets: this.columns.map((column) => column.summary()),
      labelCounts: this.labelCounts,
      textLabels: this.textLabels,
      binaryTargetRows: this.binaryTargetRows,
      oneHotRows: this.oneHotRows,
    };
  }
}

/**
 * The sample size that keeps the sampled features under MAX_SAMPLE_BYTES: 10,000 rows of 224x224x3
 * images would be 6 GB of float32. 512 MB still holds ~890 such images, more than a probe of 300
 * steps of 32 reads from distinct rows in its first epochs.
 */
const MAX_SAMPLE_BYTES = 512 * 2 ** 20;

export function sampleCapacity(sampleRows: number, valuesPerRow: number): number {
  return Math.max(1, Math.min(sampleRows, Math.floor(MAX_SAMPLE_BYTES / (4 * valuesPerRow))));
}
