/**
 * A short logged run that sat at chance from its first point to its last (symptom `plateau`,
 * thresholds for logs), for not-learning.ts. Its whole-run rule waits for MIN_EPOCHS (10) epochs
 * to tell a stall from a slow start among runs that ended up to a fifth below ln C. A run that never
 * moved at all needs no such wait: when every logged loss of the judged series (validation, else
 * training) stays within a window's progress (TheDeepChecker's 5%) of a first value that is itself
 * ln C within 5%, the run ended where a model that predicts nothing begins, however few epochs it
 * logged. It is what Karpathy's initialization check ("A Recipe for Training Neural Networks",
 * 2019: -log(1/C) at the start) reads at the end: the loss of uniform guessing, never left.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
import { finitePoints, PROGRESS_PER_WINDOW } from './signals.js';

/** For logs: as many points as stuck-at-chance.ts reads accuracies from, so that one evaluation does not decide. */
const MIN_POINTS = 3;

interface ChanceLevel {
  /** The chance-level loss: ln C, or the user's --chance-loss. */
  loss: number;
  /** Where it comes from, for the message. */
  said: string;
}

/** The finding when the judged series never left `chance` over the whole run; null otherwise. */
export function shortRunAtChance(trace: ProbeTrace, chance: ChanceLevel, stepUnit: string): Detection | null {
  const validation = finitePoints(trace.evalStep, trace.valLoss);
  const [series, points] =
    validation.length >= MIN_POINTS ? ['validation', validation] : ['training', finitePoints(trace.step, trace.loss)];
  if (points.length < MIN_POINTS || !(chance.loss > 0)) return null;
  const first = points[0]!.loss;
  const lowest = Math.min(...points.map((point) => point.loss));
  const highest = Math.max(...points.map((point) => point.loss));
  const startsAtChance = Math.abs(first - chance.loss) <= PROGRESS_PER_WINDOW * chance.loss;
  const fell = (first - lowest) / first;
  if (!startsAtChance || fell >= PROGRESS_PER_WINDOW) return null;
  return {
    severity: 'critical',
    confidence: 0.7,
    step: points[0]!.step,
    evidence: {
      measured: fell,
      threshold: PROGRESS_PER_WINDOW,
      what: `largest fraction the ${series} loss ever fell below its first value, which is ${formatNumber(first / chance.loss)}x the chance-level loss`,
    },
    message:
      `The ${series} loss began at ${formatNumber(first)}, within ${formatNumber(PROGRESS_PER_WINDOW * 100)}% of ${chance.said} = ${formatNumber(chance.loss)} (the loss of a model that predicts nothing), ` +
      `and stayed between ${formatNumber(lowest)} and ${formatNumber(highest)} at all ${points.length} ${series === 'validation' ? 'evaluations' : 'logged points'} ` +
      `(${stepUnit} ${points[0]!.step} to ${points.at(-1)!.step}; never ${formatNumber(PROGRESS_PER_WINDOW * 100)}% below where it began): too few epochs to wait for a slow start, but it never left chance. ` +
      'Check that labels match inputs and that inputs are scaled, then the learning rate.',
  };
}
