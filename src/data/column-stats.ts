/**
 * Statistics of one column in a single streaming pass: count, mean and standard deviation
 * (Welford's algorithm, stable for large files), min, max, the count of missing and non-finite
 * values, and the distinct values up to a cap (enough to tell labels from measurements).
 */

/** Distinct values are tracked up to this many per column; past it only "more than" is known. */
const DISTINCT_CAP = 1000;
/**
 * Distinct values are gathered unboxed in a typed buffer, sorted and deduplicated when it fills. A
 * Set per column boxes every float: with 150k columns (images as CSV) that was most of the scan's
 * time in allocation and garbage collection. The buffer starts small and grows to this size, 4x
 * the cap, so a compaction always frees at least three quarters of it.
 */
const INITIAL_BUFFER = 32;
const MAX_BUFFER = 4 * DISTINCT_CAP;
/**
 * Whole numbers from 0 to this (exclusive) are marked in a 32-byte bitmap instead of the buffer:
 * pixels and byte values, counts, small labels. Sorting the buffer was a quarter of the scan of a
 * 1000×784 CSV of pixels (~0.15 s CPU of `diagnose`, issue 14); the counts are the same.
 */
const SMALL_INTEGERS = 256;
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
  /** Values seen, undefined once there are more than DISTINCT_CAP distinct ones; see compactDistinct. */
  private seen: Float64Array | undefined = new Float64Array(INITIAL_BUFFER);
  private seenLength = 0;
  /** Which of the whole numbers 0..SMALL_INTEGERS-1 were seen (a bit each), and how many: they never enter `seen`. */
  private readonly smallSeen = new Uint32Array(SMALL_INTEGERS / 32);
  private smallDistinct = 0;

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
    const integer = Number.isInteger(value);
    if (!integer) this.integer = false;
    if (this.seen === undefined) return;
    // -0 is marked as 0, as the buffer's deduplication counts them as one value.
    if (integer && value >= 0 && value < SMALL_INTEGERS) this.markSmall(value);
    else {
      if (this.seenLength === this.seen.length) this.makeRoom();
      if (this.seen !== undefined) this.seen[this.seenLength++] = value;
    }
  }

  private markSmall(value: number): void {
    const word = value >>> 5;
    const bit = 1 << (value & 31);
    if ((this.smallSeen[word]! & bit) !== 0) return;
    this.smallSeen[word]! |= bit;
    this.smallDistinct++;
  }

  /** Sorts and deduplicates the buffer; past the cap, stops tracking; grows it while it stays more than half full. */
  private makeRoom(): void {
    this.compactDistinct();
    if (this.seen === undefined || this.seenLength * 2 <= this.seen.length || this.seen.length >= MAX_BUFFER) return;
    const grown = new Float64Array(Math.min(MAX_BUFFER, this.seen.length * 2));
    grown.set(this.seen.subarray(0, this.seenLength));
    this.seen = grown;
  }

  /** Leaves the buffer's distinct values sorted at its start; returns the count of all distinct values (capped). */
  private compactDistinct(): number {
    if (this.seen === undefined) return DISTINCT_CAP;
    const values = this.seen.subarray(0, this.seenLength).sort();
    let distinct = 0;
    for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== values[i - 1]) values[distinct++] = values[i]!;
    this.seenLength = distinct;
    const total = distinct + this.smallDistinct;
    if (total > DISTINCT_CAP) this.seen = undefined;
    return Math.min(total, DISTINCT_CAP);
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
      distinct: this.compactDistinct(),
      distinctCapped: this.seen === undefined,
      integer: this.integer,
    };
  }
}
