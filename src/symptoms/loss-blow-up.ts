/**
 * A blow-up that never recovers (symptom `lr-too-high`, thresholds for logs): one logged loss jumps
 * far above its recent level, and the run ends well above the level it had before. lr-too-high's
 * end-level rule smooths a logged run in windows of a tenth of it, where a blow-up of two or three
 * points disappears into the median; this reading keeps the step where it happened. A spike the
 * run comes back from is loss-spikes.ts's finding, a warning. A jump where the logged learning rate
 * restarts its schedule (schedule-restart.ts) is the new cycle's, not a blow-up (log 410, post hoc:
 * seven warm-up-and-decay cycles in one file, the loss jumping at each restart from a rate of 0).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { median } from '../util/stats.js';
import { confidenceFromMargin, type Detection } from './finding.js';
import { DIVERGENCE_CRITICAL, DIVERGENCE_RATIO, WINDOW_FRACTION } from './divergence-limits.js';
import { finiteLossSteps } from './signals.js';
import { scheduleRestartsWithin } from './schedule-restart.js';
import { SPIKE_WINDOW, spikeAt } from './spike-test.js';

interface BlowUp {
  index: number;
  /** The peak within SPIKE_WINDOW points of the first spiking loss, over the level before. */
  factor: number;
  /** The level before the blow-up and the level the run ends at (median of its last tenth). */
  level: number;
  end: number;
}

/**
 * The first spike of at least DIVERGENCE_CRITICAL times its recent level after which the run ends
 * at DIVERGENCE_RATIO times that level or more (TheDeepChecker's divergence: twice the minimum), and
 * the logged rate did not restart its schedule within the SPIKE_WINDOW points before it.
 */
function unrecoveredBlowUp(trace: ProbeTrace): BlowUp | null {
  const losses = trace.loss.slice(0, finiteLossSteps(trace));
  const tail = Math.max(SPIKE_WINDOW, Math.round(losses.length * WINDOW_FRACTION));
  const end = median(losses.slice(-tail));
  for (let index = SPIKE_WINDOW; index < losses.length - tail; index++) {
    const spike = spikeAt(losses, index);
    if (spike === null || spike.factor < DIVERGENCE_CRITICAL) continue;
    if (scheduleRestartsWithin(trace, index - SPIKE_WINDOW, index)) continue;
    // The blow-up's size is its peak, which may come a few points after its first spiking loss.
    const peak = Math.max(...losses.slice(index, index + SPIKE_WINDOW));
    if (end >= DIVERGENCE_RATIO * spike.level) return { index, factor: peak / spike.level, level: spike.level, end };
  }
  return null;
}

/** The critical finding for a logged run that blew up and never came back; null when it did not. */
export function blowUpFinding(trace: ProbeTrace, stepUnit: string): Detection | null {
  const blowUp = unrecoveredBlowUp(trace);
  if (blowUp === null) return null;
  const { index, factor, level, end } = blowUp;
  const step = trace.step[index]!;
  return {
    severity: 'critical',
    confidence: confidenceFromMargin(end / level, DIVERGENCE_RATIO),
    step,
    evidence: {
      measured: end / level,
      threshold: DIVERGENCE_RATIO,
      what: `training loss at the end (median of its last tenth) over its level before the blow-up at ${stepUnit} ${step}`,
    },
    message:
      `The training loss blew up from ${stepUnit} ${step}, to ${formatNumber(factor)}x its level before (${formatNumber(level)}) ` +
      `and never came back: it ends at ${formatNumber(end)}, ${formatNumber(end / level)}x that level (divergence from ${formatNumber(DIVERGENCE_RATIO)}x). ` +
      'The run lost what it had learned. Lower the learning rate (an LR range test finds one) and decay it, and clip the gradient norm.',
  };
}
