/**
 * A log that holds the training loss twice, as each epoch's mean (`train_loss_epoch`, `epoch_loss`)
 * and per step (`train_loss_step`, `batch_loss`): Lightning's `self.log(..., on_step=True,
 * on_epoch=True)`, Keras' TensorBoard callback with `update_freq="batch"`. The epoch mean is
 * judged: a single batch's loss can stand 50x above the run's level on a healthy run, and the spike
 * rules would read it as instability. The per-step values are read beside it only to fall back on
 * when too few epochs ended to judge (a run stopped in its first epochs, a live run followed).
 */
import { isPerEpoch, keyMeaning, pickKey, type KeyMeaning } from './log-keys.js';
import type { LogRow } from './log-row.js';

/**
 * Fewest epoch means judged instead of the per-step values: the log rules need three points (a
 * frozen run is judged over 3 or more, overfitting over the last three evaluations), so fewer
 * epochs would leave the run unjudged while its steps could be.
 */
const MIN_EPOCH_VALUES = 3;

/**
 * The per-step (or plain) loss of the same split beside `loss`, when `loss` is each epoch's mean
 * (`train_loss_step` beside `train_loss_epoch`, `val_loss_step` beside `val_loss_epoch`); undefined otherwise.
 */
export function perStepLoss(names: readonly string[], loss: string | undefined): string | undefined {
  const meaning = loss === undefined ? null : keyMeaning(loss);
  if (meaning === null || meaning.granularity !== 'epoch') return undefined;
  const other = pickKey(
    names.filter((name) => !isPerEpoch(name)),
    meaning.quantity,
    meaning.split,
  );
  const granularity = other === undefined ? undefined : keyMeaning(other)?.granularity;
  return granularity === 'run' || granularity === 'step' ? other : undefined;
}

export interface JudgedLoss {
  rows: LogRow[];
  /** Whether the epoch means are judged (false: the per-step values, too few epochs ended). */
  perEpoch: boolean;
  notes: string[];
}

/**
 * The rows to judge, whose `loss` is the epoch mean (`epoch`) and `stepLoss` the per-step value
 * (`step`): rows of the one judged (and of the validation loss), and a note naming it. The
 * per-step values are judged when fewer than 3 epochs ended and they hold more points. `sameAxis`:
 * both are logged at the global step (Lightning), so steps past the last epoch mean are an epoch
 * that did not end; Keras logs its epoch means at the epoch's number instead.
 */
export function judgeEpochLoss(rows: readonly LogRow[], epoch: string, step: string, sameAxis: boolean): JudgedLoss {
  const epochRows = rows.filter((row) => row.loss !== undefined);
  const stepValues = rows.filter((row) => row.stepLoss !== undefined).length;
  if (epochRows.length >= MIN_EPOCH_VALUES || stepValues <= epochRows.length) {
    const lastEpochStep = epochRows.at(-1)?.step ?? Number.NEGATIVE_INFINITY;
    const tail = sameAxis ? rows.filter((row) => row.stepLoss !== undefined && row.step > lastEpochStep) : [];
    // A mean over values one of which is nan (or inf) is nan (inf): the epoch that did not end has its mean already.
    const diverged = tail.find((row) => !Number.isFinite(row.stepLoss));
    return {
      rows: epochMeanRows(rows, diverged),
      perEpoch: true,
      notes: [
        `"${epoch}" (each epoch's mean) read as the training loss, not "${step}" (each step's)` +
          (tail.length > 0
            ? `; the ${tail.length} step values after step ${lastEpochStep}, an epoch not ended, are not judged`
            : '') +
          (diverged === undefined
            ? ''
            : `, but for the ${diverged.stepLoss} at step ${diverged.step}, judged as that epoch's mean`),
      ],
    };
  }
  const stepRows = rows.flatMap((row) =>
    row.stepLoss !== undefined || row.valLoss !== undefined ? [{ ...row, loss: row.stepLoss }] : [],
  );
  return {
    rows: stepRows,
    perEpoch: false,
    notes: [
      `"${step}" (each step's) read as the training loss: "${epoch}" has ${epochRows.length} epoch means, ` +
        `fewer than the ${MIN_EPOCH_VALUES} the log rules need`,
    ],
  };
}

/**
 * The rows of the epoch means and the evaluations, each with the learning rate in force at its step
 * when it logs none itself: Lightning's LearningRateMonitor writes `lr-<Optimizer>` on the per-step
 * rows, which are left out, and lr-too-high says whether the rate was raised. `diverged`, a
 * per-step row, is kept with its value as the loss.
 */
function epochMeanRows(rows: readonly LogRow[], diverged: LogRow | undefined): LogRow[] {
  let rate: number | undefined;
  return rows.flatMap((row) => {
    rate = row.learningRate ?? rate;
    if (row === diverged) return [{ ...row, loss: row.stepLoss, learningRate: rate }];
    if (row.loss === undefined && row.valLoss === undefined) return [];
    return row.learningRate !== undefined || rate === undefined ? [row] : [{ ...row, learningRate: rate }];
  });
}

/**
 * The two training losses of a log whose keys vary by line (JSON Lines: a line per step with
 * `train_loss_step`, a line per epoch with `train_loss_epoch`): which lines hold an epoch mean, so
 * that the others' losses are read as per-step values once the whole log is read.
 */
export class LineLosses {
  private readonly epochLines = new Set<number>();
  private readonly granularities = new Map<string, KeyMeaning['granularity'] | null>();
  private epoch: string | undefined;
  private step: string | undefined;

  /** `row` read through `loss` and `stepLoss`, the line's training loss columns. */
  see(row: LogRow, loss: string | undefined, stepLoss: string | undefined): void {
    if (stepLoss !== undefined && row.stepLoss !== undefined) this.step ??= stepLoss;
    if (loss === undefined || row.loss === undefined) return;
    // Named once per column: a million lines repeat a handful of names.
    let granularity = this.granularities.get(loss);
    if (granularity === undefined) this.granularities.set(loss, (granularity = keyMeaning(loss)?.granularity ?? null));
    if (granularity === 'epoch') {
      this.epochLines.add(row.line);
      this.epoch ??= loss;
    } else if (granularity === 'run' || granularity === 'step') this.step ??= loss;
  }

  /** The rows to judge, as judgeEpochLoss chooses them when the log holds both losses. */
  judge(rows: LogRow[], byEpoch: boolean): { rows: LogRow[]; epochMeans: boolean; notes: string[] } {
    if (this.epoch === undefined || this.step === undefined) return { rows, epochMeans: false, notes: [] };
    const split = rows.map((row) =>
      this.epochLines.has(row.line) || row.loss === undefined ? row : { ...row, stepLoss: row.loss, loss: undefined },
    );
    const judged = judgeEpochLoss(split, this.epoch, this.step, !byEpoch);
    return { rows: judged.rows, epochMeans: judged.perEpoch, notes: judged.notes };
  }
}
