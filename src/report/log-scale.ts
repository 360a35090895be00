/**
 * When a loss axis turns logarithmic, alike in every plot (the HTML axes, the LR-range plot in the
 * terminal, the sparkline): its values are positive and span more than two decades (shared/issue 6).
 */
const LOG_SCALE_RATIO = 100;

export function needsLogScale(low: number, high: number): boolean {
  return low > 0 && high / low > LOG_SCALE_RATIO;
}
