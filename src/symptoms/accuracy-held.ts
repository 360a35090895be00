/**
 * Whether a logged classifier's validation accuracy held at a validation loss jump (thresholds for
 * logs), for loss-spikes.ts. Weights thrown off by too large a step get examples wrong that they got
 * right: the accuracy falls with the loss. A loss that jumps while the accuracy at that evaluation is
 * at or above its level before is a change in the confidence of the answers, not in the answers, and
 * near the floor a cross-entropy is a mean over the few hardest examples, which one example's
 * confidence moves many times (log 559, post hoc: a validation loss of 1.5e-4 at epoch 1 beside an
 * accuracy of 1.0, then 1e-4 to 2e-2 for 15 epochs, the accuracy at 0.9985-1.0 and at or above the
 * evaluations before at each jump). The level is the one the loss is judged against: the median of
 * the same evaluations before the jump. No chance level is assumed: a classifier of rare classes
 * guesses the class shares at a cross-entropy far under ln 2 (their entropy, 0.056 nats at 1%
 * positives), and its jumps there are instability when its accuracy falls with them.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { median } from '../util/stats.js';

/**
 * A judge for the jump at `index` of the evaluations `kept` (evaluation indices, in order, that carry
 * a validation loss): true when the log's validation accuracy at it is at or above the median of the
 * `window` evaluations before it. False when the log has no validation accuracy there, so the jump is
 * judged on the loss alone.
 */
export function accuracyHeldAt(trace: ProbeTrace, kept: readonly number[], window: number): (index: number) => boolean {
  const accuracy = trace.valMetric?.name === 'accuracy' ? trace.valMetric.values : [];
  const values = kept.map((evaluation) => accuracy[evaluation] ?? Number.NaN);
  return (index) => {
    const before = values.slice(Math.max(0, index - window), index).filter(Number.isFinite);
    const at = values[index]!;
    return Number.isFinite(at) && before.length > 0 && at >= median(before);
  };
}
