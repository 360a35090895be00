/**
 * Writes the training logs under fixtures/logs/ (see fixtures/logs/README.md): realistic curves of
 * the shapes `convdoc analyze` must tell apart, with seeded noise, so running this twice gives
 * byte-identical files.
 *
 * Usage: npx tsx scripts/make-log-fixtures.ts
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRandom, randomNormal, type Random } from '../src/util/random.js';

const logsDir = fileURLToPath(new URL('../fixtures/logs/', import.meta.url));
const SEED = 5005;

/** Six significant digits, as Keras' CSVLogger prints float32 values; non-finite values as Python prints them. */
function format(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(Number(value.toPrecision(6)));
}

/** An epoch mean with a little noise: relative log-normal jitter of `sigma`. */
function jitter(random: Random, value: number, sigma: number): number {
  return value * Math.exp(sigma * randomNormal(random));
}

/** Keras' CSVLogger: `epoch` then the logged keys in sorted order, one row per epoch. */
function kerasCsv(keys: readonly string[], rows: readonly Record<string, number>[]): string {
  const header = ['epoch', ...[...keys].sort()];
  return (
    [
      header.join(','),
      ...rows.map((row, epoch) => [String(epoch), ...header.slice(1).map((key) => format(row[key]!))].join(',')),
    ].join('\n') + '\n'
  );
}

/** SGD at lr 0.1 on a classifier: the loss falls for two epochs, then climbs until it overflows (Keras 2 names the rate `lr`). */
function diverging(random: Random): string {
  const losses = [
    2.21,
    1.84,
    1.93,
    2.71,
    4.4,
    9.6,
    31.8,
    187,
    2.9e3,
    1.4e5,
    8.8e7,
    Number.POSITIVE_INFINITY,
    Number.NaN,
    Number.NaN,
    Number.NaN,
  ];
  return kerasCsv(
    ['accuracy', 'loss', 'lr', 'val_accuracy', 'val_loss'],
    losses.map((loss, epoch) => ({
      loss: Number.isFinite(loss) ? jitter(random, loss, 0.02) : loss,
      accuracy: Number.isFinite(loss) ? Math.max(0.1, 0.62 - 0.05 * epoch + 0.01 * randomNormal(random)) : 0.1,
      val_loss: Number.isFinite(loss) ? jitter(random, loss * 1.08, 0.03) : Number.NaN,
      val_accuracy: Number.isFinite(loss) ? Math.max(0.1, 0.6 - 0.05 * epoch + 0.01 * randomNormal(random)) : 0.1,
      lr: 0.1,
    })),
  );
}

/** Adam at 1e-3 on too little data: training loss keeps falling, validation loss bottoms out at epoch 9 and climbs (Keras 3 names the rate `learning_rate`). */
function overfitting(random: Random): string {
  return kerasCsv(
    ['accuracy', 'learning_rate', 'loss', 'val_accuracy', 'val_loss'],
    Array.from({ length: 40 }, (_, epoch) => {
      const loss = 0.03 + 1.1 * Math.exp(-epoch / 7);
      const valLoss = 0.42 + 0.6 * Math.exp(-epoch / 3) + 0.0012 * Math.max(0, epoch - 9) ** 2;
      return {
        loss: jitter(random, loss, 0.02),
        accuracy: Math.min(0.999, 1 - loss / 2),
        val_loss: jitter(random, valLoss, 0.03),
        val_accuracy: Math.min(0.95, 0.9 - valLoss / 10),
        learning_rate: 0.001,
      };
    }),
  );
}

/** A regression with Adam: both losses fall and flatten, validation a little above training. */
function healthy(random: Random): string {
  return kerasCsv(
    ['learning_rate', 'loss', 'mae', 'val_loss', 'val_mae'],
    Array.from({ length: 30 }, (_, epoch) => {
      const loss = 8 + 80 * Math.exp(-epoch / 4);
      const valLoss = 10 + 78 * Math.exp(-epoch / 4);
      return {
        loss: jitter(random, loss, 0.02),
        mae: Math.sqrt(loss) * 0.8,
        val_loss: jitter(random, valLoss, 0.03),
        val_mae: Math.sqrt(valLoss) * 0.8,
        learning_rate: 0.001,
      };
    }),
  );
}

/**
 * A per-step JSON Lines log with gradient norms (a ReLU RNN's variable names): the global and per-variable norms
 * hold steady, then blow up over 10 steps from step 120, and the loss overflows at step 131.
 * Validation every 20 steps.
 */
function explodingJsonl(random: Random): string {
  const lines: string[] = [];
  for (let step = 0; step <= 131; step++) {
    const blowUp = step < 120 ? 1 : 10 ** ((step - 119) * 0.6);
    const kernel = jitter(random, 0.8, 0.15) * blowUp;
    const recurrent = jitter(random, 0.5, 0.15) * blowUp;
    const loss =
      step === 131
        ? Number.NaN
        : jitter(random, (0.2 + 0.8 * Math.exp(-step / 30)) * (step < 120 ? 1 : blowUp ** 0.5), 0.1);
    const line: Record<string, number | string> = {
      step,
      loss: Number.isFinite(loss) ? Number(format(loss)) : 'nan',
      lr: 0.01,
      grad_norm: Number(format(Math.hypot(kernel, recurrent))),
      'grad_norm/simple_rnn/kernel': Number(format(kernel)),
      'grad_norm/simple_rnn/recurrent_kernel': Number(format(recurrent)),
    };
    if (step % 20 === 0) line['val_loss'] = Number(format(jitter(random, 0.25 + 0.8 * Math.exp(-step / 30), 0.03)));
    lines.push(JSON.stringify(line));
  }
  return lines.join('\n') + '\n';
}

/** TensorBoard's CSV download of a healthy `epoch_loss` scalar logged every 10 steps, with wall times. */
function tensorBoard(random: Random): string {
  const start = 1_717_000_000;
  const rows = Array.from({ length: 100 }, (_, index) => {
    const step = index * 10;
    return [
      String(start + index * 2.5),
      String(step),
      format(jitter(random, 0.05 + 0.65 * Math.exp(-step / 150), 0.04)),
    ].join(',');
  });
  return ['Wall time,Step,Value', ...rows].join('\n') + '\n';
}

mkdirSync(logsDir, { recursive: true });
const random = createRandom(SEED);
const files: [string, (random: Random) => string][] = [
  ['keras-diverging.csv', diverging],
  ['keras-overfitting.csv', overfitting],
  ['keras-healthy.csv', healthy],
  ['exploding-gradients.jsonl', explodingJsonl],
  ['tensorboard-loss.csv', tensorBoard],
];
for (const [name, make] of files) writeFileSync(`${logsDir}${name}`, make(random));
