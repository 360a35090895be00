/**
 * Overfitting on a log read from its validation accuracy: Prechelt's criteria ("Early Stopping — But
 * When?", 1998) read E_va, the error on the validation set, which most logs give as a loss and a
 * classifier's log also as its misclassification rate, 1 - accuracy. That rate is judged by
 * overfitting-on-log.ts' whole-run readings, with the training loss they ask for. It catches the log that records no validation loss (bench log 542:
 * `train_loss`, `train_acc`, `val_acc`) and the short run whose validation loss is too noisy to
 * read while its accuracy fell (bench log 558: 9 epochs, the loss's rise no larger than its noise).
 *
 * A relative rise of an error rate near 100% accuracy is a few examples: 0.35% to 0.7% error
 * doubles it (bench log 108, healthy). So the accuracy itself must also have fallen by GL_5 of its
 * own best: the same 5% read from the other side, as Keras' EarlyStopping reads a `val_accuracy`
 * (mode 'max'). Over the 177 logs of sets 1-15 with a validation accuracy, the healthy ones whose
 * error rate passes GL_5 lost at most 2.0% of their best accuracy (388: 0.804 to 0.788).
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { earlyStop, overfittingOnLog } from './overfitting-on-log.js';
import { OVERFITTING_REMEDY } from './overfitting.js';
import { finitePoints } from './signals.js';
import {
  LOG_VALIDATION_RISE,
  SUSTAINED_EVALUATIONS,
  validationRise,
  type Evaluation,
  type ValidationRise,
} from './validation-rise.js';

/**
 * GL_5 read on the accuracy itself (Prechelt 1998, alpha = 5): the level the error-rate rule compares
 * stands 5% of the best accuracy below it. An accuracy is a quantity that improves upwards, as Keras'
 * EarlyStopping(mode='max') monitors one (keras.io, "EarlyStopping": in 'auto' mode the direction
 * is inferred from the name); measured margin over sets 1-15: healthy logs at most 2.0%.
 */
const ACCURACY_FALL = 0.05;

export const overfittingOnAccuracy = defineDetector({
  id: 'overfitting',
  description:
    'On a log: the validation accuracy fell well below its best, its error rate risen by GL_5, while the training loss kept falling.',
  fixes: [],
  needs: ['loss'],
  remedy: OVERFITTING_REMEDY,
  detect({ trace, origin = 'probe', stepUnit = 'step', lossCurve = 'training' }: DynamicsInput): Detection[] {
    const accuracy = trace.valMetric;
    if (origin !== 'log' || lossCurve !== 'training' || accuracy?.name !== 'accuracy') return [];
    const errors = accuracy.values.map((value) => 1 - value);
    const points = finitePoints(trace.evalStep, errors);
    const measured = validationRise(points);
    if (measured === null || !(measured.best.loss < 1)) return [];
    const fall = (measured.level - measured.best.loss) / (1 - measured.best.loss);
    if (!(fall >= ACCURACY_FALL)) return [];
    if (lossDisagrees(finitePoints(trace.evalStep, trace.valLoss))) return [];
    const [onLog] = overfittingOnLog({ ...trace, valLoss: errors }, stepUnit, OVERFITTING_REMEDY);
    if (onLog === undefined) return [];
    const smoothed = SMOOTHED_BEST.has(measured.criterion);
    return [
      {
        ...onLog,
        evidence: { ...onLog.evidence, what: `read on the validation error rate 1 - accuracy: ${onLog.evidence.what}` },
        message: accuracyWords(points, { ...measured, smoothed }, fall, stepUnit),
      },
    ];
  },
});

/**
 * A validation loss logged beside the accuracy that does not end GL_5 above its lowest: the loss
 * says the model still generalizes as well as it ever did (bench log 336: the loss at its best at
 * the last evaluation while a noisy accuracy fell), so the accuracy's fall is not read as overfitting.
 */
function lossDisagrees(losses: readonly Evaluation[]): boolean {
  if (losses.length === 0) return false;
  const lowest = Math.min(...losses.map((point) => point.loss));
  return !(losses.at(-1)!.loss >= LOG_VALIDATION_RISE * lowest);
}

/** The readings of validation-rise.ts whose best is a running median of three, not one evaluation. */
const SMOOTHED_BEST: ReadonlySet<ValidationRise['criterion']> = new Set(['sustained', 'mean', 'trend']);

function accuracyWords(
  points: readonly Evaluation[],
  { best, level, smoothed }: { best: Evaluation; level: number; smoothed: boolean },
  fall: number,
  unit: 'step' | 'epoch',
): string {
  const last = points.at(-1)!;
  const stop = earlyStop(points, SUSTAINED_EVALUATIONS);
  return (
    `The validation accuracy was best at ${formatNumber(1 - best.loss)}${smoothed ? ' (median of three)' : ''} at ${unit} ${best.step} and fell to ${formatNumber(1 - level)} ` +
    `(${formatNumber(fall * 100)}% of its best lost, the error rate 1 - accuracy ${formatNumber(((level - best.loss) / best.loss) * 100)}% above its best; limit ${formatNumber(ACCURACY_FALL * 100)}% of each), ` +
    `ending at ${formatNumber(1 - last.loss)} at ${unit} ${last.step}, while the training loss did not rise with it: the model is overfitting. ` +
    `Early stopping on val_accuracy (mode 'max') with patience ${SUSTAINED_EVALUATIONS} would have stopped at ${unit} ${stop.stoppedAt} and kept the weights of ${unit} ${stop.kept} (restore_best_weights).`
  );
}
