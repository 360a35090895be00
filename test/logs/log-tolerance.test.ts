import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyMeaning } from '../../src/logs/log-keys.js';
import { splitSegments } from '../../src/logs/log-segments.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

/** Logs of bench set 10 that were rejected although they are logs (fixtures/logs/README.md cites the excerpts). */
const LOGS = path.resolve(import.meta.dirname, '../../fixtures/logs');
const logFile = tempLogWriter('log-tolerance');

describe('fractional epochs (HuggingFace: step / steps per epoch)', () => {
  it('reads a log_history saved as CSV as steps in file order, and says so', async () => {
    const log = await readLog(path.join(LOGS, 'hf-fractional-epochs.csv'));
    expect(log.byEpoch).toBe(false);
    expect(log.rows.map((row) => row.step)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(log.notes).toContain(
      '"epoch" holds fractions of an epoch (as HuggingFace logs it): the rows are read as steps, in file order',
    );
  });

  it('starts a segment where the epoch goes back (a resumed run)', async () => {
    const log = await readLog(logFile('resumed.csv', 'epoch,loss\n0.5,2\n1.0,1.5\n1.5,1.2\n0.5,1.9\n1.0,1.4\n'));
    expect(log.rows.map((row) => row.step)).toEqual([1, 2, 3, 1, 2]);
    expect(splitSegments(log.rows)).toHaveLength(2);
  });

  it('keeps whole epochs as epochs', async () => {
    const log = await readLog(logFile('whole.csv', 'epoch,loss\n0,2\n1,1.5\n2,1.2\n'));
    expect([log.byEpoch, log.rows.map((row) => row.step), log.notes]).toEqual([true, [0, 1, 2], []]);
  });

  it('reads HuggingFace Trainer dicts printed to stdout, evaluations in place, the closing summary passed over', async () => {
    const log = await readLog(path.join(LOGS, 'hf-printed-dicts.txt'));
    expect(log.format).toBe('printed');
    expect(log.rows.filter((row) => row.loss !== undefined)).toHaveLength(26);
    const evaluation = log.rows.find((row) => row.valLoss !== undefined)!;
    expect([evaluation.valLoss, evaluation.step]).toEqual([0.695753276348114, 27]);
    expect(log.rows[0]).toMatchObject({ loss: 0.6964, learningRate: 0.001, gradNorm: 0.06994818150997162 });
  });

  it('still rejects a negative epoch', async () => {
    await expect(readLog(logFile('negative.csv', 'epoch,loss\n-0.5,1\n'))).rejects.toThrow(
      /negative\.csv:2: epoch is "-0\.5"; expected a whole number of at least 0/,
    );
  });
});

describe('a row cut off mid-write', () => {
  it('skips one in a resumed log, with a note', async () => {
    const log = await readLog(path.join(LOGS, 'resumed-cut-row.csv'));
    expect(log.rows.map((row) => row.step)).toEqual([
      ...Array.from({ length: 13 }, (_, i) => i + 1),
      15,
      16,
      17,
      18,
      19,
    ]);
    expect(log.notes).toContain('line 15 skipped: it has 9 fields but the header has 11 (a row cut off mid-write)');
  });

  it.each([
    [
      'two malformed rows',
      'epoch,loss,val_loss\n0,1,1\n1,0.9\n2,0.8,0.9\n3,0.7\n4,0.6,0.7\n',
      /two\.csv:3: row has 2 fields but the header has 3 \(line 5 too\)/,
    ],
    [
      'one beside fewer than 3 well-formed rows',
      'epoch,loss,val_loss\n0,1,1\n1,0.9\n2,0.8,0.9\n',
      /two\.csv:3: row has 2 fields but the header has 3\./,
    ],
    [
      // Bench log 476: a second stage whose rows carry values the header does not name (malformed-rows.ts).
      'rows longer than the header',
      'stage,epoch,train_loss,val_loss\nfan,1,0.5,0.6\nfan,2,0.4,0.5\nsr,1,0.3,0.2,0.1\nsr,2,0.2,0.1,0.1\n',
      /two\.csv:4: row has 5 fields but the header has 4 \(line 5 too\)\. Which of the 5 values the header's 4 names are cannot be told/,
    ],
  ])('is not a log with %s: exit 2 at the first', async (_, content, message) => {
    await expect(readLog(logFile('two.csv', content))).rejects.toThrow(message);
  });
});

describe('a long table: step, split, metric, value', () => {
  it('pivots one row per value into one record per epoch', async () => {
    const log = await readLog(path.join(LOGS, 'long-table.csv'));
    expect([log.format, log.byEpoch]).toEqual(['history-csv', true]);
    expect(log.rows).toHaveLength(10);
    expect(log.rows[0]).toMatchObject({ step: 1, loss: 0.7892976999282837, valLoss: 1.845306174659729 });
    expect(log.notes).toContain('a long table (one row per value) read as one record per step');
  });

  it('rejects a split that names none, at its line', async () => {
    await expect(
      readLog(logFile('long.csv', 'epoch,split,metric,value\n1,train,loss,1\n1,dev2,loss,2\n')),
    ).rejects.toThrow(/long\.csv:3: split is "dev2"; expected train, val/);
  });

  it('is not a long table with another shape', async () => {
    await expect(readLog(logFile('wide.csv', 'epoch,split,metric,value,extra\n1,train,loss,1,2\n'))).rejects.toThrow(
      /wide\.csv:1: not a training log/,
    );
  });
});

describe('a per-batch loss named after its batch', () => {
  it('reads train_loss_batch as the per-step training loss (bench log 259)', async () => {
    expect(keyMeaning('train_loss_batch')).toEqual({ quantity: 'loss', split: 'train', granularity: 'step' });
    const log = await readLog(path.join(LOGS, 'lightning-loss-batch-metrics.csv'));
    expect([log.format, log.rows.length, log.rows[0]!.loss]).toEqual(['lightning-csv', 20, 16.74222755432129]);
  });
});
