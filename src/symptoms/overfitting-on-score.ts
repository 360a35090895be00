/**
 * Overfitting on a log read from a held-out score that improves upwards (trace.valScore: f1, auc,
 * iou/miou, dice, ssim, psnr; log-keys.ts HELD_OUT_SCORES), by the rule of
 * overfitting-on-accuracy.ts on the score's error (overfitting-on-error.ts): a restoration or
 * segmentation run logs its PSNR, SSIM or mIoU where a classifier logs its accuracy (bench log 568:
 * `VAL step N: PSNR 27.52  SSIM 0.743`, no validation loss). A log that holds a validation accuracy
 * is judged on it (overfitting-on-accuracy.ts), not a second time on a score.
 *
 * A score in [0, 1] is read as 1 - score and guarded as an accuracy is (ACCURACY_FALL of its best
 * lost). A PSNR in dB is -10 log10 of the MSE over MAX² (MAX the signal's peak, fixed for a run), so
 * 10^(-psnr/10) is the MSE in units of MAX²: a loss itself, continuous, not a count of a few
 * examples as an error rate near 100% is, so it is judged by Prechelt's GL_5 on it alone, which
 * validationRise applies (a fall of 10 log10(1.05) = 0.21 dB): no guard of its own. A score outside [0, 1] that is not a PSNR (an F1 in
 * percent) is not judged: its scale is not known.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { fractionScale, overfittingOnError, type ScoreScale } from './overfitting-on-error.js';
import { OVERFITTING_REMEDY } from './overfitting.js';
import { LOG_VALIDATION_RISE } from './validation-rise.js';

/**
 * The MSE ratio's rise above its best that GL_5 reads as a loss of the score. No guard of its own:
 * every reading of validationRise already requires its level LOG_VALIDATION_RISE times its best,
 * so this limit restates that one (an accuracy's error rate needs one more, ACCURACY_FALL).
 */
const PSNR_MSE_RISE = LOG_VALIDATION_RISE - 1;

/** PSNR = 10 log10(MAX² / MSE): its MSE in units of MAX² (Wang et al. 2004, "Image Quality Assessment: From Error Visibility to Structural Similarity", eq. 1's MSE). */
const PSNR_SCALE: ScoreScale = {
  name: 'psnr',
  errorName: 'the MSE ratio 10^(-psnr/10)',
  error: (psnr) => 10 ** (-psnr / 10),
  score: (error) => -10 * Math.log10(error),
  lost: (best, level) => (level - best) / best,
  limit: PSNR_MSE_RISE,
  lostWords: (lost) =>
    `the MSE ratio 10^(-psnr/10) ${formatNumber(lost * 100)}% above its best; limit ${formatNumber(PSNR_MSE_RISE * 100)}%, GL_5`,
};

/** How the score named `name` is read as an error; null when its values are not on a scale it knows. */
export function scoreScale(name: string, values: readonly number[]): ScoreScale | null {
  if (name === 'psnr') return PSNR_SCALE;
  return values.every((value) => !Number.isFinite(value) || (value >= 0 && value <= 1)) ? fractionScale(name) : null;
}

export const overfittingOnScore = defineDetector({
  id: 'overfitting',
  description:
    'On a log: a validation score that improves upwards (F1, AUC, IoU, Dice, SSIM, PSNR) fell well below its best, its error risen by GL_5, while the training loss kept falling.',
  fixes: [],
  needs: ['loss', 'val_<score>'],
  remedy: OVERFITTING_REMEDY,
  detect({ trace, origin = 'probe', stepUnit = 'step', lossCurve = 'training' }: DynamicsInput): Detection[] {
    const score = trace.valScore;
    if (origin !== 'log' || lossCurve !== 'training' || score == null) return [];
    if (trace.valMetric?.name === 'accuracy') return [];
    const scale = scoreScale(score.name, score.values);
    if (scale === null) return [];
    return overfittingOnError(trace, { steps: score.step, values: score.values }, scale, stepUnit);
  },
});
