import { describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors.js';
import { splitSegments } from '../../src/logs/log-segments.js';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('printed-log');

interface PrintedCase {
  name: string;
  text: string;
  steps: number[];
  loss: (number | undefined)[];
  valLoss?: (number | undefined)[];
  learningRate?: (number | undefined)[];
}

const cases: PrintedCase[] = [
  {
    name: 'a script printing "Epoch:1/80  Learning Rate: ...  Train Loss: ...  Val Loss: ..." (bench log 144)',
    text: 'Epoch:1/80  Learning Rate: 0.001000  Train Loss: 4.834  Val Loss: 3.255  \nEpoch:2/80  Learning Rate: 0.001000  Train Loss: 2.821  Val Loss: 2.431  \n',
    steps: [1, 2],
    loss: [4.834, 2.821],
    valLoss: [3.255, 2.431],
    learningRate: [0.001, 0.001],
  },
  {
    name: "Keras' fit output from stdout: the epoch on a line of its own, progress updates (ETA) passed over",
    text: [
      'Epoch 1/2',
      ' 1/10 [==>...........................] - ETA: 3s - loss: 0.9000 - accuracy: 0.5000',
      '10/10 [==============================] - 1s 20ms/step - loss: 0.6931 - accuracy: 0.5100 - val_loss: 0.6800 - val_accuracy: 0.5500',
      'Epoch 2/2',
      '10/10 [==============================] - 0s 18ms/step - loss: 0.5012 - accuracy: 0.8000 - val_loss: 0.5500 - val_accuracy: 0.7800',
    ].join('\n'),
    steps: [1, 2],
    loss: [0.6931, 0.5012],
    valLoss: [0.68, 0.55],
  },
  {
    name: 'YOLOX iteration lines, each ending with its ETA: read, not passed over as a progress bar (bench log 429)',
    text: [
      '2021-09-03 20:17:51.976 | INFO     | yolox.core.trainer:after_iter:246 - epoch: 1/300, iter: 10/47, mem: 1491Mb, iter_time: 0.487s, data_time: 0.002s, total_loss: 10.7, iou_loss: 1.9, l1_loss: 0.0, conf_loss: 4.9, cls_loss: 4.0, lr: 7.073e-06, size: 640, ETA: 1:54:27',
      '2021-09-03 20:17:53.882 | INFO     | yolox.core.trainer:after_iter:246 - epoch: 1/300, iter: 20/47, mem: 1491Mb, iter_time: 0.191s, data_time: 0.000s, total_loss: 10.0, iou_loss: 2.4, l1_loss: 0.0, conf_loss: 6.2, cls_loss: 1.5, lr: 2.829e-05, size: 480, ETA: 1:19:32',
      '2021-09-03 20:18:02.443 | INFO     | yolox.core.trainer:after_iter:246 - epoch: 2/300, iter: 10/47, mem: 1714Mb, iter_time: 0.084s, data_time: 0.000s, total_loss: 4.7, iou_loss: 2.1, l1_loss: 0.0, conf_loss: 1.9, cls_loss: 0.7, lr: 1.562e-04, size: 480, ETA: 1:01:46',
    ].join('\n'),
    steps: [1, 2, 3],
    loss: [10.7, 10, 4.7],
    learningRate: [7.073e-6, 2.829e-5, 1.562e-4],
  },
  {
    name: "PyTorch's tutorial: an epoch and a step that restarts each epoch, so the lines are counted",
    text: 'Epoch 1\nEpoch [1/2], Step [100/200], Loss: 0.5000\nEpoch [1/2], Step [200/200], Loss: 0.4000\nEpoch [2/2], Step [100/200], Loss: 0.3000\n',
    steps: [1, 2, 3],
    loss: [0.5, 0.4, 0.3],
  },
  {
    name: "nanoGPT's evaluation lines: no colon between a name and its value",
    text: 'step 0: train loss 4.2000, val loss 4.2100\nstep 250: train loss 1.9100, val loss 2.0300\n',
    steps: [0, 250],
    loss: [4.2, 1.91],
    valLoss: [4.21, 2.03],
  },
  {
    name: 'name=value pairs with nan, and a closing line without a loss',
    text: 'epoch=0 | train_loss=1.5 | time=12ms\nepoch=1 | train_loss=nan\ntraining finished in 30s\n',
    steps: [0, 1],
    loss: [1.5, Number.NaN],
  },
  {
    name: "TRL's printed dicts with quoted values (bench log 310)",
    text: "{'loss': '2.897', 'grad_norm': '0.7695', 'learning_rate': '2.262e-05', 'epoch': '0.03579'}\n{'loss': '2.083', 'grad_norm': '0.4258', 'learning_rate': '3.452e-05', 'epoch': '0.05369'}\n{'loss': '1.518', 'grad_norm': '0.293', 'learning_rate': '4.643e-05', 'epoch': '0.07159'}\n",
    steps: [1, 2, 3],
    loss: [2.897, 2.083, 1.518],
    learningRate: [2.262e-5, 3.452e-5, 4.643e-5],
  },
  {
    name: "build-nanogpt's log.txt: the step, the split, the loss (bench log 348)",
    text: '0 val 11.0213\n0 train 11.027695\n1 train 10.977922\n2 train 10.880912\n',
    steps: [0, 0, 1, 2],
    loss: [undefined, 11.027695, 10.977922, 10.880912],
    valLoss: [11.0213, undefined, undefined, undefined],
  },
  {
    name: 'a logging message written as a sentence: the value ends it with a period (sweep s17, 1456416403/textsegment)',
    text: '2020-11-09 15:46:38,303 - DEBUG - Training Epoch: 2, Loss: 0.192.\n2020-11-09 17:00:49,928 - DEBUG - Training Epoch: 3, Loss: 0.1696.\n',
    steps: [2, 3],
    loss: [0.192, 0.1696],
  },
  {
    name: "pytorch-CycleGAN-and-pix2pix's loss_log.txt: every name after the parenthesis is a loss, the first read (sweep s18, Syvia00/Horse2Zebra)",
    text: [
      '================ Training Loss (Wed Oct 30 10:43:06 2024) ================',
      '(epoch: 1, iters: 100, time: 2.416, data: 9.430) D_A: 0.540 G_A: 0.433 cycle_A: 2.246 idt_A: 1.263 ',
      '(epoch: 1, iters: 200, time: 2.386, data: 0.001) D_A: 0.475 G_A: 0.465 cycle_A: 3.771 idt_A: 1.100 ',
      '(epoch: 2, iters: 100, time: 2.395, data: 0.000) D_A: 0.392 G_A: 0.349 cycle_A: 2.443 idt_A: 0.846 ',
      '',
    ].join('\n'),
    steps: [1, 2, 3],
    loss: [0.54, 0.475, 0.392],
  },
  {
    name: "pix2pixHD's loss_log.txt: no data: in the parenthesis, names that say loss kept",
    text: [
      '(epoch: 1, iters: 100, time: 0.120) G_GAN: 1.20 G_GAN_Feat: 3.10 D_real: 0.50 D_fake: 0.40 ',
      '(epoch: 1, iters: 200, time: 0.118) G_GAN: 1.10 G_GAN_Feat: 2.90 D_real: 0.45 D_fake: 0.42 ',
      '(epoch: 1, iters: 300, time: 0.119) G_loss: 1.00 D_real: 0.44 ',
      '',
    ].join('\n'),
    steps: [1, 2, 3],
    loss: [1.2, 1.1, 1.0],
  },
  {
    name: "an epoch printed with a phase word is that epoch: charlesq34/pointnet's log_train.txt (sweep s18, swathysubu11/point_cloud_project)",
    text: [
      '**** EPOCH 000 ****',
      ' ---- batch: 010 ----',
      'mean acc: 0.232131',
      'mean loss: 2.717992',
      '**** EVAL EPOCH 000 START****',
      ' ---- batch: 010 ----',
      'eval mean acc: 0.725317',
      'eval mean loss: 0.824548',
      '**** EVAL EPOCH 000 END****',
      '**** EPOCH 001 ****',
      'mean acc: 0.385868',
      'mean loss: 1.968260',
      '',
    ].join('\n'),
    steps: [0, 0, 1],
    loss: [2.717992, undefined, 1.96826],
    valLoss: [undefined, 0.824548, undefined],
  },
  {
    name: "the PyTorch GAN tutorials' loss_g and loss_d: the first is read (sweep s18, ShtiliyanUzunov/proj_cat_gan)",
    text: 'Epoch [1/10], loss_g: 2.9836, loss_d: 0.4011, real_score: 0.8093, fake_score: 0.1636\nEpoch [2/10], loss_g: 5.1712, loss_d: 0.4551, real_score: 0.8135, fake_score: 0.1895\n',
    steps: [1, 2],
    loss: [2.9836, 5.1712],
  },
  {
    name: "YOLOv5's results.txt: no header, the total by position, the validation parts summed (sweep s18, ssong86/YOLOv5-PyTorch-wildfire)",
    text: [
      '       0/2     5.12G    0.1256   0.04029   0.03113    0.1971        25       640         0         0  0.002948 0.0007939    0.1139   0.03296   0.02987',
      '       1/2     5.14G    0.1217    0.0379    0.0303    0.1899        24       640         0         0  0.004346  0.001063    0.1122   0.02928   0.02932',
      '',
    ].join('\n'),
    steps: [0, 1],
    loss: [0.1971, 0.1899],
    valLoss: [0.1139 + 0.03296 + 0.02987, 0.1122 + 0.02928 + 0.02932],
  },
  {
    name: 'no epoch or step printed: each line that prints a loss is a step',
    text: 'loss: 0.9\nloss: 0.7\nloss: 0.6\n',
    steps: [1, 2, 3],
    loss: [0.9, 0.7, 0.6],
  },
];

describe('readLog: printed lines of name: value pairs', () => {
  it.each(cases)('$name', async ({ text, steps, loss, valLoss, learningRate }) => {
    const log = await readLog(logFile('train.log', text));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => row.step)).toEqual(steps);
    expect(log.rows.map((row) => row.loss)).toEqual(loss);
    if (valLoss !== undefined) expect(log.rows.map((row) => row.valLoss)).toEqual(valLoss);
    if (learningRate !== undefined) expect(log.rows.map((row) => row.learningRate)).toEqual(learningRate);
  });

  it.each([
    ['prose with numbers but no loss', 'Started at 12:30 with 4 workers\nbatch size: 32\n'],
    ['one line of a loss among many without', 'loss: 0.5\nsomething else\nmore text\n'],
    ['a percentage is not a value', 'loss 12%\nloss 11%\n'],
    ['a version is not a value', 'loss 1.2.3 installed\nloss 1.2.4 installed\n'],
    ['quoted text is not a value', "{'loss': 'mse'}\n{'loss': 'ce'}\n"],
    ['a step, a split and a number among other words', '3 train 0.5 seconds\n4 train 0.4 seconds\n'],
    ['a count, a word and a number', '12 apples 0.5\n13 apples 0.4\n'],
    [
      "loss_log.txt's parenthesis with no loss after it",
      '(epoch: 1, iters: 100, time: 2.416, data: 9.430) \n(epoch: 1, iters: 200, time: 2.386, data: 0.001) \n',
    ],
    [
      "YOLOv5's 15 columns without its epoch/last first",
      '  0.1256 0.04029 0.03113 0.1971 25 640 0 0 0.002948 0.0007939 0.1139 0.03296 0.02987 0.1 0.2\n  0.1217 0.0379 0.0303 0.1899 24 640 0 0 0.004346 0.001063 0.1122 0.02928 0.02932 0.1 0.2\n',
    ],
    [
      "a run's closing metrics as one pretty-printed JSON object (sweep s18, Sgm27/MMS-Finetune-Code)",
      '{\n  "training_metrics": {\n    "train_loss_disc": 2.47,\n    "train_loss_mel": 0.56\n  },\n  "step": 100\n}\n',
    ],
    [
      "a parenthesis like loss_log.txt's, then prose",
      '(epoch: 1, iters: 100, time: 2.4) ok: fine\n(epoch: 1, iters: 200, time: 2.3) ok\n',
    ],
  ])('not a printed log: %s', async (_name, text) => {
    await expect(readLog(logFile('notes.txt', text))).rejects.toThrow(DataError);
  });
});

/** Lines modelled on bench log 187 (Python logging, a summary line per epoch and phase, batch lines in between). */
function resnetEpoch(epoch: number, last: number, train: number, val: number): string[] {
  const at = '2018-01-27 10:42:38,904 INFO    : ';
  return [
    `${at}train --- Current batch:200/1600  loss:[ 0.59166753]`,
    `${at}train --- Current batch:1600/1600  loss:[ 0.64459741]`,
    `${at}Epoch [${epoch}]/[${last}] \t Training Phase Loss: ${train} \t Accuracy: 0.5862`,
    `${at}Save module: checkpoints/${epoch}_train_state.pth`,
    `${at}val --- Current batch:200/400  loss:[ 0.52473968]`,
    `${at}val --- Current batch:400/400  loss:[ 0.29102319]`,
    `${at}Epoch [${epoch}]/[${last}] \t Validation Phase Loss: ${val} \t Accuracy: 0.6860`,
  ];
}

describe('readLog: printed phase words and per-batch lines', () => {
  it.each([
    [
      'a logging line of a validation batch (bench log 187)',
      '2018-01-27 10:42:48,972 INFO    : val --- Current batch:200/400  loss:[ 0.52473968]',
      undefined,
      0.52473968,
    ],
    ['a bracketed phase', '[eval] loss: 0.31', undefined, 0.31],
    ['a phase word then a colon', 'Validation: loss 0.4, accuracy 0.8', undefined, 0.4],
    ["PyTorch's MNIST example's test line", 'Test set: Average loss: 0.0003, Accuracy: 9837/10000', undefined, 0.0003],
    ['two phases on one line, each naming the values after it', 'epoch 3 train: loss 0.5 | valid: loss 0.6', 0.5, 0.6],
    [
      'a training batch line stays training',
      '2018-01-27 10:38:45,165 INFO    : train --- Current batch:200/1600  loss:[ 0.59166753]',
      0.59166753,
      undefined,
    ],
    ["a script's file name is not a phase", '[eval.py:45] loss: 0.5', 0.5, undefined],
    ['names that say their split keep it', 'step 0: train loss 4.2000, val loss 4.2100', 4.2, 4.21],
    [
      'a split named inside a name holds for the bare loss after it (bench log 317)',
      '2023.01.18 17:15:04 [Epoch: 01] Valid acc: 0.8429 | loss: 9.4068',
      undefined,
      9.4068,
    ],
    [
      'and a training one likewise',
      '2023.01.18 17:14:14 [Epoch: 01] Train acc: 0.8006 | loss: 11.1589',
      11.1589,
      undefined,
    ],
  ])('%s', async (_name, text, loss, valLoss) => {
    const [row] = (await readLog(logFile('phase.log', `${text}\n`))).rows;
    expect(row?.loss).toBe(loss);
    expect(row?.valLoss).toBe(valLoss);
  });

  it.each([
    {
      name: 'batch counters restarting each epoch are not a resume: the epoch summaries are the records',
      epochs: [resnetEpoch(0, 2, 0.0699, 0.0597), resnetEpoch(1, 2, 0.0655, 0.056), resnetEpoch(2, 2, 0.0614, 0.0541)],
      segments: 1,
      loss: [0.0699, 0.0655, 0.0614],
      valLoss: [0.0597, 0.056, 0.0541],
    },
    {
      name: 'a run resumed at the next epoch (199 then 200, a new total) continues the run',
      epochs: [
        resnetEpoch(198, 199, 0.0374, 0.0268),
        resnetEpoch(199, 199, 0.0375, 0.0277),
        resnetEpoch(200, 249, 0.0467, 0.032),
      ],
      segments: 1,
      loss: [0.0374, 0.0375, 0.0467],
      valLoss: [0.0268, 0.0277, 0.032],
    },
    {
      name: 'a run started again at epoch 0 is a new segment',
      epochs: [resnetEpoch(0, 1, 0.07, 0.06), resnetEpoch(1, 1, 0.065, 0.056), resnetEpoch(0, 1, 0.08, 0.07)],
      segments: 2,
      loss: [0.07, 0.065, 0.08],
      valLoss: [0.06, 0.056, 0.07],
    },
  ])('$name', async ({ epochs, segments, loss, valLoss }) => {
    const log = await readLog(logFile('resnet.log', `${epochs.flat().join('\n')}\n`));
    expect(log.rows.flatMap((row) => (row.loss === undefined ? [] : [row.loss]))).toEqual(loss);
    expect(log.rows.flatMap((row) => (row.valLoss === undefined ? [] : [row.valLoss]))).toEqual(valLoss);
    expect(splitSegments(log.rows)).toHaveLength(segments);
    expect(log.notes[0]).toMatch(/^12 per-batch loss lines/);
  });

  it('lines with an epoch and a step within it are per-batch beside epoch summaries (bench log 316)', async () => {
    const epoch = (n: number, train: number, val: number) => [
      `Epoch [${n}/3], Step [10/99], Loss: 0.4049`,
      `Epoch [${n}/3], Step [20/99], Loss: 0.3309`,
      `Epoch [${n}/3], Train Loss: ${train}, Train Acc: 0.9405, Val Loss: ${val}, Val Acc: 0.9268`,
    ];
    const text = [epoch(1, 0.4342, 0.4097), epoch(2, 0.3574, 0.3692), epoch(3, 0.3525, 0.3514)].flat().join('\n');
    const log = await readLog(logFile('epochs.log', `${text}\n`));
    expect(log.byEpoch).toBe(true);
    expect(log.rows.map((row) => row.step)).toEqual([1, 2, 3]);
    expect(log.rows.map((row) => row.loss)).toEqual([0.4342, 0.3574, 0.3525]);
    expect(log.rows.map((row) => row.valLoss)).toEqual([0.4097, 0.3692, 0.3514]);
    expect(splitSegments(log.rows)).toHaveLength(1);
    expect(log.notes[0]).toMatch(/^6 per-batch loss lines/);
  });

  it('a line with its epoch, its step and only held-out losses is the evaluation at that epoch (Joey NMT, bench log 633)', async () => {
    const epoch = (n: number, step: number, train: number, val?: number) => [
      `2020-05-12 17:06:49,000 Epoch  ${n} Step:     ${step} Batch Loss:     0.182109 Tokens per Sec:     8909, Lr: 0.000200`,
      ...(val === undefined
        ? []
        : [
            `2020-05-12 17:07:12,782 Validation result (greedy) at epoch  ${n}, step     ${step}: token_accuracy:   6.22, loss: ${val}, ppl:  22.9588, duration: 11.6068s`,
          ]),
      `2020-05-12 17:07:37,404 Epoch  ${n}: total training loss ${train}`,
    ];
    const text = [epoch(1, 200, 813.29), epoch(2, 400, 612.04, 38782.66), epoch(3, 600, 500.47, 49468.65)].flat();
    const log = await readLog(logFile('train.log', `${text.join('\n')}\n`));
    expect(log.byEpoch).toBe(true);
    expect(log.rows.map((row) => [row.step, row.loss ?? row.valLoss])).toEqual([
      [1, 813.29],
      [2, 38782.66],
      [2, 612.04],
      [3, 49468.65],
      [3, 500.47],
    ]);
    expect(splitSegments(log.rows)).toHaveLength(1);
  });

  it('a line with its epoch, its step and a training loss stays a batch line beside epoch summaries', async () => {
    const text = ['Epoch 1: loss 0.9', 'Epoch 2 Step 40: loss 0.7, val_loss 0.8', 'Epoch 2: loss 0.6'].join('\n');
    const log = await readLog(logFile('train.log', `${text}\n`));
    expect(log.rows.map((row) => row.loss)).toEqual([0.9, 0.6]);
    expect(log.rows.map((row) => row.valLoss)).toEqual([undefined, undefined]);
  });

  it("a tqdm bar's per-batch training loss is each epoch's mean over its batches; validation values are the epoch's last (bench log 430)", async () => {
    const text = [
      'Epoch 0:   0%|          | 0/4 [00:00<?, ?it/s]',
      bar(0, 1, 'train_loss=0.800'),
      bar(0, 2, 'train_loss=0.600'),
      bar(0, 2, 'train_loss=0.400'),
      bar(0, 3, 'train_loss=0.200'),
      bar(0, 4, 'train_loss=0.600'),
      bar(0, 4, 'train_loss=0.600, val_loss=0.700'),
      bar(1, 1, 'train_loss=0.300, val_loss=0.700'),
      bar(1, 2, 'train_loss=0.100, val_loss=0.700'),
      bar(1, 2, 'train_loss=0.100, val_loss=0.500'),
    ].join('\r');
    const log = await readLog(logFile('bar.txt', `${text}\n`));
    expect(log.byEpoch).toBe(true);
    expect(log.rows.map((row) => row.step)).toEqual([0, 1]);
    expect(log.rows.map((row) => row.loss)).toEqual([0.5, 0.2]);
    expect(log.rows.map((row) => row.valLoss)).toEqual([0.7, 0.5]);
    expect(log.notes[0]).toMatch(/"train_loss" as a progress bar shows it/);
  });

  it("a tqdm bar stopped short of its total (a run stopped inside its last epoch) does not carry the epoch before's validation values as its own", async () => {
    const text = [
      bar(0, 1, 'train_loss=0.800'),
      bar(0, 4, 'train_loss=0.600'),
      bar(0, 4, 'train_loss=0.600, val_loss=0.700, val_acc=0.500'),
      bar(1, 1, 'train_loss=0.300, val_loss=0.700, val_acc=0.500'),
      bar(1, 2, 'train_loss=0.100, val_loss=0.700, val_acc=0.500'),
    ].join('\r');
    const log = await readLog(logFile('bar-stopped.txt', `${text}\n`));
    expect(log.rows.map((row) => [row.step, row.loss, row.valLoss])).toEqual([
      [0, 0.7, 0.7],
      [1, 0.2, undefined],
    ]);
    expect(log.rows[1]!.valAccuracy).toBeUndefined();
  });

  it("a tqdm bar stopped short of its total keeps a training value unchanged since its first refresh: a constant learning rate is the epoch's own", async () => {
    const text = [
      bar(0, 4, 'lr=1e-07, train_loss=0.600, val_loss=0.700'),
      bar(1, 1, 'lr=1e-07, train_loss=0.300, val_loss=0.700'),
      bar(1, 2, 'lr=1e-07, train_loss=0.100, val_loss=0.700'),
    ].join('\r');
    const log = await readLog(logFile('bar-stopped-rate.txt', `${text}\n`));
    expect(log.rows.map((row) => [row.step, row.learningRate])).toEqual([
      [0, 1e-7],
      [1, 1e-7],
    ]);
  });

  it("a log that is one tqdm bar stopped short, showing only the epoch before's validation values, says so", async () => {
    const text = [bar(5, 1, 'val_loss=0.500, val_acc=0.800'), bar(5, 2, 'val_loss=0.500, val_acc=0.800')].join('\r');
    const read = readLog(logFile('bar-only-carried.txt', `${text}\n`));
    await expect(read).rejects.toThrow(DataError);
    await expect(read).rejects.toThrow(/stops short of its total and shows only val_loss, val_acc unchanged/);
  });

  it.each([
    ['a line of its own epoch', 'Epoch 0: val_loss=0.650'],
    [
      "Lightning's checkpoint message",
      "Epoch 0, global step 3: 'val_loss' reached 0.65000 (best 0.65000), saving model",
    ],
  ])('a tqdm bar stays one epoch across %s printed between its refreshes', async (_, line) => {
    const text = [bar(0, 1, 'train_loss=0.800'), bar(0, 2, 'train_loss=0.400'), bar(0, 3, 'train_loss=0.200')].join(
      '\r',
    );
    const after = bar(0, 4, 'train_loss=0.600, val_loss=0.650');
    const log = await readLog(logFile('bar-interrupted.txt', `${text}\n${line}\n${after}\n`));
    const [segment, ...more] = splitSegments(log.rows);
    expect(more).toEqual([]);
    expect(segment!.map((row) => [row.step, row.loss, row.valLoss])).toEqual([[0, 0.5, 0.65]]);
  });

  it('a nan batch loss after the last summary (a run stopped mid-epoch) is read, at the epoch in progress', async () => {
    const lines = [...resnetEpoch(4, 9, 0.05, 0.04), 'INFO    : train --- Current batch:200/1600  loss:[ nan]'];
    const log = await readLog(logFile('diverged.log', `${lines.join('\n')}\n`));
    expect(log.rows.at(-1)).toMatchObject({ step: 5, loss: Number.NaN });
  });
});

/** A refresh of Lightning's tqdm bar for an epoch of 4 batches, its postfix after `v_num`. */
const bar = (epoch: number, batch: number, postfix: string) =>
  `Epoch ${epoch}:  ${batch * 25}%|##        | ${batch}/4 [00:0${batch}<00:01,  1.33it/s, v_num=4dq3, ${postfix}]`;

/** Lines in the style of bench log 231 (Python logging of `name=value` pairs after a long header, checkpoint lines). */
function settingsHeader(lines: number): string[] {
  return Array.from({ length: lines }, (_, k) => `2026-05-08 22:39:24 | INFO |   Setting ${k}   : ${k}`);
}
const kvEpoch = (epoch: number, train: number, val: number) =>
  `2026-05-08 22:49:56 | INFO | Epoch [${String(epoch).padStart(3, '0')}/30] TrainLoss=${train} TrainAcc=48.54% | ValLoss=${val} ValAcc=60.94% | LR=1.00e-04 | Time=480.3s`;
const loaded = (epoch: number, val: number) =>
  `2026-05-08 23:00:00 | INFO | [Checkpoint] Loaded <- results/models/best_model.pth  (epoch=${epoch}, val_loss=${val})`;

describe('readLog: printed name=value pairs after a long header', () => {
  it('reads epochs past the first 50 lines, and a checkpoint line that restates an epoch is no record', async () => {
    const lines = [
      ...settingsHeader(60),
      kvEpoch(1, 1.8695, 1.3028),
      kvEpoch(2, 1.5289, 1.1843),
      loaded(2, 1.1843),
      kvEpoch(3, 1.4, 1.2),
      loaded(2, 1.1843),
    ];
    const log = await readLog(logFile('kv.log', `${lines.join('\r\n')}\r\n`));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => row.step)).toEqual([1, 2, 3]);
    expect(log.rows.map((row) => row.loss)).toEqual([1.8695, 1.5289, 1.4]);
    expect(log.rows.map((row) => row.valLoss)).toEqual([1.3028, 1.1843, 1.2]);
    expect(log.rows.map((row) => row.learningRate)).toEqual([1e-4, 1e-4, 1e-4]);
  });

  it('a resumed run that trains an epoch again, with other losses, is read', async () => {
    const lines = [kvEpoch(1, 1.8, 1.3), kvEpoch(2, 1.5, 1.2), loaded(1, 1.3), kvEpoch(2, 1.1, 1.25)];
    const log = await readLog(logFile('resumed.log', `${lines.join('\n')}\n`));
    expect(log.rows.map((row) => row.step)).toEqual([1, 2, 2]);
    expect(log.rows.map((row) => row.loss)).toEqual([1.8, 1.5, 1.1]);
  });
});
