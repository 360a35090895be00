/**
 * A line of held-out losses printed apart from the epoch's training line, with no epoch of its own:
 * `Epoch 1 Train | 损失：0.6965 | ...` then `Val Result | 损失：0.6118 | ...` (held-out log 573),
 * PyTorch's MNIST example's `Test set: Average loss: 0.0004, ...` after each epoch's batches (bench
 * log 584), the word-language-model example's `| end of epoch 1 | ... | valid loss 4.50` (bench log
 * 473). It is that epoch's evaluation, at the last epoch printed, not a per-batch line to pass over.
 * Only the first such line of an epoch: a run's closing `| End of training | test loss 4.01` after
 * the last epoch's validation is no second evaluation of that epoch; nor is a line whose only loss is
 * a metric (`Test RMSE: 0.98` in a closing report, bench log 576), nor one that names its batch,
 * iteration or step (`val --- Current batch:200/400  loss:[ 0.52]`, bench log 187: one batch of the
 * evaluation, whose summary follows).
 */
import { keyMeaning } from './log-keys.js';

/** A line that names its batch, iteration or step is one batch's, not the epoch's evaluation. */
const BATCH_WORD = /\b(?:batch|iter|iteration|step)\b/i;

/**
 * The last epoch a file printed a summary of, and whether a held-out line has given it its
 * evaluation yet. Each read holds its own, so that reads of two logs in one process never share it.
 */
export class LastEpoch {
  /** The counter of the last epoch's summary line (`{ epoch: 3 }`); undefined before the first. */
  counter: Record<string, number> | undefined;
  private evaluated = false;

  /** An epoch's summary line: its epoch is the one in progress, with no evaluation yet. */
  summary(counter: Record<string, number>): void {
    this.counter = counter;
    this.evaluated = false;
  }

  /** The last epoch printed when every loss on the line is a held-out one and the epoch has none yet; undefined otherwise. */
  heldOut(values: Record<string, number>, text: string): Record<string, number> | undefined {
    if (this.counter === undefined || this.evaluated || BATCH_WORD.test(text)) return undefined;
    const losses = Object.keys(values).flatMap((name) => {
      const meaning = keyMeaning(name);
      return meaning?.quantity === 'loss' && meaning.granularity !== 'metric' ? [meaning.split] : [];
    });
    if (losses.length === 0 || losses.some((split) => split === 'train')) return undefined;
    this.evaluated = true;
    return this.counter;
  }
}
