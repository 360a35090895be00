/**
 * Where a training loss counts as diverged: shared by lr-too-high.ts (the level a run ends at),
 * loss-blow-up.ts (a logged blow-up that never recovers) and nan-loss.ts (a rise before the NaN).
 */

/**
 * TheDeepChecker calls a loss diverging when it reaches twice its minimum. A probe's per-step loss
 * is one mini-batch (Boston with SGD jumps 4x from batch to batch), so the loss is smoothed first:
 * medians of windows of a tenth of the probe (30 steps of 300), and it is the level the loss ends at
 * (the last window) that must be twice the running minimum, not a passing window: a loss that comes
 * back down is oscillating-loss's finding. Runs that stop at a NaN after a few steps have windows
 * of one step, where the rise is orders of magnitude and noise does not matter.
 */
export const DIVERGENCE_RATIO = 2;
/** Ten times its minimum, or a NaN after the rise: the run is lost, critical. */
export const DIVERGENCE_CRITICAL = 10;
/** The smoothing window, as a fraction of the steps with a finite loss (at least one step). */
export const WINDOW_FRACTION = 0.1;
