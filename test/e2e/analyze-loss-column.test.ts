import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

/**
 * Logs with several loss columns and none named `loss`: excerpts of bench logs 256 and 267
 * (fixtures/logs/README.md cites them). The report names the column it read (`log.lossColumn`, and
 * the text report's training curve), and `--tag` names another.
 */
describe('convdoc analyze: which column is the loss', () => {
  it.each([
    // The first of three parts of a world model's objective (no aggregate is logged).
    { log: 'multi-term-history.csv', lossColumn: 'mse_observation_loss' },
    // The mean target loss, before a scaled copy and a VICReg term that is 0.0 on every line.
    { log: 'multi-term-metrics.jsonl', lossColumn: 'loss_tgt_mean' },
  ])('$log: $lossColumn', ({ log, lossColumn }) => {
    const json = runCli(['analyze', `fixtures/logs/${log}`, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout).log.lossColumn).toBe(lossColumn);
    const text = runCli(['analyze', `fixtures/logs/${log}`]);
    expect(text.stdout).toMatch(new RegExp(`^train: .*; ${lossColumn}\\)$`, 'm'));
  });

  it.each([
    { log: 'multi-term-history.csv', tag: 'saturation_loss' },
    { log: 'multi-term-metrics.jsonl', tag: 'loss_scaled' },
  ])('--tag $tag reads that column of $log, and says so', ({ log, tag }) => {
    const result = runCli(['analyze', `fixtures/logs/${log}`, '--json', '--tag', tag]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout);
    expect(report.log.lossColumn).toBe(tag);
    expect(report.log.notes).toContain(`"${tag}" read as the training loss (--tag)`);
  });

  it.each([
    {
      log: 'multi-term-history.csv',
      found: /no column "nope" \(columns: "", "mse_observation_loss", "saturation_loss", /,
    },
    {
      log: 'multi-term-metrics.jsonl',
      found: /no line has a key "nope" \(keys: "loss_tgt_mean", "loss_scaled", "lr", /,
    },
  ])('exits 2 on an unknown --tag, with the columns of $log', ({ log, found }) => {
    const result = runCli(['analyze', `fixtures/logs/${log}`, '--tag', 'nope']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(found);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});
