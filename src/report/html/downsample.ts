/**
 * Long series made small enough for a page: split where a value cannot be drawn (the line breaks
 * there), then thinned to a budget of points by keeping each bucket's lowest and highest value, so
 * spikes survive the thinning (a plain stride would drop them).
 */
export interface Point {
  x: number;
  y: number;
}

/** Consecutive drawable points; a point that fails `drawable` ends a run. */
export function drawableRuns(
  x: readonly number[],
  y: readonly (number | null)[],
  drawable: (x: number, y: number | null) => boolean,
): Point[][] {
  const runs: Point[][] = [];
  let run: Point[] = [];
  for (let index = 0; index < Math.min(x.length, y.length); index++) {
    const value = y[index]!;
    if (drawable(x[index]!, value)) run.push({ x: x[index]!, y: value });
    else if (run.length > 0) {
      runs.push(run);
      run = [];
    }
  }
  if (run.length > 0) runs.push(run);
  return runs;
}

/** At most about `maxPoints` points over all runs, shared out by run length. */
export function downsampleRuns(runs: readonly Point[][], maxPoints: number): Point[][] {
  const total = runs.reduce((sum, run) => sum + run.length, 0);
  if (total <= maxPoints) return runs.map((run) => [...run]);
  return runs.map((run) => downsampleMinMax(run, Math.max(2, Math.floor((maxPoints * run.length) / total))));
}

/** The first and last point, and the minimum and maximum of each bucket in their order. */
export function downsampleMinMax(run: readonly Point[], maxPoints: number): Point[] {
  if (run.length <= maxPoints) return [...run];
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / 2));
  const kept = new Set<number>([0, run.length - 1]);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const from = Math.floor((bucket * run.length) / buckets);
    const to = Math.floor(((bucket + 1) * run.length) / buckets);
    let lowest = from;
    let highest = from;
    for (let index = from + 1; index < to; index++) {
      if (run[index]!.y < run[lowest]!.y) lowest = index;
      if (run[index]!.y > run[highest]!.y) highest = index;
    }
    kept.add(lowest).add(highest);
  }
  return [...kept].sort((a, b) => a - b).map((index) => run[index]!);
}
