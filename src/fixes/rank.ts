/**
 * Turns findings into an ordered list of fixes, each with the symptoms it answers. Order follows
 * how directly a fix removes the root cause: a data problem that explains a training symptom
 * (unscaled inputs explain exploding gradients and NaN) ranks its fix first, and a config bug
 * that makes the run unlearnable sends the user to the config edit, not to any fix.
 */
import type { FixCode } from './code/code-context.js';
import type { Finding } from '../symptoms/finding.js';
import type { FixId, Severity, SymptomId } from '../symptoms/ids.js';
import { EXPLAINED_BY_SCALE } from '../symptoms/unscaled-severity.js';
import type { FixTable } from './fix-table.js';
import { FIXES } from './registry.js';

export interface RecommendedFix {
  fix: FixId;
  rank: number;
  because: SymptomId[];
  /** What the fix would change in this run's config, when the command knows the config. */
  change?: string;
  /** The fix as code, for each framework asked for (`--code`). */
  code?: FixCode[];
}

/**
 * Root causes and the symptoms they explain. Data scale first; then a gradient explosion, which by
 * itself makes the loss jump or overflow and kills ReLUs with one huge step; a learning rate too
 * high, whose overshooting steps kill ReLUs the same way and throw the weights far enough to
 * saturate the units after them or grow their outputs without bound; then vanishing gradients,
 * which leave the loss stuck.
 */
const ROOT_CAUSES: Readonly<Partial<Record<SymptomId, ReadonlySet<SymptomId>>>> = {
  'unscaled-inputs': EXPLAINED_BY_SCALE,
  'unscaled-target': EXPLAINED_BY_SCALE,
  'exploding-gradients': new Set(['nan-loss', 'lr-too-high', 'dead-relu', 'oscillating-loss']),
  // Units killed by a step larger than their weights (dead-relu's "large updates killed them").
  'lr-too-high': new Set(['dead-relu', 'saturated-activations', 'unstable-activations']),
  'vanishing-gradients': new Set(['plateau']),
};

/** Causes that act on the network only through the updates they make or distort. */
const UPDATE_DRIVEN: ReadonlySet<SymptomId> = new Set(['exploding-gradients', 'lr-too-high']);
/**
 * States of the forward pass: a finding's step is where the state was first seen, made by the
 * updates before that step (a probe's step 0 is read before its first update).
 */
const FORWARD_STATES: ReadonlySet<SymptomId> = new Set(['dead-relu', 'saturated-activations', 'unstable-activations']);

/**
 * A cause precedes its effects: a state first seen no later than the step of an update-driven cause
 * was there before that cause could act on it (ReLUs dead at step 0, before the first update, are not
 * the learning rate's doing: issue 11 point 5), unless the state's own detector saw the updates make
 * it: dead-relu lists lr-schedule first exactly when units alive before a large update died after
 * it (dead-relu.ts, killedByUpdates), which its first-seen step, when most were dead already, hides.
 * Findings without a step (data, config) always precede.
 */
function precedes(cause: Finding, effect: Finding): boolean {
  if (!UPDATE_DRIVEN.has(cause.symptom) || !FORWARD_STATES.has(effect.symptom)) return true;
  if (cause.step === undefined || effect.step === undefined || effect.step > cause.step) return true;
  return effect.fixes[0] === 'lr-schedule';
}

const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 3, warning: 2, info: 1 };
/** What an explained symptom still adds to its own fixes: it may persist once the cause is gone. */
const EXPLAINED_WEIGHT = 0.25;

/**
 * Each finding votes for its fixes, weighted by severity × confidence and halved for each place
 * down its own list; a symptom explained by a present root cause gives its vote to the cause's fix.
 * Ties go to the fix earlier in the registry.
 */
export function rankFixes(findings: readonly Finding[], table: FixTable = FIXES): RecommendedFix[] {
  const scores = new Map<FixId, { score: number; because: Set<SymptomId> }>();
  const vote = (fix: FixId, score: number, symptom: SymptomId) => {
    const entry = scores.get(fix) ?? { score: 0, because: new Set<SymptomId>() };
    entry.score += score;
    entry.because.add(symptom);
    scores.set(fix, entry);
  };
  // A config bug that stops learning comes first: docs/report.md leaves recommendedFixes empty then, and
  // the finding's edit says what to change. The other findings keep their own fixes for afterwards.
  if (findings.some((finding) => finding.symptom.startsWith('config-') && finding.severity === 'critical')) return [];
  for (const finding of findings) {
    const weight = SEVERITY_WEIGHT[finding.severity] * finding.confidence;
    const cause = rootCause(finding, findings);
    if (cause !== undefined) vote(cause.fixes[0]!, weight, finding.symptom);
    const own = cause === undefined ? weight : weight * EXPLAINED_WEIGHT;
    finding.fixes.forEach((fix, position) => vote(fix, own / 2 ** position, finding.symptom));
  }
  return [...scores]
    .sort(([fixA, a], [fixB, b]) => b.score - a.score || table.priority.indexOf(fixA) - table.priority.indexOf(fixB))
    .map(([fix, entry], index) => ({ fix, rank: index + 1, because: [...entry.because] }));
}

/** Whether another present finding explains this one (reports list causes before what they explain). */
export function isExplained(finding: Finding, findings: readonly Finding[]): boolean {
  return rootCause(finding, findings) !== undefined;
}

/**
 * The deepest present cause of a finding: an explaining finding with fixes, followed up while
 * another present finding explains that one (NaN ← exploding gradients ← unscaled inputs), so the
 * answer does not depend on the order of the findings.
 */
function rootCause(finding: Finding, findings: readonly Finding[]): Finding | undefined {
  const explainerOf = (effect: Finding, seen: ReadonlySet<SymptomId>) =>
    findings.find(
      (other) =>
        !seen.has(other.symptom) &&
        ROOT_CAUSES[other.symptom]?.has(effect.symptom) &&
        other.fixes.length > 0 &&
        precedes(other, effect),
    );
  const seen = new Set<SymptomId>([finding.symptom]);
  let cause = explainerOf(finding, seen);
  for (let deeper = cause; deeper !== undefined; deeper = explainerOf(deeper, seen)) {
    cause = deeper;
    seen.add(deeper.symptom);
  }
  return cause;
}
