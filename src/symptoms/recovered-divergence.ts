/**
 * A divergence the run came back from (symptom `lr-too-high`, thresholds for logs): for a stretch of
 * the run every logged training loss stood at TheDeepChecker's divergence, twice the running minimum
 * of its level (medians of windows of a tenth, lr-too-high's smoothing), and above where the run
 * started, and by the end the level is back under twice that minimum. A warmup that climbs to too
 * high a rate and a decay that later brings it down leave this shape: the
 * run survives, but the stretch is lost (a spike many logged points long, which loss-spikes.ts'
 * one-point test, judged against the ten points before it, cannot see). lr-too-high's end-level rule
 * only reads divergences that last to the end; loss-blow-up.ts reads the ones that never recover.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { confidenceFromMargin, type Detection } from './finding.js';
import { DIVERGENCE_RATIO, WINDOW_FRACTION } from './divergence-limits.js';
import { learningRateEffect } from './lr-too-high.js';
import { finiteLossSteps, windowMedians } from './signals.js';

/**
 * For logs: the diverged stretch lasts this many windows in a row (a fifth of the run), as
 * lr-too-high's end-level rule asks for a level, not a passing window: a window of a short log holds
 * three or four losses (log 14's batch losses span 0.002-0.57), so one window is not yet a stretch.
 */
const DIVERGED_WINDOWS = 2;
/** For logs: a start, a diverged stretch and an end. */
const MIN_WINDOWS = DIVERGED_WINDOWS + 2;

interface Excursion {
  /** Index of the first loss of the first diverged window, of the window with the running minimum, and of the peak's. */
  from: number;
  minimumIndex: number;
  peakIndex: number;
  minimum: number;
  peak: number;
  /** The last window's level. */
  end: number;
  window: number;
}

/**
 * The first stretch of DIVERGED_WINDOWS windows, before the last, in which every logged loss stood at
 * DIVERGENCE_RATIO times the running minimum of the window levels before it and above the level the
 * run started from (the first window's; the chance-level loss when known): the run unlearned all it
 * had learned, and no loss of the stretch came back. Mini-batch noise leaves some losses of any
 * stretch low, near a loss's floor (a loss at a hundredth of its start doubles on a few hard batches)
 * as on a noisy plateau. Null unless the last window is back under DIVERGENCE_RATIO times that minimum.
 */
function excursion(losses: readonly number[], chanceLoss: number | null): Excursion | null {
  const window = Math.max(1, Math.round(losses.length * WINDOW_FRACTION));
  const levels = windowMedians(losses, window);
  if (levels.length < MIN_WINDOWS) return null;
  const untrained = chanceLoss !== null && chanceLoss > 0 ? chanceLoss : levels[0]!;
  let minimumWindow = 0;
  for (let k = 1; k < levels.length - DIVERGED_WINDOWS; k++) {
    const minimum = levels[minimumWindow]!;
    const stretch = losses.slice(k * window, (k + DIVERGED_WINDOWS) * window);
    if (stretch.every((loss) => loss >= DIVERGENCE_RATIO * minimum && loss > untrained)) {
      const end = levels.at(-1)!;
      if (!(end < DIVERGENCE_RATIO * minimum)) return null;
      const peakWindow = levels.reduce(
        (best, level, j) => (j < levels.length - 1 && level > levels[best]! ? j : best),
        k,
      );
      return {
        from: k * window,
        minimumIndex: minimumWindow * window,
        peakIndex: peakWindow * window,
        minimum,
        peak: levels[peakWindow]!,
        end,
        window,
      };
    }
    if (levels[k]! < minimum) minimumWindow = k;
  }
  return null;
}

/** The warning for a logged run whose training loss diverged for a stretch and came back; null when it did not. */
export function recoveredDivergenceFinding(trace: ProbeTrace, stepUnit: string): Detection | null {
  const losses = trace.loss.slice(0, finiteLossSteps(trace));
  if (!(losses.length > 0) || !losses.every((loss) => loss > 0)) return null;
  const found = excursion(losses, trace.chanceLoss);
  if (found === null) return null;
  const { from, minimumIndex, peakIndex, minimum, peak, end, window } = found;
  const at = (index: number) => `${stepUnit} ${trace.step[index] ?? index}`;
  return {
    severity: 'warning',
    confidence: confidenceFromMargin(peak / minimum, DIVERGENCE_RATIO),
    step: trace.step[from] ?? from,
    evidence: {
      measured: peak / minimum,
      threshold: DIVERGENCE_RATIO,
      what: `highest ${window}-point median of the training loss over its running minimum before it`,
    },
    message:
      `The training loss diverged for a stretch and recovered: its ${window}-point medians rose from ${formatNumber(minimum)} (${at(minimumIndex)}) ` +
      `past ${formatNumber(DIVERGENCE_RATIO)}x that from ${at(from)}, to ${formatNumber(peak)} (${formatNumber(peak / minimum)}x, ${at(peakIndex)}), ` +
      `and the run ends at ${formatNumber(end)}. ${learningRateEffect(trace, minimumIndex, from)}` +
      'The learning rate was too high for that stretch, and its progress was lost: lower the peak rate or lengthen the warmup, and clip the gradient norm.',
  };
}
