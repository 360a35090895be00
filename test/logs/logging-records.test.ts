import { describe, expect, it } from 'vitest';
import { readLog } from '../../src/logs/read-log.js';
import { tempLogWriter } from './temp-log.js';

const logFile = tempLogWriter('logging-records');

const lines = (...records: object[]) => records.map((record) => JSON.stringify(record)).join('\n') + '\n';

describe('readLog: JSON Lines of logging records, the numbers inside the message', () => {
  it.each([
    {
      name: "a JSON formatter's records (bench log 605): epoch and loss in the message",
      text: lines(
        { timestamp: '2023-12-16 01:24:35,004', level: 'INFO', message: 'Epoch : 1\t Loss : 0.001074' },
        { timestamp: '2023-12-16 01:24:35,004', level: 'INFO', message: 'Epoch : 1\t Acc : 95.900000' },
        { timestamp: '2023-12-16 01:24:44,301', level: 'INFO', message: 'Epoch : 2\t Loss : 0.000614' },
      ),
      steps: [1, 2],
      loss: [0.001074, 0.000614],
    },
    {
      name: "slog's msg, a start-up record first and a message of two lines",
      text: lines(
        { time: 't0', level: 'INFO', msg: 'starting run' },
        { time: 't1', level: 'INFO', msg: 'epoch=1 train_loss=0.9 val_loss=1.0' },
        { time: 't2', level: 'INFO', msg: 'epoch=2 train_loss=0.7\nepoch=3 train_loss=0.6' },
      ),
      steps: [1, 2, 3],
      loss: [0.9, 0.7, 0.6],
    },
  ])('must read: $name', async ({ text, steps, loss }) => {
    const log = await readLog(logFile('log.json', text));
    expect(log.format).toBe('printed');
    expect(log.rows.map((row) => row.step)).toEqual(steps);
    expect(log.rows.map((row) => row.loss)).toEqual(loss);
    expect(log.notes.join('\n')).toMatch(/logging records/);
  });

  it.each([
    {
      name: 'a loss key beside a message: a JSON Lines log',
      text: lines(
        { step: 1, loss: 0.5, message: 'step 1 loss 0.5' },
        { step: 2, loss: 0.4, message: 'step 2 loss 0.4' },
      ),
      format: 'jsonl',
    },
    {
      name: 'messages that print no loss: not read as printed lines',
      text: lines({ event: 'eval', step: 1, loss: 0.5, msg: 'saved' }, { step: 2, loss: 0.4, msg: 'saved' }),
      format: 'jsonl',
    },
  ])('must not read: $name', async ({ text, format }) => {
    const log = await readLog(logFile('log.jsonl', text));
    expect(log.format).toBe(format);
    expect(log.notes.join('\n')).not.toMatch(/logging records/);
  });

  it('records whose messages print no loss are still no training log', async () => {
    const text = lines({ level: 'INFO', message: 'server started' }, { level: 'INFO', message: 'request served' });
    await expect(readLog(logFile('server.json', text))).rejects.toThrow(/no line holds a loss/);
  });
});
