/**
 * A probe that its time budget cut short before it ran enough steps is no evidence about training
 * dynamics: a loss that did not fall in 2 steps says nothing. Its dynamics checks are not judged
 * but listed, with the reason, and the report says what would let them run (issue 14).
 */
import type { ProbeTrace } from '../trace/trace.js';
import { MIN_STEPS as LR_TOO_LOW_MIN_STEPS } from './lr-too-low.js';
import { MIN_STEPS as OSCILLATING_MIN_STEPS } from './oscillating-loss.js';

/**
 * Fewer steps than this, when the time budget (not the plan) ended the probe, are not judged: the
 * longest window a dynamics check reads (lr-too-low and oscillating-loss need 50 steps). A probe
 * that runs every planned step is judged however short, each check applying its own minimum.
 */
export const MIN_STEPS_TO_JUDGE_DYNAMICS = Math.max(LR_TOO_LOW_MIN_STEPS, OSCILLATING_MIN_STEPS);

/** Why this trace's dynamics cannot be judged, or undefined when they can. */
export function shortProbeReason(trace: Pick<ProbeTrace, 'stoppedEarly' | 'stepsRun' | 'stepsPlanned'>) {
  const { stoppedEarly, stepsRun, stepsPlanned } = trace;
  if (stoppedEarly !== 'time-budget' || stepsRun >= Math.min(MIN_STEPS_TO_JUDGE_DYNAMICS, stepsPlanned)) return;
  return (
    `the time budget (probe.maxSeconds) ended the probe after ${stepsRun} of ${stepsPlanned} steps; ` +
    `training dynamics need at least ${Math.min(MIN_STEPS_TO_JUDGE_DYNAMICS, stepsPlanned)}`
  );
}
