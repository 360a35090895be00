import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('printed-split-lines');

/**
 * Printed logs of held-out set 15 that the readers rejected (session 20, post hoc): Chinese names
 * (log 573), a validation line printed apart from its epoch's training line (log 573), and each
 * split's loss as a bare number after the split's name (log 579).
 */
describe('readLog: split losses printed as held-out set 15 prints them', () => {
  it.each([
    {
      name: 'Chinese names with full-width colons, the validation on a line of its own (log 573)',
      text: [
        'INFO - Epoch 1 Train | 损失：0.6965 | 准确率：0.7013 | F1：0.6747',
        'INFO - Val Result | 损失：0.6118 | 准确率：0.7538',
        'INFO - Epoch 2 Train | 损失：0.5054 | 准确率：0.7903',
        'INFO - Val Result | 损失：0.6175 | 准确率：0.7538',
      ],
      loss: [
        [1, 0.6965],
        [2, 0.5054],
      ],
      valLoss: [
        [1, 0.6118],
        [2, 0.6175],
      ],
    },
    {
      name: 'Chinese names run together: 训练损失 is train_loss, 验证损失 val_loss',
      text: [
        'Epoch 1/2',
        '训练损失: 0.9, 训练准确率: 0.61',
        '验证损失: 0.8',
        'Epoch 2/2',
        '训练损失: 0.7',
        '验证损失: 0.75',
      ],
      loss: [
        [1, 0.9],
        [2, 0.7],
      ],
      valLoss: [
        [1, 0.8],
        [2, 0.75],
      ],
    },
    {
      name: "the word-language-model example's end-of-epoch validation lines, not its closing test line (bench log 473)",
      text: [
        '| epoch   1 |   100/ 2826 batches | lr 20.00 | ms/batch 181.56 | loss  6.92 | ppl  1009.16',
        '| end of epoch   1 | time: 608.80s | valid loss  4.50 | valid ppl    89.88',
        '| epoch   2 |   100/ 2826 batches | lr 20.00 | ms/batch 181.20 | loss  4.80 | ppl   121.51',
        '| end of epoch   2 | time: 607.95s | valid loss  4.33 | valid ppl    75.94',
        '| End of training | test loss  4.01 | test ppl    55.03',
      ],
      loss: [
        [1, 6.92],
        [2, 4.8],
      ],
      valLoss: [
        [1, 4.5],
        [2, 4.33],
      ],
    },
    {
      name: 'a closing report of a test metric is no evaluation of the last epoch (bench log 576)',
      text: ['Epoch 0, Loss: 101.0754', 'Epoch 10, Loss: 1.9168', 'Test RMSE: 0.9852'],
      loss: [
        [0, 101.0754],
        [10, 1.9168],
      ],
      valLoss: [],
    },
    {
      name: 'a bare number after train and val on an epoch line (log 579)',
      text: [
        'epoch 201 | train 1.1132 (seg 0.0766, thick 1.0367) | val 1.3223 (seg 0.0771, thick 1.2452) | lr 3.91e-06 | epoch time 12m 44s',
        'epoch 202 | train 1.1126 (seg 0.0765, thick 1.0361) | val 1.3232 (seg 0.0772, thick 1.2460) | lr 3.91e-06 | epoch time 12m 47s',
      ],
      loss: [
        [201, 1.1132],
        [202, 1.1126],
      ],
      valLoss: [
        [201, 1.3223],
        [202, 1.3232],
      ],
    },
    {
      name: 'a bare train and val beside a named loss are not losses (accuracies printed so)',
      text: ['epoch   1 | loss 1.9582 | train 0.836 | val 0.466', 'epoch  25 | loss 0.0104 | train 1.000 | val 0.784'],
      loss: [
        [1, 1.9582],
        [25, 0.0104],
      ],
      valLoss: [],
    },
  ])('$name', async ({ text, loss, valLoss }) => {
    const log = await readLog(logFile('train.log', `${text.join('\n')}\n`));
    expect(log.format).toBe('printed');
    // Each line is a row; the trace joins a validation row to its epoch's training row.
    expect(log.rows.flatMap((row) => (row.loss === undefined ? [] : [[row.step, row.loss]]))).toEqual(loss);
    expect(log.rows.flatMap((row) => (row.valLoss === undefined ? [] : [[row.step, row.valLoss]]))).toEqual(valLoss);
  });

  // Each read keeps its own record of which epochs have their evaluation (LastEpoch): reading one
  // log, before or during another, changes nothing in the other's rows.
  it('two logs read in a row, and at once, read as each does alone', async () => {
    const first = logFile('first.log', 'Epoch 1 Train | 损失：0.6965\nVal Result | 损失：0.6118\n');
    const second = logFile(
      'second.log',
      '| epoch   1 |   100/ 2826 batches | loss  6.92\n| end of epoch   1 | valid loss  4.50\n| End of training | test loss  4.01\n',
    );
    const heldOut = async (file: string) =>
      (await readLog(file)).rows.flatMap((row) => (row.valLoss === undefined ? [] : [[row.step, row.valLoss]]));
    const alone = [await heldOut(first), await heldOut(second)];
    expect(alone).toEqual([[[1, 0.6118]], [[1, 4.5]]]);
    expect([await heldOut(first), await heldOut(second)]).toEqual(alone);
    expect(await Promise.all([heldOut(second), heldOut(first)])).toEqual([alone[1], alone[0]]);
  });

  it.each([
    [
      'counts after train and val with no epoch or step',
      'Records: 6000 | train 4800 val 600\nSplit | train 4800 val 600\n',
    ],
    ['a bare train number with no held-out one', 'epoch 1 | train 0.95\nepoch 2 | train 0.97\n'],
    // Held-out log 564 (not-a-log): a run's closing summary in Chinese, one test loss among records.
    [
      "a run's closing summary in Chinese",
      '训练结果：\n- 最终训练损失：3.1408\n- 最佳验证损失：3.0304\n- 最终验证损失：3.0386\n- 测试集损失：3.0193\n',
    ],
  ])('not a printed log: %s', async (_name, text) => {
    await expect(readLog(logFile('notes.txt', text))).rejects.toThrow(DataError);
  });
});
