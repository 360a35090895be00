import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { follow } from './follower.js';
import { ROOT, runCli } from './run-cli.js';

const EVENTS = 'fixtures/logs/tensorboard-events';
const validateReport = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8')),
);

/** Event files written by scripts/make-tfevents.py and one by TensorFlow (fixtures/logs/README.md). */
describe('convdoc analyze on TensorBoard event files', () => {
  it.each([
    // Keras' TensorBoard callback: train/ and validation/, simple_value epoch_loss in both.
    { log: 'keras-run', args: [], axis: 'epoch', segments: 1, symptoms: ['overfitting'] },
    // PyTorch's SummaryWriter, tensor scalars: Loss/train, Loss/val, lr, grad_norm.
    { log: 'pytorch-run', args: [], axis: 'step', segments: 1, symptoms: [] },
    // SummaryWriter.add_scalars('Loss', {train, val}): folders Loss_train/ and Loss_val/, both tagged Loss.
    { log: 'add-scalars-run', args: [], axis: 'step', segments: 1, symptoms: [] },
    // Resumed from its step-20 checkpoint into a second file: two segments, the last judged.
    { log: 'resumed-run', args: [], axis: 'step', segments: 2, symptoms: [] },
    { log: 'truncated', args: [], axis: 'step', segments: 1, symptoms: [] },
    { log: 'diverging', args: [], axis: 'step', segments: 1, symptoms: ['nan-loss', 'lr-too-high'] },
    // Lightning's TensorBoardLogger: train_loss_step and train_loss_epoch at the global step, an epoch tag.
    { log: 'lightning-run', args: [], axis: 'step', segments: 1, symptoms: [] },
    // TensorFlow's own file: its only tag, a metric rising 0.5 a step, read as the loss because --tag says so.
    { log: 'real-tf2', args: ['--tag', 'my_metric'], axis: 'step', segments: 1, symptoms: ['lr-too-high'] },
  ])('$log $args: $symptoms', ({ log, args, axis, segments, symptoms }) => {
    const result = runCli(['analyze', `${EVENTS}/${log}`, '--json', ...args]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.log).toMatchObject({ format: 'tensorboard-events', axis, judged: segments });
    expect(report.log.segments).toHaveLength(segments);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(symptoms);
    expect(result.code).toBe(symptoms.length === 0 ? 0 : 1);
  });

  it('says which tag it read as what, and judges the validation run of a Keras folder', () => {
    const report = JSON.parse(runCli(['analyze', `${EVENTS}/keras-run`, '--json']).stdout);
    expect(report.log.notes).toEqual(
      expect.arrayContaining([
        'tag "epoch_loss" read as the training loss',
        'tag "validation/epoch_loss" read as the validation loss',
      ]),
    );
    expect(report.probe.trace.valLoss).toHaveLength(20);
  });

  it('judges the epoch means of a Lightning run, as in its metrics.csv, and the per-step tag when --tag names it', () => {
    const events = JSON.parse(runCli(['analyze', `${EVENTS}/lightning-run`, '--json']).stdout);
    const csv = JSON.parse(runCli(['analyze', 'fixtures/logs/lightning_logs', '--json']).stdout);
    expect(events.log.notes[0]).toBe(
      '"train_loss_epoch" (each epoch\'s mean) read as the training loss, not "train_loss_step" (each step\'s)',
    );
    expect(events.probe.trace.loss).toHaveLength(10);
    expect(events.probe.trace.loss).toEqual(csv.probe.trace.loss);
    expect(events.probe.trace.step).toEqual(csv.probe.trace.step);
    const perStep = JSON.parse(
      runCli(['analyze', `${EVENTS}/lightning-run`, '--json', '--tag', 'train_loss_step']).stdout,
    );
    expect(perStep.log.notes).toContain('tag "train_loss_step" read as the training loss');
    expect(perStep.probe.trace.loss).toHaveLength(217);
  });

  it.each([
    {
      name: 'a damaged record',
      args: [`${EVENTS}/bad-crc`],
      stderr:
        /^fixtures\/logs\/tensorboard-events\/bad-crc\/events\.out\.tfevents\.1700000100\.trainer\.202\.0: at byte 595, the record's data checksum \(masked CRC-32C\) does not match/,
    },
    {
      name: 'no loss tag',
      args: [`${EVENTS}/real-tf2`],
      stderr: /no scalar tag names a training loss \(scalar tags: my_metric\)\. Pass --tag/,
    },
    {
      name: 'an unknown --tag',
      args: [`${EVENTS}/keras-run`, '--tag', 'Loss'],
      stderr: /no scalar tag "Loss" \(scalar tags: epoch_loss, /,
    },
    {
      name: '--tag on a printed log',
      args: ['fixtures/logs/printed-log.txt', '--tag', 'loss'],
      stderr: /--tag names the loss column of a CSV or JSON Lines log or the loss tag of a TensorBoard event file; /,
    },
  ])('exits 2 on $name with one line', ({ args, stderr }) => {
    const result = runCli(['analyze', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(stderr);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});

/** The byte ranges of a TFRecord file's records: uint64 length, 4-byte CRC, data, 4-byte CRC. */
function recordsOf(bytes: Buffer): Buffer[] {
  const records: Buffer[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const end = offset + 16 + Number(bytes.readBigUInt64LE(offset));
    records.push(bytes.subarray(offset, end));
    offset = end;
  }
  return records;
}

/** The number of records after which the run first reads as critical: analyze on each prefix. */
function firstCriticalRecord(records: readonly Buffer[], directory: string): number {
  const prefix = path.join(directory, 'events.out.tfevents.prefix');
  for (let count = 2; count <= records.length; count += 1) {
    writeFileSync(prefix, Buffer.concat(records.slice(0, count)));
    if (runCli(['analyze', prefix]).code === 1) return count;
  }
  throw new Error('the run never reads as critical');
}

describe('convdoc analyze --follow on an event file', () => {
  it('exits 1 within 2 s of the first critical record a writer appends, half records included', async () => {
    const records = recordsOf(readFileSync(`${ROOT}${EVENTS}/diverging/events.out.tfevents.1700001000.trainer.505.0`));
    const directory = mkdtempSync(path.join(tmpdir(), 'convdoc-follow-'));
    const critical = firstCriticalRecord(records, directory);
    const file = path.join(directory, 'events.out.tfevents.1700001000.host.1.0');
    // The version record alone: no scalar yet, so nothing to judge until the writer adds some.
    writeFileSync(file, records[0]!);
    const follower = follow(file, 20);
    await follower.ready;
    let criticalAt = 0;
    // Each record written in two parts 150 ms apart (its header and two bytes, then the rest): the reader meets incomplete records.
    for (let count = 2; count <= records.length; count += 1) {
      const record = records[count - 1]!;
      for (const half of [record.subarray(0, 14), record.subarray(14)]) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        appendFileSync(file, half);
      }
      if (count === critical) criticalAt = Date.now();
    }
    const { code, at } = await follower.exited;
    expect(code).toBe(1);
    expect(criticalAt).toBeGreaterThan(0);
    // Measured when convdoc exits, not when the writer is done: it may still be writing.
    expect(at - criticalAt).toBeLessThan(2000);
    expect(at).toBeGreaterThanOrEqual(criticalAt);
    expect(follower.stderr()).toMatch(/convdoc: critical /);
  }, 30_000);
});
