import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/** A fixture a reader now accepts: read, judged (exit 0 or 1), and the report says with which reader. */
interface ReadRow {
  log: string;
  format: string;
  axis: string;
  note: RegExp | undefined;
  loss?: string;
}

function expectRead({ log, format, axis, note, loss }: ReadRow): void {
  const result = runCli(['analyze', `fixtures/logs/${log}`, '--json']);
  expect(result.stderr).toBe('');
  expect([0, 1]).toContain(result.code);
  const report = JSON.parse(result.stdout);
  expect(report.log).toMatchObject(loss === undefined ? { format, axis } : { format, axis, lossColumn: loss });
  if (note !== undefined) expect(report.log.notes.join('\n')).toMatch(note);
}

/**
 * Real logs that bench set 10 found rejected (exit 2) although they are logs: excerpts copied from
 * them (fixtures/logs/README.md cites each). Read, judged (exit 0 or 1), and the report says how.
 * Their verdicts are the judgment's (test/symptoms), not asserted here.
 */
describe('convdoc analyze reads the logs set 10 rejected', () => {
  it.each([
    { log: 'hf-fractional-epochs.csv', format: 'keras-csv', axis: 'step', note: /holds fractions of an epoch/ },
    { log: 'hf-printed-dicts.txt', format: 'printed', axis: 'step', note: /holds fractions of an epoch/ },
    { log: 'lightning-loss-batch-metrics.csv', format: 'lightning-csv', axis: 'step', note: undefined },
    { log: 'resumed-cut-row.csv', format: 'keras-csv', axis: 'epoch', note: /line 15 skipped: it has 9 fields/ },
    { log: 'long-table.csv', format: 'history-csv', axis: 'epoch', note: /a long table/ },
  ])('$log: $format', expectRead);

  it('still exits 2 on a CSV whose rows are ragged throughout, at the first', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-tolerance-')), 'ragged.csv');
    writeFileSync(file, 'epoch,loss,val_loss\n0,1,1\n1,0.9\n2,0.8,0.9\n3,0.7\n4,0.6,0.7\n');
    const result = runCli(['analyze', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^.*ragged\.csv:3: row has 2 fields but the header has 3 \(line 5 too\)[^\n]*\n$/);
  });
});

/**
 * Real logs that held-out set 11 found rejected (exit 2) although they are logs, post hoc
 * (docs/log-benchmark-11b.md): excerpts copied from them (fixtures/logs/README.md cites each).
 */
describe('convdoc analyze reads the logs set 11 rejected', () => {
  it.each([
    {
      log: 'utf16-printed-log.txt',
      format: 'printed',
      axis: 'epoch',
      note: /27 per-batch loss lines/,
      loss: 'Train Loss',
    },
    { log: 'trl-quoted-dicts.txt', format: 'printed', axis: 'step', note: /holds fractions of an epoch/, loss: 'loss' },
    { log: 'build-nanogpt-log.txt', format: 'printed', axis: 'step', note: undefined, loss: 'train_loss' },
    // Bench log 430's refreshes of a Lightning bar across an epoch's end (session 19): one row per epoch.
    {
      log: 'lightning-progress-bar.txt',
      format: 'printed',
      axis: 'epoch',
      note: /as a progress bar/,
      loss: 'train_loss',
    },
    {
      log: 'multi-task-metrics.csv',
      format: 'lightning-csv',
      axis: 'step',
      note: undefined,
      loss: 'exposure_train_loss',
    },
  ])('$log: $format', expectRead);

  it('still exits 2 on a UTF-16 text that prints no loss, at its first line', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-tolerance-')), 'notes.txt');
    writeFileSync(file, Buffer.from('\uFEFFUsing device: cpu\r\nTrain samples: 1581, Val samples: 396\r\n', 'utf16le'));
    const result = runCli(['analyze', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/notes\.txt:1: not a training log: expected/);
  });
});

/**
 * Real logs that the s17 sweep (docs/log-readers-sweep-s17.md) found rejected (exit 2) although
 * they are logs: copies or first lines of them (fixtures/logs/README.md cites each).
 */
describe('convdoc analyze reads the logs sweep s17 rejected', () => {
  it.each([
    { log: 'sentence-period-log.txt', format: 'printed', axis: 'epoch', note: undefined, loss: 'Loss' },
    { log: 'keras-history.json', format: 'history-json', axis: 'epoch', note: undefined, loss: 'train_loss' },
    {
      log: 'plural-lists-history.json',
      format: 'history-json',
      axis: 'epoch',
      note: /"train_losses" \(a list per epoch\) read as "train_loss"/,
      loss: 'train_loss',
    },
    { log: 'records-history.json', format: 'history-json', axis: 'epoch', note: undefined, loss: 'train_mdn_loss' },
  ])('$log: $format', expectRead);

  it('still exits 2 on a game-metrics CSV with no loss column (TaNaTaNaT/Snake-ML-IA-Game), at its header', () => {
    const result = runCli(['analyze', 'fixtures/logs/not-a-log-game-metrics.csv', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not-a-log-game-metrics\.csv:1: not a training log: expected/);
  });

  it('exits 2 on a Lightning trainer.test() metrics.csv (bench log 11, session 19): one test row, at that row', () => {
    const result = runCli(['analyze', 'fixtures/logs/not-a-log-test-run-metrics.csv', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not-a-log-test-run-metrics\.csv:2: not a training log: one test evaluation/);
  });
});

/**
 * Real logs that the s18 readers sweep found rejected (docs/log-readers-sweep-s18.md): excerpts
 * copied byte for byte (fixtures/logs/README.md cites each), held to their format, axis, loss column
 * and note, not to a verdict.
 */
describe('convdoc analyze reads the logs sweep s18 rejected', () => {
  it.each([
    {
      log: 'cyclegan-loss-log.txt',
      format: 'printed',
      axis: 'step',
      note: /pytorch-CycleGAN-and-pix2pix's loss_log\.txt/,
      loss: 'D_A_loss',
    },
    { log: 'yolov5-results.txt', format: 'printed', axis: 'epoch', note: /YOLOv5's results\.txt/, loss: 'total_loss' },
    { log: 'yolov7-results.txt', format: 'printed', axis: 'epoch', note: /YOLOv5's results\.txt/, loss: 'total_loss' },
    { log: 'pointnet-log-train.txt', format: 'printed', axis: 'epoch', note: undefined, loss: 'mean loss' },
    { log: 'gan-loss-g-loss-d.txt', format: 'printed', axis: 'epoch', note: undefined, loss: 'loss_g' },
    { log: 'tab-separated-history.txt', format: 'history-csv', axis: 'epoch', note: undefined, loss: 'Train_Loss' },
  ])('$log: $format', expectRead);

  it("reads YOLOv7's results.txt validation loss as the sum of its three parts", () => {
    const report = JSON.parse(runCli(['analyze', 'fixtures/logs/yolov7-results.txt', '--json']).stdout);
    expect(report.probe.trace.loss[0]).toBe(1.147);
    expect(report.probe.trace.valLoss[0]).toBeCloseTo(0.1072 + 0.2028 + 0.287, 10);
  });

  it("reads pointnet's evaluation, printed under its own EVAL EPOCH line, as that epoch's validation loss", () => {
    const report = JSON.parse(runCli(['analyze', 'fixtures/logs/pointnet-log-train.txt', '--json']).stdout);
    expect(report.probe.trace.valLoss).toEqual([0.824548]);
  });

  it("still exits 2 on a run's closing metrics saved as one pretty-printed JSON object (Sgm27/MMS-Finetune-Code)", () => {
    const result = runCli(['analyze', 'fixtures/logs/not-a-log-closing-metrics.json', '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/not-a-log-closing-metrics\.json:1: not a training log: expected/);
  });
});

/**
 * Real logs that held-out set 12 found rejected (exit 2) although they are logs, post hoc
 * (docs/log-benchmark-12b.md): excerpts copied from them (fixtures/logs/README.md cites each).
 */
describe('convdoc analyze on the logs set 12 rejected', () => {
  it('reads a Lightning metrics.csv saved again with ";" and decimal commas (bench log 395), and says so', () => {
    const result = runCli(['analyze', 'fixtures/logs/lightning-semicolon-decimal-comma.csv', '--json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.log).toMatchObject({ format: 'lightning-csv', lossColumn: 'train_loss_epoch' });
    expect(report.log.notes.join('\n')).toMatch(/decimal comma .*:2, cells separated by ";"\) read as decimals/);
    expect(report.probe.trace.loss[0]).toBe(0.107383213);
  });

  // Nothing in either file names its columns: which is the loss, or whether there is one, would be a guess.
  it.each([
    { log: 'headerless-three-columns.txt', why: 'a headerless table: index, loss and accuracy both in [0, 1]' },
    { log: 'unnamed-value-iteration.txt', why: 'Epoch: N, then unnamed "value, iteration" pairs' },
  ])('still exits 2 on $why ($log)', ({ log }) => {
    const result = runCli(['analyze', `fixtures/logs/${log}`, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`${log.replace('.', '\\.')}:1: not a training log: expected`));
  });

  it('still exits 2 on a ";"-delimited CSV with no loss column, and on one that mixes decimal commas and points', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-semicolon-'));
    const scores = path.join(folder, 'scores.csv');
    writeFileSync(scores, 'player;score;time\nanna;12,5;3\nbert;11,0;4\n');
    expect(runCli(['analyze', scores, '--json']).code).toBe(2);
    const mixed = path.join(folder, 'metrics.csv');
    writeFileSync(mixed, 'epoch;train_loss\n0;1,5\n1;1.2\n2;0,9\n3;0,8\n');
    const result = runCli(['analyze', mixed, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /metrics\.csv:3: numbers written with a decimal comma \(.*:2\) and with a decimal point/,
    );
  });
});

/**
 * Printed logs as held-out set 15 showed them rejected (session 20, post hoc; logs 573 and 579):
 * minimal synthetic fixtures of the two shapes (fixtures/logs/README.md).
 */
describe('convdoc analyze reads the printed shapes set 15 rejected', () => {
  it('reads Chinese names and a validation line apart from its epoch, and finds the overfitting', () => {
    const result = runCli(['analyze', 'fixtures/logs/chinese-printed-log.txt', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.log).toMatchObject({ format: 'printed', axis: 'epoch' });
    expect(report.probe.trace.valLoss).toEqual([0.7315, 0.684, 0.7012, 0.7488, 0.8106, 0.879]);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(['overfitting']);
  });

  it('reads the bare numbers after train and val on each epoch line as their losses', () => {
    const result = runCli(['analyze', 'fixtures/logs/bare-split-losses.txt', '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.log).toMatchObject({ format: 'printed', axis: 'epoch', lossColumn: 'train loss' });
    expect(report.probe.trace.loss[0]).toBe(1.421);
    expect(report.probe.trace.valLoss[0]).toBe(1.3875);
  });
});

/**
 * Real logs that held-out set 16b found rejected (exit 2) although they are ordinary training logs
 * (session 21, post hoc; logs 629, 634, 641, 643, 645): copies and excerpts (fixtures/logs/README.md).
 */
describe('convdoc analyze reads the logs set 16b rejected', () => {
  it.each<ReadRow>([
    {
      log: 'history-wrapped-records.json',
      format: 'history-json',
      axis: 'epoch',
      note: /the records under "history" read as the history/,
      loss: 'train_loss',
    },
    { log: 'printed-table-pipes.txt', format: 'printed', axis: 'epoch', note: /a printed table read/, loss: 'tr_loss' },
    {
      log: 'losses-split-columns.csv',
      format: 'history-csv',
      axis: 'epoch',
      note: /"train", "valid", "total" read as losses/,
      loss: 'train_loss',
    },
    { log: 'losses-headerless.csv', format: 'history-csv', axis: 'step', note: /no header/, loss: 'loss' },
    { log: 'losses-gan.csv', format: 'history-csv', axis: 'epoch', note: /"Generator" judged/, loss: 'Generator_loss' },
  ])('reads $log', (row) => expectRead(row));

  it('still exits 2 on a CSV named for losses whose columns are no losses (loss_weights.csv), at its header', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'convdoc-tolerance-')), 'loss_weights.csv');
    writeFileSync(file, 'class,weight\n0,1.2\n1,0.8\n2,1.0\n');
    const result = runCli(['analyze', file, '--json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/loss_weights\.csv:1: not a training log: expected/);
  });

  it('reads the validation loss of a printed table from its va_ column', () => {
    const report = JSON.parse(runCli(['analyze', 'fixtures/logs/printed-table-pipes.txt', '--json']).stdout);
    expect(report.probe.trace.valLoss.slice(0, 3)).toEqual([1.638, 1.534, 1.474]);
  });
});

/**
 * Real logs that held-out set 16a found rejected (exit 2) although they are logs (post hoc, session
 * 21): a printed tensor in each cell, numbers inside logging records' messages, a byte-order mark.
 */
describe('convdoc analyze reads the logs set 16a rejected', () => {
  it.each([
    { log: 'printed-tensor-losses.csv', format: 'history-csv', axis: 'epoch', note: undefined, loss: 'Train_loss' },
    { log: 'logging-records.json', format: 'printed', axis: 'epoch', note: /logging records/, loss: 'Loss' },
    { log: 'bom-history.json', format: 'history-json', axis: 'epoch', note: undefined, loss: 'loss' },
  ])('$log: $format', expectRead);
});
