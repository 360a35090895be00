import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { DataError, UsageError } from '../../src/errors.js';
import { readLog } from '../../src/logs/read-log.js';
import { halfToNumber } from '../../src/logs/tensorboard-event.js';
import { chooseTags, runOfTags, tagName } from '../../src/logs/tfevents-tags.js';
import { eachTfRecord, startsWithTfRecord } from '../../src/logs/tfrecord.js';

function readTfRecords(bytes: Buffer, shown: string) {
  const records: { data: Uint8Array; offset: number }[] = [];
  const truncatedAt = eachTfRecord(bytes, shown, (data, offset) => records.push({ data, offset }));
  return { records, truncatedAt };
}

/** One record framed as record_writer.h does, with napi-rs' CRC-32C (tfrecord.ts reads small records with another). */
function tfRecordOf(data: Buffer): Buffer {
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(data.length));
  const masked = (bytes: Buffer) => {
    const crc = crc32c(bytes);
    const out = Buffer.alloc(4);
    out.writeUInt32LE(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
    return out;
  };
  return Buffer.concat([length, masked(length), data, masked(data)]);
}

/** Written by scripts/make-tfevents.py (protoc + Google's protobuf runtime), one by TensorFlow itself: fixtures/logs/README.md. */
const EVENTS = path.resolve(import.meta.dirname, '../../fixtures/logs/tensorboard-events');
const DIVERGING = path.join(EVENTS, 'diverging/events.out.tfevents.1700001000.trainer.505.0');
const REAL = path.join(EVENTS, 'real-tf2/events.out.tfevents.1585499054.Jaakkos-Mac-mini.local.11684.5.v2');

describe('TFRecord framing', () => {
  const bytes = readFileSync(DIVERGING);
  const whole = readTfRecords(bytes, 'diverging');
  const boundaries = new Set([...whole.records.map(({ offset }) => offset), bytes.length]);

  it('reads every record of a whole file: the version event and one per step', () => {
    expect(whole).toMatchObject({ truncatedAt: null });
    expect(whole.records).toHaveLength(9);
  });

  it('reads a file cut anywhere as the records before the cut, and says where the cut record starts', () => {
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      const { records, truncatedAt } = readTfRecords(bytes.subarray(0, cut), 'cut');
      expect(records.map(({ offset }) => offset)).toEqual(
        whole.records.filter(({ offset, data }) => offset + 16 + data.length <= cut).map(({ offset }) => offset),
      );
      expect(truncatedAt === null).toBe(boundaries.has(cut) || cut === 0);
    }
  });

  it('catches every one-byte change with its offset: both checksums are checked', () => {
    for (let at = 0; at < bytes.length; at += 1) {
      const damaged = Buffer.from(bytes);
      damaged[at]! ^= 0x01;
      const start = Math.max(...whole.records.map(({ offset }) => offset).filter((offset) => offset <= at));
      expect(() => readTfRecords(damaged, 'damaged')).toThrow(new RegExp(`^damaged: at byte ${start}, `));
    }
  });

  it.each([0, 1, 63, 255, 256, 4096])('checks the data checksum of a %i-byte record', (length) => {
    const data = Buffer.from(Array.from({ length }, (_, index) => (index * 31) % 256));
    const file = tfRecordOf(data);
    expect(readTfRecords(file, 'whole').records.map((record) => Buffer.from(record.data))).toEqual([data]);
    const damaged = Buffer.from(file);
    damaged[damaged.length - 5]! ^= 0x80;
    expect(() => readTfRecords(damaged, 'damaged')).toThrow(/^damaged: at byte 0, the record's (data|length) checksum/);
  });

  it('recognizes the framing by content, also of a file TensorFlow wrote, and nothing else', () => {
    expect(startsWithTfRecord(readFileSync(REAL))).toBe(true);
    expect(startsWithTfRecord(Buffer.from('epoch,loss,val_loss\n0,1,1\n'))).toBe(false);
    expect(startsWithTfRecord(bytes.subarray(0, 11))).toBe(false);
  });
});

describe('half-precision scalars (IEEE 754 binary16)', () => {
  it.each([
    [0x3c00, 1],
    [0xc000, -2],
    [0x7bff, 65504],
    [0x0400, 2 ** -14],
    [0x0001, 2 ** -24],
    [0x03ff, 1023 * 2 ** -24],
    [0x0000, 0],
    [0x211f, 0.01000213623046875],
    [0x7c00, Number.POSITIVE_INFINITY],
    [0xfc00, Number.NEGATIVE_INFINITY],
    [0x7e00, Number.NaN],
  ])('bits %i are %s', (bits, value) => {
    expect(halfToNumber(bits)).toBe(value);
  });
});

describe('TensorBoard tags', () => {
  it.each([
    { names: ['loss', 'val_loss', 'lr'], fields: { loss: 'loss', val_loss: 'valLoss', lr: 'learningRate' } },
    {
      names: ['Loss/train', 'Loss/val', 'grad_norm'],
      fields: { 'Loss/train': 'loss', 'Loss/val': 'valLoss', grad_norm: 'gradNorm' },
    },
    { names: ['train/loss', 'validation/loss'], fields: { 'train/loss': 'loss', 'validation/loss': 'valLoss' } },
    // Keras: per-batch and per-epoch losses; the epoch means are the loss, the batches' read beside them.
    {
      names: ['batch_loss', 'epoch_loss', 'validation/epoch_loss', 'epoch_learning_rate'],
      fields: {
        epoch_loss: 'loss',
        batch_loss: 'stepLoss',
        'validation/epoch_loss': 'valLoss',
        epoch_learning_rate: 'learningRate',
      },
    },
    { names: ['batch_loss', 'epoch_loss'], fields: { epoch_loss: 'loss', batch_loss: 'stepLoss' } },
    // Lightning's TensorBoardLogger with on_step and on_epoch.
    {
      names: ['train_loss_step', 'epoch', 'train_loss_epoch', 'val_loss'],
      fields: { train_loss_epoch: 'loss', train_loss_step: 'stepLoss', val_loss: 'valLoss' },
    },
  ])('$names', ({ names, fields }) => {
    expect(Object.fromEntries(chooseTags(names, 'run').fields)).toEqual(fields);
  });

  it.each([
    ['validation', 'epoch_loss', 'validation/epoch_loss'],
    ['eval', 'loss', 'eval/loss'],
    ['train', 'epoch_loss', 'epoch_loss'],
    ['validation', 'val_loss', 'val_loss'],
    // The run folder itself, whatever it is called: its tags are read as they are.
    ['', 'loss', 'loss'],
    // SummaryWriter.add_scalars('Loss', {'train': ..., 'val': ...}) and add_scalars('train/loss', {'total': ...}).
    ['Loss_train', 'Loss', 'Loss/train'],
    ['Loss_val', 'Loss', 'Loss/val'],
    ['train_loss_total', 'train/loss', 'train/loss/total'],
  ])('a tag of run %s named %s is chosen as %s', (run, tag, name) => {
    expect(tagName(run, tag)).toBe(name);
  });

  it.each([
    { run: '', tags: ['epoch_loss', 'evaluation_loss_vs_iterations'], writtenTo: 'validation' },
    { run: 'logs', tags: ['evaluation_accuracy_vs_iterations', 'epoch_accuracy'], writtenTo: 'validation' },
    // Keras' train writer: epoch and batch scalars, never an evaluation_* one.
    { run: '', tags: ['epoch_loss', 'batch_loss', 'epoch_learning_rate'], writtenTo: '' },
    { run: 'train', tags: ['epoch_loss'], writtenTo: 'train' },
    { run: 'eval', tags: ['loss', 'evaluation_loss_vs_iterations'], writtenTo: 'eval' },
  ])('the tags $tags of run "$run" were written to "$writtenTo"', ({ run, tags, writtenTo }) => {
    expect(runOfTags(run, tags)).toBe(writtenTo);
  });

  it('reads a validation loss with no training loss beside it as that loss, with the held-out accuracy', () => {
    const choice = chooseTags(['validation/epoch_loss', 'validation/epoch_accuracy', 'epoch_learning_rate'], 'run');
    expect(Object.fromEntries(choice.fields)).toEqual({
      'validation/epoch_loss': 'valLoss',
      'validation/epoch_accuracy': 'valAccuracy',
    });
    expect(choice.byEpoch).toBe(true);
  });

  it('takes --tag as the training loss, and says which tags there are when it is not one', () => {
    expect(chooseTags(['my_metric'], 'run', 'my_metric').fields).toEqual(new Map([['my_metric', 'loss']]));
    expect(() => chooseTags(['my_metric'], 'run')).toThrow(
      /no scalar tag names a training loss \(scalar tags: my_metric\)/,
    );
    expect(() => chooseTags(['loss'], 'run', 'Loss')).toThrow(/no scalar tag "Loss" \(scalar tags: loss\)/);
  });
});

describe('readLog: TensorBoard event files', () => {
  it('reads tensor scalars of every dtype: float, double (tensor_content), half', async () => {
    const log = await readLog(path.join(EVENTS, 'pytorch-run'));
    expect(log.format).toBe('tensorboard-events');
    const first = log.rows[0]!;
    expect(first.loss).toBeCloseTo(2.4, 6);
    // 0.01 as a half-precision float.
    expect(first.learningRate).toBe(0.01000213623046875);
    const evaluated = log.rows.find((row) => row.valLoss !== undefined)!;
    expect({ step: evaluated.step, valLoss: evaluated.valLoss }).toEqual({
      step: 19,
      valLoss: 2.3 * Math.exp(-19 / 70) + 0.15,
    });
  });

  it("reads TensorFlow's own TF 2 scalar tensors (a real file) with --tag", async () => {
    const log = await readLog(path.dirname(REAL), { tag: 'my_metric' });
    expect(log.rows.map(({ step, loss }) => [step, loss])).toEqual(
      Array.from({ length: 100 }, (_, step) => [step, 0.5 * step]),
    );
    expect(log.rows[0]!.wallTime).toBeCloseTo(1_585_499_054.133, 2);
  });

  it('reads one file of a Keras run when that file is named, and the whole run from its folder', async () => {
    const train = await readLog(path.join(EVENTS, 'keras-run/train'));
    expect(train.rows.some((row) => row.valLoss !== undefined)).toBe(false);
    const run = await readLog(path.join(EVENTS, 'keras-run'));
    expect(run.rows).toHaveLength(20);
    expect(run.rows.every((row) => row.loss !== undefined && row.valLoss !== undefined)).toBe(true);
    expect(run.byEpoch).toBe(true);
  });

  it("reads Keras' validation writer alone, out of its folder, as a validation loss (a real file)", async () => {
    const log = await readLog(path.join(EVENTS, 'keras-validation-writer'));
    expect(log.rows).toHaveLength(13);
    expect(log.rows.every((row) => row.loss === undefined && row.valLoss !== undefined)).toBe(true);
    expect(log.rows[2]!.valLoss).toBeCloseTo(0.5225, 4);
    expect(log.lossColumn).toBeUndefined();
    expect(log.notes).toContain('tag "validation/epoch_loss" read as the validation loss');
  });

  it('finds a run folder nested in the folder given', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'convdoc-tfevents-'));
    cpSync(path.join(EVENTS, 'keras-run'), path.join(parent, 'fit', '20240101-120000'), { recursive: true });
    const log = await readLog(parent);
    expect(log.rows.filter((row) => row.valLoss !== undefined)).toHaveLength(20);
  });

  it('refuses --tag on a log that has no tags or columns', async () => {
    await expect(readLog(path.resolve(EVENTS, '../printed-log.txt'), { tag: 'loss' })).rejects.toThrow(UsageError);
  });

  it('exits on a damaged record with its file and byte, not on an incomplete last one', async () => {
    await expect(readLog(path.join(EVENTS, 'bad-crc'))).rejects.toThrow(DataError);
    await expect(readLog(path.join(EVENTS, 'bad-crc'))).rejects.toThrow(
      /bad-crc\/events\.out\.tfevents\.1700000100\.trainer\.202\.0: at byte 595, /,
    );
    const truncated = await readLog(path.join(EVENTS, 'truncated'));
    expect(truncated.rows).toHaveLength(30);
    expect(truncated.notes[0]).toMatch(/the last record, at byte \d+, is incomplete/);
  });
});
