/**
 * A probe whose loss diverged in its first steps (symptom `lr-too-high`): the first window after the
 * first update stands at TheDeepChecker's divergence, twice the loss before any update, and above
 * the chance level. lr-too-high's end-level rule starts from the median of the first steps, which a
 * loss thrown up by the first update fills (a loss of 1.6 at step 0 and 9-13 at steps 1 to 4 starts
 * it at 10), and a run that comes back down from there ends under twice that start: the rule sees
 * nothing. The loss before any update is the one point the rate has not touched yet. Warmup exists
 * for exactly this (Goyal et al. 2017, "Accurate, Large Minibatch SGD", §2.2: a large rate early in
 * training, when the network changes fast, is what diverges). A run that came back and learned
 * anyway (its last window under LEARNED_FRACTION_OF_CHANCE of the chance level, or under its start
 * when the chance level is unknown) lost only a stretch: no finding, as mechanism-severity.ts names
 * a mechanism only when the loss shows harm (AUTOTRAINER). One that has not learned by the end: a
 * warning, critical when the end stays past the critical factor. A probe only: a log's first point
 * is already the mean of a trained epoch.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import { median } from '../util/stats.js';
import { DIVERGENCE_CRITICAL, DIVERGENCE_RATIO, WINDOW_FRACTION } from './divergence-limits.js';
import { confidenceFromMargin, type Detection } from './finding.js';
import { finiteLossSteps, LEARNED_FRACTION_OF_CHANCE } from './signals.js';

export interface EarlyDivergence {
  /** The loss at step 0, before any update. */
  before: number;
  /** The median of the first window after the first update, its last index, and the last window's median. */
  level: number;
  windowEnd: number;
  end: number;
}

/**
 * The first window after the first update (WINDOW_FRACTION of the finite steps, lr-too-high's
 * smoothing: a level, not a passing batch) at DIVERGENCE_RATIO times the loss before any update and
 * above the chance level (a loss still under it has not unlearned anything), in a run that has not
 * learned by its last window; else null.
 */
export function earlyDivergence(trace: ProbeTrace): EarlyDivergence | null {
  const span = finiteLossSteps(trace);
  const window = Math.max(1, Math.round(span * WINDOW_FRACTION));
  if (span < 2 * window + 1) return null;
  const before = trace.loss[0]!;
  if (!(before > 0)) return null;
  const level = median(trace.loss.slice(1, 1 + window));
  const chance = trace.chanceLoss;
  if (!(level >= DIVERGENCE_RATIO * before) || (chance !== null && !(level > chance))) return null;
  const end = median(trace.loss.slice(span - window, span));
  const learned = chance !== null && chance > 0 ? end < LEARNED_FRACTION_OF_CHANCE * chance : end < before;
  return learned ? null : { before, level, windowEnd: window, end };
}

export function earlyDivergenceFinding(trace: ProbeTrace): Detection[] {
  const found = earlyDivergence(trace);
  if (found === null) return [];
  const { before, level, windowEnd, end } = found;
  const stepAt = (index: number) => trace.step[index] ?? index;
  const recovered = end < DIVERGENCE_RATIO * before;
  const rate = trace.learningRate.find(Number.isFinite);
  return [
    {
      severity: end >= DIVERGENCE_CRITICAL * before ? 'critical' : 'warning',
      confidence: confidenceFromMargin(level / before, DIVERGENCE_RATIO),
      step: stepAt(1),
      evidence: {
        measured: level / before,
        threshold: DIVERGENCE_RATIO,
        what: `median training loss of steps ${stepAt(1)}-${stepAt(windowEnd)} over the loss before any update`,
      },
      message:
        `The training loss diverged in the first steps: from ${formatNumber(before)} before any update, its median over steps ` +
        `${stepAt(1)}-${stepAt(windowEnd)} was ${formatNumber(level)} (${formatNumber(level / before)}x, past the ` +
        `${formatNumber(DIVERGENCE_RATIO)}x divergence limit), ` +
        (recovered
          ? `and it came back down only to ${formatNumber(end)} by the end${notLearned(trace.chanceLoss, end)}. `
          : `and it ends at ${formatNumber(end)}, still ${formatNumber(end / before)}x. `) +
        `${rate === undefined ? 'The learning rate' : `The learning rate (${formatNumber(rate)})`} is too high for the early steps: ` +
        'lower it (an LR range test finds one), warm it up and decay it.',
    },
  ];
}

/** Where a recovered run ends against the learned line, when the chance level is known. */
function notLearned(chance: number | null, end: number): string {
  return chance !== null && chance > 0
    ? `, ${formatNumber(end / chance)}x the chance-level loss ${formatNumber(chance)} ` +
        `(learned below ${formatNumber(LEARNED_FRACTION_OF_CHANCE)}x): the run has not learned`
    : ', no lower than where it started';
}
