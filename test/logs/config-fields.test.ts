import { describe, expect, it } from 'vitest';
import { ConfigFields } from '../../src/logs/config-fields.js';
import { logTrace } from '../../src/logs/log-trace.js';
import { readLog } from '../../src/logs/read-log.js';
import { DataError } from '../../src/errors.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('config-fields');

describe('ConfigFields: flags and names are no columns', () => {
  const fields = new ConfigFields();
  it.each([
    { name: 'a boolean, even under a loss name', record: { step: 0, 'args/ce_loss': false }, kept: { step: 0 } },
    { name: 'text that is a name', record: { step: 0, 'args/model': 'Qwen/Qwen2.5-0.5B' }, kept: { step: 0 } },
    { name: 'text that is a number or nan', record: { step: '3', lr: 'nan' }, kept: { step: '3', lr: 'nan' } },
    { name: 'text under a loss name', record: { step: 1, loss: 'high' }, kept: { step: 1, loss: 'high' } },
    { name: 'null and numbers', record: { step: 1, loss: null, lr: 0.1 }, kept: { step: 1, loss: null, lr: 0.1 } },
  ])('$name', ({ record, kept }) => {
    expect(fields.withoutConfig(record)).toEqual(kept);
  });

  it('returns the record itself when nothing is left out (the fast path)', () => {
    const record = { step: 0, loss: 1 };
    expect(fields.withoutConfig(record)).toBe(record);
  });
});

describe('JSON Lines with a run-config record (bench logs 437-438)', () => {
  it('passes over the config record and reads the step records', async () => {
    const content = [
      '{"type": "config", "args": {"steps": 500, "lr": 2e-05, "ce_loss": true, "model": "Qwen/Qwen2.5-0.5B"}, "device": "cuda"}',
      '{"step": 50, "loss": 0.5, "accuracy": 0.9}',
      '{"step": 100, "loss": 0.25, "accuracy": 0.95}',
    ].join('\n');
    const log = await readLog(logFile('config.jsonl', content));
    const trace = logTrace(log.file, log.rows);
    expect({ step: trace.step, loss: trace.loss }).toEqual({ step: [50, 100], loss: [0.5, 0.25] });
  });

  it.each([
    [
      'losses that are text',
      '{"step": 0, "loss": "low"}\n{"step": 1, "loss": "high"}\n',
      /:1: loss is "low", not a number/,
    ],
    ['losses that are booleans', '{"step": 0, "loss": true}\n', /no line holds a loss/],
  ])('exit 2 for %s', async (_, content, message) => {
    const error = await readLog(logFile('text-loss.jsonl', content)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toMatch(message);
  });
});
