/**
 * How severe a state of the units or gradients is, judged by what the loss shows. Saturated or dead
 * units, vanishing gradients and drifting activation scales are mechanisms: they matter because
 * they stop gradient descent from lowering the loss, and many working programs carry some (sigmoid
 * layers partly saturated, a share of ReLUs dead) and learn. AUTOTRAINER (Zhang et al., ICSE 2021)
 * reports dying ReLUs, exploding or vanishing gradients only once the training metric shows the
 * harm: its `IssueMonitor.determine` names them only when the run does not converge (accuracy below
 * its target) or its accuracy stops changing. So, like badly scaled data (unscaled-severity.ts),
 * such a finding is critical only beside that harm; else it stays, as a warning with its fixes.
 */
import type { ProbeTrace } from '../trace/trace.js';
import type { Finding } from './finding.js';
import type { SymptomId } from './ids.js';
import { formatNumber } from '../util/format.js';
import { describePlanEnd, planEnd } from './projection.js';
import { LEARNED_FRACTION_OF_CHANCE } from './signals.js';
import { runLearned } from './unscaled-severity.js';

/** Findings about the units' or gradients' state, whose harm is what it does to the loss. */
export const MECHANISM_SYMPTOMS: ReadonlySet<SymptomId> = new Set([
  'saturated-activations',
  'dead-relu',
  'unstable-activations',
  'vanishing-gradients',
]);

/** Findings on the loss itself: a critical one beside a mechanism is the harm it can explain. */
const LOSS_SYMPTOMS: ReadonlySet<SymptomId> = new Set([
  'nan-loss',
  'lr-too-high',
  'oscillating-loss',
  'lr-too-low',
  'plateau',
]);

/**
 * The findings with each critical mechanism finding kept critical while the run has not learned
 * (its loss ends, measured or projected to the plan's end, above the learned line of the chance
 * level: runLearned) or a critical loss finding stands beside it; else lowered to a warning that
 * says where the loss ends. Only for findings of a judged trace, as severityFromHarm.
 */
export function mechanismSeverity(findings: readonly Finding[], trace: ProbeTrace): Finding[] {
  const lossHarm = findings.some((finding) => LOSS_SYMPTOMS.has(finding.symptom) && finding.severity === 'critical');
  if (lossHarm || !runLearned(trace)) return [...findings];
  const end = planEnd(trace)!;
  return findings.map((finding) =>
    MECHANISM_SYMPTOMS.has(finding.symptom) && finding.severity === 'critical'
      ? {
          ...finding,
          severity: 'warning',
          message:
            `${finding.message} Yet the loss shows no harm from it, and no loss symptom stands beside it: ` +
            `${describePlanEnd(end, trace.chanceLoss)} The run learns (below ${formatNumber(LEARNED_FRACTION_OF_CHANCE)}x), ` +
            'so this is a warning: its fixes may still speed training up.',
        }
      : finding,
  );
}
