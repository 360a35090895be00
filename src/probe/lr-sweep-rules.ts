/**
 * The rules a learning-rate range sweep runs by, shared by the sweep (lr-sweep.ts, which runs them
 * live) and its analysis (src/trials/lr-range.ts, which replays them): the rates of each step, the
 * burn-in, the smoothing and the stop. Pure; the sources of each constant are in lr-range.ts' file
 * comment.
 */

/** fastai `Learner.lr_find` defaults: start_lr=1e-7, end_lr=10, num_it=100 (fastai/callback/schedule.py). */
export const LR_SWEEP_DEFAULTS = { minLr: 1e-7, maxLr: 10, steps: 100 } as const;

/**
 * Smoothing factor of the exponential moving average of the loss, with bias correction
 * (avg = beta·avg + (1-beta)·loss; smoothed = avg / (1 - beta^(n+1))): fastai's AvgSmoothLoss and
 * Lightning's _LRCallback both use beta = 0.98.
 */
export const SMOOTHING_BETA = 0.98;

/** Stop once the smoothed loss exceeds this multiple of the best smoothed loss: fastai LRFinder.after_batch and Lightning's early_stop_threshold, both 4. */
export const DIVERGENCE_FACTOR = 4;

/**
 * The first 10% of the sweep is burn-in: fastai suggests from recorder.lrs[num_it//10:-5], and
 * Lightning's suggestion(skip_begin=10) skips 10 of its 100 points. Here it is also where the
 * moving average restarts (see the file comment).
 */
export const BURN_IN_FRACTION = 0.1;

/** Steps of burn-in for a sweep of `steps` planned steps (at least 1, so the first, unsmoothed, point never counts). */
export function burnInSteps(steps: number): number {
  return Math.max(1, Math.floor(steps * BURN_IN_FRACTION));
}

/** The learning rate of each step: min·(max/min)^(i/(steps-1)), so the first step is at min and the last at max. */
export function sweepLearningRates(minLr: number, maxLr: number, steps: number): number[] {
  if (steps === 1) return [minLr];
  return Array.from({ length: steps }, (_, step) => minLr * (maxLr / minLr) ** (step / (steps - 1)));
}

/** The bias-corrected exponential moving average, restartable. */
function createSmoother(beta = SMOOTHING_BETA) {
  let average = 0;
  let count = 0;
  return {
    next(value: number): number {
      average = beta * average + (1 - beta) * value;
      count++;
      return average / (1 - beta ** count);
    },
  };
}

export type SweepStop = 'non-finite' | 'diverged';

/**
 * The stop rule, fed one raw loss per step: a non-finite loss stops at once; after the burn-in,
 * a smoothed loss above DIVERGENCE_FACTOR × the best smoothed loss (both since the burn-in) stops
 * too. The sweep runs it live; the analysis replays it, so both cut the curve at the same step.
 */
export function createDivergenceMonitor(burnIn: number) {
  const burnInSmoother = createSmoother();
  const windowSmoother = createSmoother();
  let best = Number.POSITIVE_INFINITY;
  let step = 0;
  return {
    /** Returns the smoothed loss of this step and why the sweep must stop here, if it must. */
    observe(loss: number): { smoothed: number; stop: SweepStop | null } {
      const inWindow = step++ >= burnIn;
      if (!Number.isFinite(loss)) return { smoothed: Number.NaN, stop: 'non-finite' };
      const smoothed = (inWindow ? windowSmoother : burnInSmoother).next(loss);
      if (!inWindow) return { smoothed, stop: null };
      best = Math.min(best, smoothed);
      // Written so that a loss that can go negative (cosine proximity) stops only when it rises.
      return { smoothed, stop: exceeds(smoothed, best, DIVERGENCE_FACTOR) ? 'diverged' : null };
    },
  };
}

/** `value > factor × reference` for a positive reference, and a rise of (factor - 1)·|reference| for any. */
export function exceeds(value: number, reference: number, factor: number): boolean {
  return value - reference > (factor - 1) * Math.abs(reference);
}
