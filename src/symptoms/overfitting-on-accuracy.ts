/**
 * Overfitting on a log read from its validation accuracy: Prechelt's criteria ("Early Stopping — But
 * When?", 1998) read E_va, the error on the validation set, which most logs give as a loss and a
 * classifier's log also as its misclassification rate, 1 - accuracy. That rate is judged by
 * overfitting-on-error.ts (overfitting-on-log.ts' whole-run readings, with the training loss they
 * ask for). It catches the log that records no validation loss (bench log 542:
 * `train_loss`, `train_acc`, `val_acc`) and the short run whose validation loss is too noisy to
 * read while its accuracy fell (bench log 558: 9 epochs, the loss's rise no larger than its noise).
 *
 * A relative rise of an error rate near 100% accuracy is a few examples: 0.35% to 0.7% error
 * doubles it (bench log 108, healthy). So the accuracy itself must also have fallen by GL_5 of its
 * own best: the same 5% read from the other side, as Keras' EarlyStopping reads a `val_accuracy`
 * (mode 'max'). Over the 177 logs of sets 1-15 with a validation accuracy, the healthy ones whose
 * error rate passes GL_5 lost at most 2.0% of their best accuracy (388: 0.804 to 0.788).
 */
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { fractionScale, overfittingOnError } from './overfitting-on-error.js';
import { OVERFITTING_REMEDY } from './overfitting.js';

export const overfittingOnAccuracy = defineDetector({
  id: 'overfitting',
  description:
    'On a log: the validation accuracy fell well below its best, its error rate risen by GL_5, while the training loss kept falling.',
  fixes: [],
  needs: ['loss', 'val_accuracy'],
  remedy: OVERFITTING_REMEDY,
  detect({ trace, origin = 'probe', stepUnit = 'step', lossCurve = 'training' }: DynamicsInput): Detection[] {
    const accuracy = trace.valMetric;
    if (origin !== 'log' || lossCurve !== 'training' || accuracy?.name !== 'accuracy') return [];
    return overfittingOnError(
      trace,
      { steps: trace.evalStep, values: accuracy.values },
      fractionScale('accuracy'),
      stepUnit,
    );
  },
});
