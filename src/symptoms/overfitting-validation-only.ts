/**
 * Overfitting on a log that holds only a validation loss (a Lightning run that logs `val_loss`
 * alone, Keras' `validation` TensorBoard writer): the trace's loss is that validation loss
 * (log-trace.ts), and overfitting-on-log.ts, which compares it with a training loss, has nothing
 * to compare. Prechelt's criteria ("Early Stopping — But When?", 1998) read the validation loss
 * alone, so the two readings of validation-rise.ts that ask nothing of the training loss judge it:
 * GL_5 held at each of the last three evaluations (`sustained`) and UP_3 (`rising`), each above the
 * evaluation-to-evaluation noise and, on a long run, in the means of its tenths. The readings that
 * ask for a falling training loss (`worst`, `mean`, `trend`) and the mild rise under GL_5
 * (validation-mild-rise.ts) are not used: without that loss nothing backs them.
 *
 * Critical like overfitting-on-log.ts: the run ends with a model worse on held-out data than one
 * it had, which early stopping with restore_best_weights would have kept. The message says that
 * the training loss was not logged, so a divergence that raised both losses is not ruled out.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { confidenceFromMargin, defineDetector, type Detection } from './finding.js';
import { beyondNoise, earlyStop, evidenceWhat, riseWords } from './overfitting-on-log.js';
import { OVERFITTING_REMEDY } from './overfitting.js';
import { finitePoints } from './signals.js';
import { LOG_VALIDATION_RISE, SUSTAINED_EVALUATIONS, validationRise, type ValidationRise } from './validation-rise.js';

/** The readings of validation-rise.ts that read the validation loss alone (Prechelt's GL_5 and UP_3). */
const VALIDATION_ALONE: ReadonlySet<ValidationRise['criterion']> = new Set(['sustained', 'rising']);

export const overfittingValidationOnly = defineDetector({
  id: 'overfitting',
  description:
    'On a log with only a validation loss: the validation loss rose well above its best and stayed there, as when a model overfits.',
  fixes: [],
  needs: ['loss'],
  remedy: OVERFITTING_REMEDY,
  detect({ trace, origin = 'probe', stepUnit = 'step', lossCurve = 'training' }: DynamicsInput): Detection[] {
    if (origin !== 'log' || lossCurve !== 'validation') return [];
    const points = finitePoints(trace.step, trace.loss);
    const measured = validationRise(points);
    if (measured === null || !VALIDATION_ALONE.has(measured.criterion)) return [];
    const last = points.at(-1)!;
    const stop = earlyStop(points, SUSTAINED_EVALUATIONS);
    return [
      {
        severity: 'critical',
        confidence: confidenceFromMargin(measured.rise, LOG_VALIDATION_RISE),
        step: measured.best.step,
        evidence: { measured: measured.rise, threshold: LOG_VALIDATION_RISE, what: evidenceWhat(measured) },
        message:
          `Only a validation loss was logged. ${riseWords(measured, stepUnit)} (to ${stepUnit} ${last.step}, ${formatNumber(last.loss)}; limit ${formatNumber((LOG_VALIDATION_RISE - 1) * 100)}%, ${beyondNoise(measured)}): ` +
          'the model is overfitting, if its training loss kept falling; the training loss was not logged, so a divergence that raised both losses is not ruled out (log a `loss` or `train_loss` to tell them apart). ' +
          `Early stopping with patience ${SUSTAINED_EVALUATIONS} would have stopped at ${stepUnit} ${stop.stoppedAt} and kept the loss of ${stepUnit} ${stop.kept} (restore_best_weights).`,
        advice: OVERFITTING_REMEDY,
      },
    ];
  },
});
