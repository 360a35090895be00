/**
 * What a report says when the time budget cut the probe short (symptoms/short-probe.ts): how long the
 * whole probe would take at the speed measured, and three ways to get a probe that can be judged.
 */
import { MIN_STEPS_TO_JUDGE_DYNAMICS, shortProbeReason } from '../symptoms/short-probe.js';
import type { ProbeTrace } from '../trace/trace.js';

export interface CutShort {
  /** Why the dynamics checks were not judged. */
  reason: string;
  /** Seconds the planned steps would take at the speed of the steps that ran. */
  estimatedFullSeconds: number;
  /** Ways to a probe that can be judged, each a flag or key with its value. */
  advice: string[];
}

/** Room above the estimate: the speed of the first few steps (cold caches, compilation) is not exact. */
const BUDGET_MARGIN = 1.2;

export function cutShort(trace: ProbeTrace): CutShort | undefined {
  const reason = shortProbeReason(trace);
  if (reason === undefined) return undefined;
  const secondsPerStep = trace.seconds / Math.max(1, trace.stepsRun);
  const estimatedFullSeconds = secondsPerStep * trace.stepsPlanned;
  const advice = [
    `probe.maxSeconds: ${Math.ceil(estimatedFullSeconds * BUDGET_MARGIN)} (the whole probe at this speed)`,
    `--steps ${MIN_STEPS_TO_JUDGE_DYNAMICS} with probe.maxSeconds: ${Math.ceil(secondsPerStep * MIN_STEPS_TO_JUDGE_DYNAMICS * BUDGET_MARGIN)} (the shortest probe that can be judged)`,
    ...(trace.backend === 'tensorflow'
      ? []
      : ['--backend node (native TensorFlow from @tensorflow/tfjs-node, usually several times faster)']),
  ];
  return { reason, estimatedFullSeconds, advice };
}
