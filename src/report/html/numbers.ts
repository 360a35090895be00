/** Report numbers for the page: JSON turns a diverged run's NaN and Infinity into null, which must not print as "null". */
import { formatNumber, formatPercent } from '../../util/format.js';
import { isFiniteNumber } from './axis-scale.js';

export function formatFinite(value: number | null | undefined, otherwise = 'not finite'): string {
  return isFiniteNumber(value) ? formatNumber(value) : otherwise;
}

export function formatFinitePercent(value: number | null | undefined, otherwise = 'not finite'): string {
  return isFiniteNumber(value) ? formatPercent(value) : otherwise;
}
