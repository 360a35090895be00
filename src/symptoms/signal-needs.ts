/**
 * The evidence a detector needs. A probe records all of it; a log of another framework holds only
 * some (a Keras CSVLogger file has the loss, the validation loss and the learning rate), and a
 * detector whose evidence is missing is not run, so that it does not judge an empty array as a
 * healthy one. The names are spelled as a log spells them (JSON Lines keys, Keras columns), so a
 * report's `notEvaluated` reads as the columns to add.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { scoreScale } from './overfitting-on-score.js';

export const SIGNALS = [
  'loss',
  'val_loss',
  /** A log's held-out accuracy (trace.valMetric named accuracy). */
  'val_accuracy',
  /** A log's held-out score that improves upwards: f1, auc, iou, dice, ssim, psnr (trace.valScore). */
  'val_<score>',
  /** The global gradient norm per step. */
  'grad_norm',
  /** Per trainable variable: its gradient norm per step. */
  'grad_norm/<variable>',
  /** Per trainable variable: ‖Δw‖/‖w‖ of each update. */
  'update_ratio/<variable>',
  /** Per layer: activation statistics (dead units, saturation, scale) on a fixed batch. */
  'activations',
  /** The loss of a model that learned nothing (ln C for C classes, the target variance for MSE). */
  'chance_loss',
  /** The dataset's column statistics. */
  'data',
  /** The model and training config. */
  'config',
] as const;
export type Signal = (typeof SIGNALS)[number];

/** The signals of held-out data, each a form of it a detector of overfitting reads (engine.ts notEvaluated). */
export const HELD_OUT_SIGNALS: ReadonlySet<Signal> = new Set(['val_loss', 'val_accuracy', 'val_<score>']);

/** The signals a trace holds: a series with values, a per-variable record with variables. */
export function traceSignals(trace: ProbeTrace): Set<Signal> {
  const present: [Signal, boolean][] = [
    ['loss', trace.loss.length > 0],
    // A validation loss that is NaN at every evaluation was never measured (no validation rows).
    ['val_loss', trace.valLoss.some(Number.isFinite)],
    // Held-out scores only on a scale the overfitting detectors read (an accuracy in [0, 1], not in percent).
    ['val_accuracy', trace.valMetric?.name === 'accuracy' && readable('accuracy', trace.valMetric.values)],
    ['val_<score>', trace.valScore != null && readable(trace.valScore.name, trace.valScore.values)],
    ['grad_norm', trace.globalGradNorm.length > 0],
    ['grad_norm/<variable>', Object.keys(trace.gradNorm).length > 0],
    ['update_ratio/<variable>', Object.keys(trace.updateRatio).length > 0],
    ['activations', trace.activations.length > 0],
    ['chance_loss', trace.chanceLoss !== null && trace.chanceLoss > 0],
  ];
  return new Set(present.flatMap(([signal, has]) => (has ? [signal] : [])));
}

/** A held-out score with values, on a scale overfitting-on-score.ts reads (scoreScale). */
function readable(name: string, values: readonly number[]): boolean {
  return values.some(Number.isFinite) && scoreScale(name, values) !== null;
}
