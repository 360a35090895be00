/**
 * Statistics of one column in a single streaming pass: count, mean and standard deviation
 * (Welford's algorithm, stable for large files), min, max, the count of missing and non-finite
 * values, and the distinct values up to a cap (enough to tell labels from measurements).
 */

/** Distinct values are tracked up to this many per column; past it only "more than" is known. */
const DISTINCT_CAP = 1000;
/** More distinct target labels than this is not a classification target convdoc can encode. */
export const LABEL_CAP = 1000;

export interface ColumnStats {
  name: string;
  /** Finite numeric values. */
  count: number;
  /** Empty, NaN or infinite values. */
  nonFinite: number;
  mean: number;
  /** Population standard deviation, as used for standardization. */
  std: number;
  min: number;
  max: number;
  /** Number of distinct finite values, at most DISTINCT_CAP (see distinctCapped). */
  distinct: number;
  distinctCapped: boolean;
  /** Whether every finite value is a whole number. */
  integer: boolean;
}

export class ColumnAccumulator {
  private count = 0;
  private nonFinite = 0;
  private mean = 0;
  private sumSquaredDeviations = 0;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private integer = true;
  private distinct: Set<number> | undefined = new Set();

  constructor(readonly name: string) {}

  add(value: number): void {
    if (!Number.isFinite(value)) {
      this.nonFinite++;
      return;
    }
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.sumSquaredDeviations += delta * (value - this.mean);
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    if (this.integer && !Number.isInteger(value)) this.integer = false;
    if (this.distinct !== undefined) {
      this.distinct.add(value);
      if (this.distinct.size > DISTINCT_CAP) this.distinct = undefined;
    }
  }

  /** The distinct finite values, sorted, when there are at most DISTINCT_CAP of them. */
  distinctValues(): number[] | undefined {
    return this.distinct && [...this.distinct].sort((a, b) => a - b);
  }

  summary(): ColumnStats {
    const empty = this.count === 0;
    return {
      name: this.name,
      count: this.count,
      nonFinite: this.nonFinite,
      mean: empty ? Number.NaN : this.mean,
      std: empty ? Number.NaN : Math.sqrt(this.sumSquaredDeviations / this.count),
      min: empty ? Number.NaN : this.min,
      max: empty ? Number.NaN : this.max,
      distinct: this.distinct?.size ?? DISTINCT_CAP,
      distinctCapped: this.distinct === undefined,
      integer: this.integer,
    };
  }
}
