/**
 * tqdm progress bars printed to a log (Lightning's `TQDMProgressBar`: `Epoch 3:  45%|████▌     |
 * 257/571 [02:10<02:39,  1.97it/s, v_num=4dq3, train_loss=0.127]`, one refresh per batch, kept as
 * `\r`-separated lines when stdout is saved to a file). The postfix shows the latest value of each
 * metric: a training loss logged per step (Lightning's `self.log` in `training_step`, on_step by
 * default) is the last batch's, which can stand 10x above or below the epoch's level (bench log 430:
 * 0.003-0.35 at epoch ends while the epoch means fall 0.195 -> 0.060). Each epoch's training loss is
 * the mean over the batch counts shown (the last refresh of each count), as Lightning's
 * `on_epoch=True` mean is; every other value (a validation loss or accuracy logged once per epoch, an
 * epoch mean such as `train_loss_epoch`) is its last value in the epoch, which the bar shows after
 * the epoch's validation. Until then the bar shows the values of the epoch before (Lightning keeps
 * its logged metrics in the postfix until they are logged again), so a bar that stops short of its
 * total, a run stopped inside its last epoch, shows the previous epoch's validation values as its
 * own: a validation value such a bar shows unchanged since its first refresh is not the epoch's, and is left out.
 */
import { keyMeaning } from './log-keys.js';

/** tqdm's bar: a percentage, the bar between `|`s, then the batch count `n/total` and `[elapsed<remaining, rate`. */
const BAR = /\d+%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[/;

/** The batch count of a progress-bar refresh and the bar's total; undefined for a line that is no tqdm bar. */
export function barBatch(line: string): { batch: number; total: number } | undefined {
  const match = BAR.exec(line);
  return match === null ? undefined : { batch: Number(match[1]), total: Number(match[2]) };
}

/** The refreshes of one epoch's bar, by batch count: each count's last values. */
export class EpochBar {
  private readonly byBatch = new Map<number, Record<string, number>>();
  private last: Record<string, number> = {};
  /** The values of the bar's first refresh: those of the epoch before, shown until they are logged again. */
  private opening: Record<string, number> | undefined;
  private reachedTotal = false;
  lastLine = 0;

  /** `counter`: the epoch the bar prints (`Epoch 3:`), to tell the next epoch's bar from this one's. */
  constructor(readonly counter: Record<string, number>) {}

  see({ batch, total }: { batch: number; total: number }, values: Record<string, number>, line: number): void {
    this.byBatch.set(batch, values);
    this.opening ??= values;
    this.last = { ...this.last, ...values };
    this.reachedTotal ||= batch >= total;
    this.lastLine = line;
  }

  /** The per-step training losses the bar shows: each epoch's is the mean over its batches. */
  averaged(): string[] {
    return Object.keys(this.last).filter(isPerStepTrainingLoss);
  }

  /** The epoch's record: per-step training losses averaged over the batch counts, the rest as last shown. */
  record(): Record<string, number> {
    const record: Record<string, number> = { ...this.counter, ...this.last };
    for (const name of this.carriedOver()) delete record[name];
    for (const name of this.averaged()) {
      const values = [...this.byBatch.values()].map((values) => values[name]).filter((value) => value !== undefined);
      record[name] = values.reduce((sum, value) => sum + value, 0) / values.length;
    }
    return record;
  }

  /**
   * In a bar stopped short of its total: the validation values it showed unchanged since its first
   * refresh. Only validation values wait for the epoch's end to be logged again; a training value such
   * as a constant learning rate is this epoch's however long it stays the same.
   */
  carriedOver(): string[] {
    if (this.reachedTotal) return [];
    return Object.keys(this.last).filter(
      (name) => keyMeaning(name)?.split === 'validation' && this.opening?.[name] === this.last[name],
    );
  }
}

function isPerStepTrainingLoss(name: string): boolean {
  const meaning = keyMeaning(name);
  return (
    meaning !== null && meaning.quantity === 'loss' && meaning.split === 'train' && meaning.granularity !== 'epoch'
  );
}
