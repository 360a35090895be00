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
 * examples as an error rate near 100% is, so its guard is Prechelt's GL_5 on it, the same 5%
 * (a fall of 10 log10(1.05) = 0.21 dB). A score outside [0, 1] that is not a PSNR (an F1 in
 * percent) is not judged: its scale is not known.
 */
import { formatNumber } from '../util/format.js';
import type { DynamicsInput } from './dynamics-input.js';
import { defineDetector, type Detection } from './finding.js';
import { ACCURACY_FALL, fractionScale } from './overfitting-on-accuracy.js';
import { overfittingOnError, type ScoreScale } from './overfitting-on-error.js';
import { OVERFITTING_REMEDY } from './overfitting.js';

/** PSNR = 10 log10(MAX² / MSE): its MSE in units of MAX² (Wang et al. 2004, "Image Quality Assessment: From Error Visibility to Structural Similarity", eq. 1's MSE). */
const PSNR_SCALE: ScoreScale = {
  name: 'psnr',
  errorName: 'the MSE ratio 10^(-psnr/10)',
  error: (psnr) => 10 ** (-psnr / 10),
  score: (error) => -10 * Math.log10(error),
  lost: (best, level) => (level - best) / best,
  limit: ACCURACY_FALL,
  lostWords: (lost) =>
    `the MSE ratio 10^(-psnr/10) ${formatNumber(lost * 100)}% above its best; limit ${formatNumber(ACCURACY_FALL * 100)}%, GL_5`,
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
