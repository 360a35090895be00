/** Numbers as people read them in messages: three significant digits, exponents only when needed. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-3) return value.toExponential(2).replace(/\.?0+e/, 'e');
  return String(Number(value.toPrecision(3)));
}

/** "3 columns" / "1 column". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** The verb form that agrees with a count: `agree(1, 'holds', 'hold')` is "holds". */
export function agree(count: number, singular: string, pluralForm: string): string {
  return count === 1 ? singular : pluralForm;
}

/** A fraction as a percentage with three significant digits ("12.5%"); non-finite values as they are. */
export function formatPercent(fraction: number): string {
  return Number.isFinite(fraction) ? `${formatNumber(fraction * 100)}%` : String(fraction);
}

/**
 * A number from a report, where JSON turned a diverged run's NaN and Infinity into null:
 * `otherwise` for those, never "null".
 */
export function formatFinite(value: number | null | undefined, otherwise = 'not finite'): string {
  return typeof value === 'number' && Number.isFinite(value) ? formatNumber(value) : otherwise;
}

export function formatFinitePercent(value: number | null | undefined, otherwise = 'not finite'): string {
  return typeof value === 'number' && Number.isFinite(value) ? formatPercent(value) : otherwise;
}

/** A relative fall of the loss in words: `fell 12%` for 0.12, `rose 5%` for -0.05. */
export function formatLossChange(progress: number): string {
  return progress >= 0 ? `fell ${formatNumber(progress * 100)}%` : `rose ${formatNumber(-progress * 100)}%`;
}

/** A config value as YAML flow style shows it: `null`, `1.0`, `{type: cosine, decaySteps: 1300}`. */
export function formatFlowValue(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, entry]) => entry !== undefined)
      .map(([name, entry]) => `${name}: ${formatFlowValue(entry)}`)
      .join(', ')}}`;
  }
  // Objects and null are handled above: config values left are strings, numbers and booleans.
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A rate as people write it: two significant digits (3.2e-3, 0.032). */
export function formatRate(rate: number): string {
  return rate < 1e-3 ? rate.toExponential(1).replace('.0e', 'e') : String(Number(rate.toPrecision(2)));
}

/** A fraction as a whole percentage ("30%"), for thresholds and rough gains. */
export function formatWholePercent(fraction: number): string {
  return `${Math.round(fraction * 100)}%`;
}
