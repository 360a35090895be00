import { formatLossChange, formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import type { ProbeTrace } from '../trace/trace.js';
import { median, quantile } from '../util/stats.js';
import { firstNonFinite, PROGRESS_PER_WINDOW, reversalFraction, windowMedians } from './signals.js';

/**
 * The swing: the spread between the 10th and 90th percentiles of the windowed loss over the
 * second half, relative to the larger of its median and the chance-level loss, must reach 0.3.
 * TheDeepChecker and SageMaker Debugger flag losses that do not decrease; neither bounds the swing,
 * so the limit comes from the probes: healthy SGD and Adam runs on Boston and Iris swing by at most
 * 0.1 of this scale, a network stuck at a constant prediction by 0.16, SGD at 5x Iris' usable rate
 * by 0.46. Relative to the chance level as well as the median, because a converged cross-entropy of
 * 0.01 doubles on one hard batch: large relative to itself, nothing relative to what it learned.
 */
export const AMPLITUDE_LIMIT = 0.3;
/**
 * Up and down, not a trend: the fraction of window-to-window moves that reverse direction. A
 * monotone loss has 0, independent noise about 2/3, a zigzag 1. AUTOTRAINER's oscillating-loss
 * judge (Zhang et al., ICSE 2021; `ol_judge` in AutoTrainer/utils/monitor.py) pairs the curve's
 * local maxima with its minima and calls it unstable when the pairs that swing by at least zeta
 * number eta = 0.2 of its points (the `params` of AutoTrainer/demo_test.py): each pair is two
 * turns, so turns at 0.4 of the points, a reversal in 40% of moves.
 */
export const REVERSAL_LIMIT = 0.4;
/** TheDeepChecker: a loss that falls by 5% or more (first to last third of the half) is still learning. */
export const MIN_PROGRESS = PROGRESS_PER_WINDOW;
/** The loss is smoothed by medians of windows of 1/30 of the probe (10 steps of 300): 15 windows in the half judged. */
export const WINDOWS_PER_PROBE = 30;
/** The part judged: the second half, after the first rapid descent. */
export const JUDGED_FROM = 0.5;
/** Fewer steps than this cannot separate oscillation from mini-batch noise. */
export const MIN_STEPS = 50;
/** Few reversals (slow swings or a single jump) are less clearly an oscillation. */
const FEW_REVERSALS = 0.5;
const FEW_REVERSALS_FACTOR = 0.8;

export const oscillatingLoss = defineDetector({
  id: 'oscillating-loss',
  description:
    'The loss swings up and down by a large amount without making progress: ' +
    'the optimizer keeps overshooting the valley it is in, ' +
    'typically because the learning rate is too high to settle.',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace }: DynamicsInput) {
    // A loss that overflows is nan-loss's and lr-too-high's finding, whatever it did before.
    if (firstNonFinite(trace.loss) >= 0 || trace.stoppedEarly === 'nan-loss' || trace.loss.length < MIN_STEPS)
      return [];
    const swings = measureSwings(trace);
    if (swings === null) return [];
    const { amplitude, reversals, progress } = swings;
    if (!(amplitude >= AMPLITUDE_LIMIT && reversals >= REVERSAL_LIMIT && progress < MIN_PROGRESS)) return [];
    return [oscillationFinding(trace, swings)];
  },
});

/** The loss's window medians from JUDGED_FROM on: their spread, reversals and net progress. */
interface Swings {
  window: number;
  from: number;
  low: number;
  high: number;
  level: number;
  scale: number;
  hasChance: boolean;
  amplitude: number;
  reversals: number;
  progress: number;
}

function measureSwings(trace: ProbeTrace): Swings | null {
  const window = Math.max(1, Math.round(trace.loss.length / WINDOWS_PER_PROBE));
  const from = Math.floor(trace.loss.length * JUDGED_FROM);
  const levels = windowMedians(trace.loss.slice(from), window);
  if (levels.length < 6) return null;

  const reversals = reversalFraction(levels);
  const low = quantile(levels, 0.1);
  const high = quantile(levels, 0.9);
  const level = median(levels);
  const chance = trace.chanceLoss;
  const hasChance = chance !== null && chance > 0;
  const scale = Math.max(level, hasChance ? chance : median(trace.loss.slice(0, window)));
  const amplitude = (high - low) / scale;
  const third = Math.max(1, Math.floor(levels.length / 3));
  const early = median(levels.slice(0, third));
  const late = median(levels.slice(-third));
  const progress = (early - late) / early;
  if (!(scale > 0) || !(early > 0)) return null;
  return { window, from, low, high, level, scale, hasChance, amplitude, reversals, progress };
}

function oscillationFinding(trace: ProbeTrace, swings: Swings): Detection {
  const { window, from, low, high, level, scale, hasChance, amplitude, reversals, progress } = swings;
  const scaleText =
    scale === level
      ? `its median level ${formatNumber(level)}`
      : `the ${hasChance ? 'chance-level' : 'starting'} loss ${formatNumber(scale)} (above its median ` +
        `level ${formatNumber(level)})`;
  const firstStep = trace.step[from] ?? from;
  const lastStep = trace.step.at(-1) ?? trace.loss.length - 1;
  const confidence =
    confidenceFromMargin(amplitude, AMPLITUDE_LIMIT) * (reversals < FEW_REVERSALS ? FEW_REVERSALS_FACTOR : 1);
  return {
    severity: 'warning',
    confidence: Math.round(confidence * 100) / 100,
    step: firstStep,
    evidence: {
      measured: amplitude,
      threshold: AMPLITUDE_LIMIT,
      what:
        'spread (10th to 90th percentile) ' +
        `of ${window}-step loss medians over steps ${firstStep}-${lastStep}, ` +
        'relative to the larger of their median and the chance-level loss',
    },
    message:
      `The training loss oscillates from step ${firstStep} to ${lastStep}: ` +
      `its ${window}-step medians swing between ${formatNumber(low)} and ${formatNumber(high)}, ` +
      `${formatNumber(amplitude)} of ${scaleText} (limit ${formatNumber(AMPLITUDE_LIMIT)}), ` +
      `reverse direction in ${formatNumber(reversals * 100)}% of moves ` +
      `(limit ${formatNumber(REVERSAL_LIMIT * 100)}%) ` +
      `and make no net progress (${formatLossChange(progress)} from the first to the last third; ` +
      `limit ${formatNumber(MIN_PROGRESS * 100)}%)` +
      `${reversals < FEW_REVERSALS ? '. Less certain: few reversals, slow swings or a single jump' : ''}. ` +
      'The learning rate is too high for the optimizer to settle: lower and decay it, or search for one.',
  };
}
