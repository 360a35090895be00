/**
 * How finely a log prints its numbers, read from the numbers themselves: a logger that rounds (the
 * HuggingFace Trainer logs `round(loss, 4)`) cannot show a change smaller than its last digit, and
 * two printed values one digit apart may stand for the same loss. The frozen-run and spike checks
 * judge a change only where the printing could show it.
 */

/**
 * The place of the last digit a number is printed with, as JavaScript's shortest round-trip form
 * writes it: 0.0001 → 1e-4, 0.6931 → 1e-4, a float32 printed in full (0.08987312763929367) → 1e-17.
 * A log's finest value tells how it was written (rounded to 4 decimals, or in full).
 */
function printedResolution(value: number): number {
  if (value === 0 || !Number.isFinite(value)) return Number.POSITIVE_INFINITY;
  const [mantissa, exponent] = Math.abs(value).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '').length;
  return 10 ** (Number(exponent) - digits + 1);
}

/** The finest last digit among `values`: the step the log prints them with (Infinity for none or all zero). */
export function seriesResolution(values: readonly number[]): number {
  let finest = Number.POSITIVE_INFINITY;
  for (const value of values) finest = Math.min(finest, printedResolution(value));
  return finest;
}

/**
 * Whether `value` is at least `factor` times `level` whatever the numbers were before rounding:
 * each printed value stands for any loss within half its last digit, so the lowest `value` may
 * have been must still be `factor` times the highest `level` may have been. With 4 decimals, 0.0002
 * over a level of 0.0001 may be 0.00015 over 0.00015: no jump at all.
 */
export function exceedsWhenRounded(value: number, level: number, factor: number, resolution: number): boolean {
  const half = Number.isFinite(resolution) ? resolution / 2 : 0;
  return value - half >= factor * (level + half);
}
