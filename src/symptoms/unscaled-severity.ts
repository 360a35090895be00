/**
 * How severe badly scaled data is, judged by what the probe measured. Efficient BackProp (LeCun et
 * al., 1998, §4.3) argues for standardized inputs as conditioning: uneven or large scales make the
 * loss surface ill-conditioned, so gradient descent crawls, oscillates or diverges. That is a claim
 * about speed and stability, so a run that trains without any of those symptoms shows the data was
 * not blocking it: benchmark programs "fixed" on StackOverflow often keep raw inputs and learn fine
 * (issue 11). The scale finding stays, as advice, and is critical only beside the harm it explains.
 */
import type { ProbeTrace } from '../trace/trace.js';
import type { Finding } from './finding.js';
import type { SymptomId } from './ids.js';
import { planEnd } from './projection.js';
import { LEARNED_FRACTION_OF_CHANCE } from './signals.js';

/** Training symptoms that badly scaled data produces on its own (Efficient BackProp §4.3). */
export const EXPLAINED_BY_SCALE: ReadonlySet<SymptomId> = new Set([
  'nan-loss',
  'exploding-gradients',
  'lr-too-high',
  'oscillating-loss',
  'saturated-activations',
  'dead-relu',
  'unstable-activations',
  'plateau',
  // An ill-conditioned loss surface slows every step (§4.3 again): the pace, not the rate, is off.
  'lr-too-low',
]);

const SCALE_SYMPTOMS: ReadonlySet<SymptomId> = new Set(['unscaled-inputs', 'unscaled-target']);

/**
 * The findings with each critical scale finding kept critical only when a training symptom it
 * explains is among them, critical or a warning (a loss that climbs 5x in a 30-step probe is harm
 * shown, though too short a run to call critical), and named in its message; else lowered to a
 * warning that says the run learned regardless. A warning counts only while the run has not
 * learned: beside a loss that ends (measured or projected, projection.ts) below the learned line of
 * the chance-level loss, a warning such as dead units in one layer did not block it. Only for
 * findings of a judged trace: without one (`convdoc inspect`, a probe its time budget cut short)
 * nothing shows the run learns, so the data's magnitude alone decides, as Efficient BackProp
 * predicts the harm.
 */
export function severityFromHarm(findings: readonly Finding[], trace: ProbeTrace): Finding[] {
  const learned = runLearned(trace);
  const harm = findings.filter(
    (finding) =>
      EXPLAINED_BY_SCALE.has(finding.symptom) &&
      (finding.severity === 'critical' || (finding.severity === 'warning' && !learned)),
  );
  return findings.map((finding) => {
    if (!SCALE_SYMPTOMS.has(finding.symptom) || finding.severity !== 'critical') return finding;
    if (harm.length > 0) {
      const shown = harm.map(({ symptom, severity }) =>
        severity === 'critical' ? symptom : `${symptom} (${severity})`,
      );
      return { ...finding, message: `${finding.message} The probe shows the harm: ${shown.join(', ')}.` };
    }
    return {
      ...finding,
      severity: 'warning',
      message:
        `${finding.message} Yet the probe learned without a training problem this would ` +
        'explain (a stalled or slow loss, divergence, saturated or dead units), so consider ' +
        'standardizing: it may still speed training up.',
    };
  });
}

/** The run's end (measured, else the central projection to its plan) lies below the learned line. */
export function runLearned(trace: ProbeTrace): boolean {
  const end = planEnd(trace);
  const chance = trace.chanceLoss;
  return end !== null && chance !== null && chance > 0 && end.loss < LEARNED_FRACTION_OF_CHANCE * chance;
}
