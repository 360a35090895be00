import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { ROOT, runCli } from './run-cli.js';

const validateReport = new Ajv2020({ strict: false }).compile(
  JSON.parse(readFileSync(`${ROOT}schema/report.schema.json`, 'utf8')),
);

/** Real public logs (fixtures/logs/README.md cites each): the format found by content, the verdict, the segments. */
describe('convdoc analyze on real logs of every format', () => {
  it.each([
    { log: 'keras-windows-append.csv', format: 'keras-csv', axis: 'epoch', segments: 2, symptoms: [] },
    // Log 28 of the benchmark (mild overfitting): GL5 on the mean of its last three epochs.
    { log: 'keras-crcrlf.log', format: 'keras-csv', axis: 'epoch', segments: 1, symptoms: ['overfitting'] },
    { log: 'lightning_logs', format: 'lightning-csv', axis: 'step', segments: 1, symptoms: [] },
    { log: 'lightning-step-epoch-metrics.csv', format: 'lightning-csv', axis: 'step', segments: 1, symptoms: [] },
    { log: 'hf-output', format: 'hf-trainer-state', axis: 'step', segments: 1, symptoms: [] },
    { log: 'nanollama-log.jsonl', format: 'jsonl', axis: 'step', segments: 1, symptoms: ['overfitting'] },
    { log: 'nested-log.jsonl', format: 'jsonl', axis: 'epoch', segments: 2, symptoms: [] },
    // Bench log 438's first 6 lines: a run-config record (flags, names) passed over; `loss` null at step 0 is
    // Python's None (no loss before training), not a NaN; the loss jumps 0.0074 -> 2.02 -> 0.011 -> 1.39.
    { log: 'jsonl-config-record.jsonl', format: 'jsonl', axis: 'step', segments: 1, symptoms: ['lr-too-high'] },
    // Bench log 424, whole: a pretty-printed history whose settings and class names come before its lists.
    { log: 'history-with-metadata.json', format: 'history-json', axis: 'epoch', segments: 1, symptoms: [] },
    // Bench log 429's lines 2262-2345: YOLOX iteration lines that end with an ETA, a traceback in GBK bytes.
    { log: 'yolox-eta-log.txt', format: 'printed', axis: 'step', segments: 1, symptoms: [] },
    { log: 'pandas-history.csv', format: 'history-csv', axis: 'epoch', segments: 1, symptoms: [] },
    // Bench log 648's first 300 epochs: a Keras history printed as `name:[values]` lines; the loss frozen from epoch 165.
    { log: 'keras-history-lines.txt', format: 'history-json', axis: 'epoch', segments: 1, symptoms: ['plateau'] },
    // Bench log 633's lines 91-372: Joey NMT, validation mid-epoch (`... at epoch  26, step 4000: ... loss: ...`).
    { log: 'joeynmt-train.log', format: 'printed', axis: 'epoch', segments: 1, symptoms: ['overfitting'] },
    { log: 'printed-log.txt', format: 'printed', axis: 'epoch', segments: 1, symptoms: [] },
    { log: 'hand-written-history.csv', format: 'keras-csv', axis: 'epoch', segments: 1, symptoms: ['overfitting'] },
    {
      log: 'tensorboard-export/run-.-tag-loss.csv',
      format: 'tensorboard-csv',
      axis: 'step',
      segments: 1,
      symptoms: [],
    },
  ])('$log: $format, $symptoms', ({ log, format, axis, segments, symptoms }) => {
    const result = runCli(['analyze', `fixtures/logs/${log}`, '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.log).toMatchObject({ format, axis, judged: segments });
    expect(report.log.segments).toHaveLength(segments);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(symptoms);
    expect(result.code).toBe(symptoms.length === 0 ? 0 : 1);
  });

  it('names the best epoch and what early stopping would have kept', () => {
    const { stdout } = runCli(['analyze', 'fixtures/logs/hand-written-history.csv']);
    expect(stdout).toMatch(/best at [\d.]+ \(median of three\) at epoch \d+/);
    expect(stdout).toMatch(
      /Early stopping with patience 3 would have stopped at epoch \d+ and kept the loss of epoch \d+/,
    );
  });

  it('judges the first run of an appended log with --segment 1, and both with --segment all', () => {
    const first = JSON.parse(
      runCli(['analyze', 'fixtures/logs/keras-windows-append.csv', '--json', '--segment', '1']).stdout,
    );
    expect(first.log.judged).toBe(1);
    expect(first.probe.trace.loss).toHaveLength(2);
    const all = JSON.parse(
      runCli(['analyze', 'fixtures/logs/keras-windows-append.csv', '--json', '--segment', 'all']).stdout,
    );
    expect(all.log.judged).toBe('all');
    expect(all.probe.trace.loss).toHaveLength(50);
  });

  it('judges the last run of a log resumed from a checkpoint with the epochs it resumed, by default', () => {
    const file = 'fixtures/logs/printed-resumed-from-checkpoint.txt';
    const resumed = runCli(['analyze', file, '--json']);
    expect(resumed.code).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report.log.segments.map((segment: { firstStep: number }) => segment.firstStep)).toEqual([0, 10]);
    expect(report.probe.trace.loss).toHaveLength(50);
    expect(report.findings).toEqual([]);
    expect(report.log.notes).toContain(
      'segment 2 resumes an earlier run at step 10: judged with 10 rows of the runs it resumed, logged before step 10 (--segment 2 judges it alone)',
    );
    const alone = JSON.parse(runCli(['analyze', file, '--json', '--segment', '2']).stdout);
    expect(alone.probe.trace.loss).toHaveLength(40);
    expect(alone.log.notes.join('\n')).not.toMatch(/resumes an earlier run/);
  });

  it('judges a TensorBoard export of the validation loss alone as the loss curve, and says so', () => {
    const file = 'fixtures/logs/tensorboard-export/run-.-tag-val_loss.csv';
    const result = runCli(['analyze', file, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.log.lossCurve).toBe('validation');
    expect(report.log.notes).toContainEqual(expect.stringMatching(/^only a validation loss was logged/));
    expect(report.notEvaluated).toContainEqual(expect.objectContaining({ symptom: 'overfitting', needs: ['loss'] }));
    expect(runCli(['analyze', file]).stdout).toMatch(
      /val: +\S+ +5\.32 → 3\.77 \(steps 0-29; no training loss logged\)/,
    );
  });

  it("judges Keras' validation writer alone as a validation-only log, and its 1.75x rise as overfitting", () => {
    const result = runCli(['analyze', 'fixtures/logs/tensorboard-events/keras-validation-writer', '--json']);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.log.lossCurve).toBe('validation');
    expect(
      report.findings.map((finding: { symptom: string; severity: string }) => [finding.symptom, finding.severity]),
    ).toEqual([['overfitting', 'critical']]);
    expect(report.findings[0].message).toMatch(/the training loss was not logged/);
  });

  it('reads a hand-written log whose header is CamelCase (Epoch,TrainLoss,ValLoss,MaeE,MaeF)', () => {
    const result = runCli(['analyze', 'fixtures/logs/camelcase-history.csv', '--json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(validateReport(report), JSON.stringify(validateReport.errors)).toBe(true);
    expect(report.log).toMatchObject({ format: 'history-csv', axis: 'epoch', judged: 1 });
    const { step, loss, evalStep, valLoss } = report.probe.trace;
    expect({ steps: step.length, evaluations: evalStep.length, first: [step[0], loss[0], valLoss[0]] }).toEqual({
      steps: 100,
      evaluations: 100,
      first: [1, 2195.47, 278.448],
    });
    expect(valLoss.at(-1)).toBe(2.313);
    // A run that falls from 2195 to 1.58 with its best validation loss at the last epoch: nothing critical.
    expect(report.findings.filter((finding: { severity: string }) => finding.severity === 'critical')).toEqual([]);
    expect(result.code).toBe(0);
  });

  it('judges the epoch means of a Lightning log beside its per-step losses, and says so', () => {
    const report = JSON.parse(runCli(['analyze', 'fixtures/logs/lightning-step-epoch-metrics.csv', '--json']).stdout);
    // 25 epoch means, not the 6 single-batch values whose last (0.575) stands 2.5x above their minimum.
    expect(report.probe.trace.loss).toHaveLength(25);
    expect(report.log.notes).toEqual([
      '"train_loss_epoch" (each epoch\'s mean) read as the training loss, not "train_loss_step" (each step\'s)',
      '"val_loss_epoch" (each epoch\'s mean) read as the validation loss, not "val_loss_step"',
    ]);
  });

  it.each([
    // Two epochs ended: their 2 means are too few, the 43 per-step losses are judged.
    {
      lines: 48,
      append: '',
      losses: 43,
      note: /^"train_loss_step" \(each step's\) read as the training loss: "train_loss_epoch" has 2 epoch means/,
      symptoms: [],
    },
    // Three epochs and 3 steps of the fourth.
    {
      lines: 75,
      append: '',
      losses: 3,
      note: /; the 3 step values after step 3263, an epoch not ended, are not judged$/,
      symptoms: [],
    },
    // ... whose next step loss is nan: the fourth epoch's mean is nan already.
    {
      lines: 75,
      append: '3,3449,,,nan,,,\n',
      losses: 4,
      note: /, but for the NaN at step 3449, judged as that epoch's mean$/,
      symptoms: ['nan-loss'],
    },
  ])(
    'judges a Lightning run cut after line $lines (+ $append) on $losses losses',
    ({ lines, append, losses, note, symptoms }) => {
      const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-epochs-'));
      const text = readFileSync(`${ROOT}fixtures/logs/lightning_logs/version_0/metrics.csv`, 'utf8');
      writeFileSync(path.join(folder, 'metrics.csv'), text.split('\n').slice(0, lines).join('\n') + '\n' + append);
      const result = runCli(['analyze', path.join(folder, 'metrics.csv'), '--json']);
      const report = JSON.parse(result.stdout);
      expect(report.probe.trace.loss).toHaveLength(losses);
      expect(report.log.notes[0]).toMatch(note);
      expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toEqual(symptoms);
      expect(result.code).toBe(symptoms.length === 0 ? 0 : 1);
    },
  );

  it('reads a Python logging file of name=value pairs after a long header, and finds its overfitting', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-kv-'));
    const at = '2026-05-08 22:39:24 | INFO | ';
    const header = Array.from({ length: 60 }, (_, k) => `${at}  Setting ${k}   : ${k}`);
    const epochs = Array.from({ length: 20 }, (_, k) => {
      const val = k < 6 ? 1.3 - 0.05 * k : 1.05 + 0.03 * (k - 5);
      return `${at}Epoch [${k + 1}/20] TrainLoss=${(1.8 * 0.93 ** k).toFixed(4)} TrainAcc=50.00% | ValLoss=${val.toFixed(4)} | LR=1.00e-04`;
    });
    writeFileSync(path.join(folder, 'training.log'), [...header, ...epochs].join('\r\n') + '\r\n');
    const result = runCli(['analyze', path.join(folder, 'training.log'), '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.log.format).toBe('printed');
    expect(report.probe.trace.loss).toHaveLength(20);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toContain('overfitting');
    expect(result.code).toBe(1);
  });

  it('judges a Lightning log that ends on val_loss nan as nan-loss, and its empty cells as no value', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-val-nan-'));
    const rows = Array.from({ length: 12 }, (_, k) => `${k},${k * 10 + 9},${(2 - 0.1 * k).toFixed(2)},`);
    const evaluations = [3, 7, 11].map((k) => `${k},${k * 10 + 9},,${(1.8 - 0.1 * k).toFixed(2)}`);
    const text = ['epoch,step,train_loss,val_loss', ...rows, ...evaluations, '11,120,,nan'].join('\n') + '\n';
    writeFileSync(path.join(folder, 'metrics.csv'), text);
    const result = runCli(['analyze', path.join(folder, 'metrics.csv'), '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((finding: { symptom: string }) => finding.symptom)).toContain('nan-loss');
    writeFileSync(path.join(folder, 'metrics.csv'), text.replace('11,120,,nan\n', ''));
    const healthy = JSON.parse(runCli(['analyze', path.join(folder, 'metrics.csv'), '--json']).stdout);
    expect(healthy.findings.map((finding: { symptom: string }) => finding.symptom)).not.toContain('nan-loss');
  });

  it('reads a hand-written log whose header is in Catalan (Epoca,Perdua,Accuracy,Items)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'convdoc-catalan-'));
    const rows = [2.2121, 1.9793, 1.7555, 1.5824, 1.4411, 1.3302].map(
      (loss, k) => `${k + 1},${loss},${0.19 + 0.05 * k},6986`,
    );
    writeFileSync(path.join(folder, 'training_log.csv'), ['Epoca,Perdua,Accuracy,Items', ...rows].join('\n') + '\n');
    const result = runCli(['analyze', path.join(folder, 'training_log.csv'), '--json']);
    const report = JSON.parse(result.stdout);
    expect(report.log).toMatchObject({ format: 'history-csv', axis: 'epoch' });
    expect({ step: report.probe.trace.step, first: report.probe.trace.loss[0] }).toEqual({
      step: [1, 2, 3, 4, 5, 6],
      first: 2.2121,
    });
    expect(result.code).toBe(0);
  });

  it('exits 2 on a --segment the log does not have', () => {
    const result = runCli(['analyze', 'fixtures/logs/keras-crcrlf.log', '--segment', '4']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--segment 4: the log has 1 segment /);
  });
});
