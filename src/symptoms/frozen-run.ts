/**
 * A frozen run (symptom `plateau`, thresholds for logs): the logged loss does not move at all, to
 * the last printed digit, over the run's last points. Nothing is being learned: the gradients are
 * zero (dead units, a detached graph, a learning rate of 0) or the weights are not updated (an
 * optimizer that does not step). The plateau detector judges a loss that moves too little against
 * the chance level; a loss that does not move at all needs no chance level to be called stuck.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector } from './finding.js';

/**
 * For logs: consecutive losses closer than this, relative to the loss, count as identical. Loggers
 * print float32 losses to 7 significant digits (float32 resolves about 6e-8 relative), so 1e-6 is
 * "the same number as printed", well below any real progress per epoch.
 */
const FROZEN_RELATIVE_CHANGE = 1e-6;
/** For logs: the points that must be identical at the end of the run: two equal neighbours may be chance. */
export const FROZEN_MIN_POINTS = 3;

export const frozenRun = defineDetector({
  id: 'plateau',
  description:
    'The loss of a logged run does not change at all over its last points: the weights are not being updated (zero gradients, a learning rate of 0, or an optimizer that does not step).',
  fixes: ['lr-schedule', 'search'],
  needs: ['loss'],
  detect({ trace, origin = 'probe', stepUnit = 'step' }: DynamicsInput) {
    if (origin !== 'log') return [];
    const losses = trace.loss;
    let frozen = 1;
    for (let index = losses.length - 1; index > 0; index--) {
      const [value, before] = [losses[index]!, losses[index - 1]!];
      if (!Number.isFinite(value) || !(Math.abs(value - before) <= FROZEN_RELATIVE_CHANGE * Math.abs(before))) break;
      frozen++;
    }
    if (frozen < FROZEN_MIN_POINTS) return [];
    const from = trace.step[losses.length - frozen]!;
    return [
      {
        severity: 'critical',
        confidence: Math.min(1, frozen / (2 * FROZEN_MIN_POINTS)),
        step: from,
        evidence: {
          measured: frozen,
          threshold: FROZEN_MIN_POINTS,
          what: `consecutive logged losses that differ by less than ${FROZEN_RELATIVE_CHANGE} (relative)`,
        },
        message:
          `The loss is ${formatNumber(losses.at(-1)!)} at each of the last ${frozen} logged points (from ${stepUnit} ${from} to ${trace.step.at(-1)!}): the run is frozen, nothing is being learned. ` +
          'Check that the optimizer steps and its learning rate is not 0, that gradients reach the weights (no detached tensors, no dead units), and that the loss depends on the model output.',
      },
    ];
  },
});
