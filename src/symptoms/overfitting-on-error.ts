/**
 * Overfitting read on a held-out score turned into an error, the part overfitting-on-accuracy.ts and
 * overfitting-on-score.ts share. Prechelt's criteria ("Early Stopping — But When?", 1998) read E_va,
 * the error on the validation set: a log that gives it as a score that improves upwards (an accuracy,
 * an F1, a PSNR) gives it through the score's error (1 - accuracy; the MSE ratio behind a PSNR), and
 * that error is judged by overfitting-on-log.ts' whole-run readings, with the training loss they ask
 * for. Guarded like an accuracy: the score itself must have lost a margin of its best (each scale's
 * `lost`), and a validation loss logged beside it must end GL_5 above its lowest.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { formatNumber } from '../util/format.js';
import type { Detection } from './finding.js';
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

/** How a held-out score is read as an error, and how the message names both. */
export interface ScoreScale {
  /** The score as the message names it (`accuracy`, `psnr`). */
  name: string;
  /** The error, as the evidence names it (`the validation error rate 1 - accuracy`). */
  errorName: string;
  error(score: number): number;
  score(error: number): number;
  /** The share of the best score lost at `level` (both errors); compared with `limit`. */
  lost(best: number, level: number): number;
  limit: number;
  /** The words for the loss of the score and the rise of its error (the message's parenthesis). */
  lostWords(lost: number, rise: number): string;
}

/**
 * GL_5 read on the accuracy itself (Prechelt 1998, alpha = 5): the level the error-rate rule compares
 * stands 5% of the best accuracy below it. An accuracy is a quantity that improves upwards, as Keras'
 * EarlyStopping(mode='max') monitors one (keras.io, "EarlyStopping": in 'auto' mode the direction
 * is inferred from the name); measured margin over sets 1-15: healthy logs at most 2.0%.
 */
const ACCURACY_FALL = 0.05;

/**
 * A score in [0, 1] that improves upwards, read as the error 1 - score and guarded by the share of
 * its best it lost, ACCURACY_FALL (`name`: accuracy, f1, iou, ...).
 */
export function fractionScale(name: string): ScoreScale {
  return {
    name,
    errorName: `the validation error rate 1 - ${name}`,
    error: (score) => 1 - score,
    score: (error) => 1 - error,
    lost: (best, level) => (level - best) / (1 - best),
    limit: ACCURACY_FALL,
    lostWords: (lost, rise) =>
      `${formatNumber(lost * 100)}% of its best lost, the error rate 1 - ${name} ${formatNumber(rise * 100)}% above its best; limit ${formatNumber(ACCURACY_FALL * 100)}% of each`,
  };
}

/** The finding on a held-out score's `values` at `steps`, read on the scale's error; none when it did not fall. */
export function overfittingOnError(
  trace: ProbeTrace,
  { steps, values }: { steps: readonly number[]; values: readonly number[] },
  scale: ScoreScale,
  unit: 'step' | 'epoch',
): Detection[] {
  const errors = values.map((value) => scale.error(value));
  const points = finitePoints(steps, errors);
  const measured = validationRise(points);
  if (measured === null || !(measured.best.loss < 1)) return [];
  const lost = scale.lost(measured.best.loss, measured.level);
  if (!(lost >= scale.limit)) return [];
  if (lossDisagrees(finitePoints(trace.evalStep, trace.valLoss))) return [];
  const [onLog] = overfittingOnLog({ ...trace, evalStep: [...steps], valLoss: errors }, unit, OVERFITTING_REMEDY);
  if (onLog === undefined) return [];
  const smoothed = SMOOTHED_BEST.has(measured.criterion);
  return [
    {
      ...onLog,
      evidence: { ...onLog.evidence, what: `read on ${scale.errorName}: ${onLog.evidence.what}` },
      message: scoreWords(points, { ...measured, smoothed }, lost, scale, unit),
    },
  ];
}

/**
 * A validation loss logged beside the score that does not end GL_5 above its lowest: the loss
 * says the model still generalizes as well as it ever did (bench log 336: the loss at its best at
 * the last evaluation while a noisy accuracy fell), so the score's fall is not read as overfitting.
 */
function lossDisagrees(losses: readonly Evaluation[]): boolean {
  if (losses.length === 0) return false;
  const lowest = Math.min(...losses.map((point) => point.loss));
  return !(losses.at(-1)!.loss >= LOG_VALIDATION_RISE * lowest);
}

/** The readings of validation-rise.ts whose best is a running median of three, not one evaluation. */
const SMOOTHED_BEST: ReadonlySet<ValidationRise['criterion']> = new Set(['sustained', 'mean', 'trend']);

function scoreWords(
  points: readonly Evaluation[],
  { best, level, smoothed }: { best: Evaluation; level: number; smoothed: boolean },
  lost: number,
  scale: ScoreScale,
  unit: 'step' | 'epoch',
): string {
  const last = points.at(-1)!;
  const stop = earlyStop(points, SUSTAINED_EVALUATIONS);
  const rise = (level - best.loss) / best.loss;
  return (
    `The validation ${scale.name} was best at ${formatNumber(scale.score(best.loss))}${smoothed ? ' (median of three)' : ''} at ${unit} ${best.step} and fell to ${formatNumber(scale.score(level))} ` +
    `(${scale.lostWords(lost, rise)}), ` +
    `ending at ${formatNumber(scale.score(last.loss))} at ${unit} ${last.step}, while the training loss did not rise with it: the model is overfitting. ` +
    `Early stopping on val_${scale.name} (mode 'max') with patience ${SUSTAINED_EVALUATIONS} would have stopped at ${unit} ${stop.stoppedAt} and kept the weights of ${unit} ${stop.kept} (restore_best_weights).`
  );
}
