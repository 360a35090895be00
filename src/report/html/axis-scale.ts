/**
 * Axis scales: a domain that maps values to [0, 1] and the ticks to label it with. Linear ticks
 * step by 1, 2 or 5 × 10^k; log ticks sit on powers of ten. A log scale draws only positive values.
 */
import { formatNumber } from '../../util/format.js';
import { needsLogScale } from '../log-scale.js';
import { quantile } from '../../util/stats.js';

type ScaleKind = 'linear' | 'log';

/** A tick label: plain text, or a power of ten drawn as 10 with a superscript. */
export type TickLabel = { text: string } | { power: number };

interface Tick {
  value: number;
  label: TickLabel;
}

export interface Scale {
  kind: ScaleKind;
  /** Where a value sits along the axis, 0 at the domain's start and 1 at its end. */
  fraction(value: number): number;
  /** Whether a value can be drawn on this axis (finite, and positive on a log axis). */
  drawable(value: number | null): value is number;
  ticks: Tick[];
  /** The value where the axis ends (fraction 1): a log axis ends on a whole decade, past its data. */
  top: number;
}

/** Whether any finite value lies above the axis' end, so its line leaves through the top. */
export function leavesTop(scale: Scale, values: Iterable<number | null>): boolean {
  return [...values].some((value) => isFiniteNumber(value) && value > scale.top);
}

const LINEAR_TICKS = 5;
const MAX_LOG_TICKS = 7;
const LOG_STRIDES = [1, 2, 3, 5, 10, 20, 25, 50, 100];

/**
 * The scale a loss axis needs: logarithmic when its finite values are positive and span more than
 * two decades. Values above `ceiling` do not stretch the axis: it ends at the ceiling and lines
 * leave through the top, so a blow-up to 1e30 does not flatten the curves being compared.
 */
export function lossScale(
  values: Iterable<number | null>,
  ceiling = Number.POSITIVE_INFINITY,
  ticks = LINEAR_TICKS,
): Scale {
  const finite = [...values].filter(isFiniteNumber);
  const shown = finite.filter((value) => value <= ceiling);
  if (shown.length < finite.length) shown.push(ceiling);
  const range = extent(shown);
  return range !== null && needsLogScale(range.low, range.high) ? logScale(shown) : linearScale(shown, 0, ticks);
}

/** About this many linear ticks for a short panel under a plot: more would stack its labels. */
export const PANEL_TICKS = 3;

/** An axis of steps or epochs: whole numbers, so a 3-step run gets no tick at 0.5. */
export function stepScale(values: Iterable<number | null>): Scale {
  return linearScale(values, 1);
}

/** Room above the readable curves' highest loss before a loss axis ends and higher curves leave through the top. */
const HEADROOM = 1.5;

/**
 * Where a loss axis fitted to some curves ends: a little above the `share` quantile of their finite
 * values (1: the highest), so that below 1 a few spikes leave through the top instead of stretching
 * a log axis by decades; null without a finite value.
 */
export function fittedCeiling(values: Iterable<number | null>, share = 1): number | null {
  const top = quantile([...values].filter(isFiniteNumber), share);
  return Number.isNaN(top) ? null : HEADROOM * top;
}

function linearScale(values: Iterable<number | null>, minStep = 0, tickCount = LINEAR_TICKS): Scale {
  let { low, high } = extent([...values].filter(isFiniteNumber)) ?? { low: 0, high: 1 };
  if (low === high) {
    const pad = low === 0 ? 1 : Math.abs(low) * 0.1;
    low -= pad;
    high += pad;
  }
  const step = Math.max(minStep, niceStep((high - low) / tickCount));
  const start = Math.floor(low / step) * step;
  const end = Math.ceil(high / step) * step;
  const ticks: Tick[] = [];
  for (let index = 0; start + index * step <= end + step / 2; index++) {
    // toPrecision drops the float noise of repeated steps (0.30000000000000004).
    const value = Number((start + index * step).toPrecision(12));
    ticks.push({ value, label: { text: formatNumber(value) } });
  }
  return {
    kind: 'linear',
    fraction: (value) => (value - start) / (end - start),
    drawable: isFiniteNumber,
    ticks,
    top: end,
  };
}

export function logScale(values: Iterable<number | null>): Scale {
  const range = extent(
    [...values].filter((value): value is number => isFiniteNumber(value) && value > 0).map(Math.log10),
  );
  const low = range === null ? 0 : Math.floor(range.low);
  const high = range === null ? 1 : Math.max(low + 1, Math.ceil(range.high));
  // Ticks on every decade, or on every 2nd, 5th, 10th... (multiples of it) when the axis spans too many to label.
  const stride =
    LOG_STRIDES.find((candidate) => (high - low) / candidate <= MAX_LOG_TICKS - 1) ??
    Math.ceil((high - low) / (MAX_LOG_TICKS - 1));
  const ticks: Tick[] = [];
  for (let power = Math.ceil(low / stride) * stride; power <= high; power += stride)
    ticks.push({ value: 10 ** power, label: logTickLabel(power) });
  return {
    kind: 'log',
    fraction: (value) => (Math.log10(value) - low) / (high - low),
    drawable: (value): value is number => isFiniteNumber(value) && value > 0,
    ticks,
    top: 10 ** high,
  };
}

/** 0.01 to 1000 read best as plain numbers; beyond them, 10 with a superscript. */
function logTickLabel(power: number): TickLabel {
  return power >= -2 && power <= 3 ? { text: formatNumber(10 ** power) } : { power };
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const normalized = rough / magnitude;
  return (normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10) * magnitude;
}

/**
 * The least and greatest value, or null for none; a loop, as Math.min(...values) overflows the
 * stack on long series.
 */
function extent(values: readonly number[]): { low: number; high: number } | null {
  if (values.length === 0) return null;
  let low = values[0]!;
  let high = values[0]!;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return { low, high };
}

/** Reports come from JSON, where a diverged run's numbers are null: every plotted value passes this. */
export function isFiniteNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}
