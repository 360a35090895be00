/**
 * The scalars of an event-file run as they are read, column by column: a million records kept as
 * a million small objects cost more in garbage collection than decoding them, while five arrays
 * of numbers and shared name strings cost none.
 */
export class ScalarColumns {
  /** The scalar's name (tagName's), one shared string per tag. */
  readonly names: string[] = [];
  /** 1-based count of records read, for the rows' `line`. */
  readonly records: number[] = [];
  readonly steps: number[] = [];
  readonly wallTimes: number[] = [];
  readonly values: number[] = [];

  get length(): number {
    return this.names.length;
  }

  push(name: string, record: number, step: number, wallTime: number, value: number): void {
    this.names.push(name);
    this.records.push(record);
    this.steps.push(step);
    this.wallTimes.push(wallTime);
    this.values.push(value);
  }

  /** Copies scalar `index` of `from` to the end. */
  pushFrom(from: ScalarColumns, index: number): void {
    this.push(
      from.names[index]!,
      from.records[index]!,
      from.steps[index]!,
      from.wallTimes[index]!,
      from.values[index]!,
    );
  }
}

/** The runs' scalars in wall-time order, each run's own order kept (a stable merge). */
export function mergeByWallTime(runs: readonly ScalarColumns[]): ScalarColumns {
  if (runs.length === 1) return runs[0]!;
  const merged = new ScalarColumns();
  const next = runs.map(() => 0);
  for (;;) {
    let best = -1;
    for (const [index, run] of runs.entries()) {
      if (next[index]! >= run.length) continue;
      if (best < 0 || run.wallTimes[next[index]!]! < runs[best]!.wallTimes[next[best]!]!) best = index;
    }
    if (best < 0) return merged;
    merged.pushFrom(runs[best]!, next[best]!);
    next[best]! += 1;
  }
}
