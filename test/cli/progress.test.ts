import { describe, expect, it } from 'vitest';
import { trialProbes } from '../../src/commands/progress.js';
import { progressLine } from '../../src/cli/progress.js';
import type { CliIo } from '../../src/cli/io.js';
import type { ProbeJob } from '../../src/trials/probe-jobs.js';

function terminal(options: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}) {
  const written: string[] = [];
  const io: CliIo = {
    stdout: { write: () => true },
    stderr: { write: (text: string) => written.push(text), isTTY: options.tty ?? true },
    env: options.env ?? {},
  };
  return { io, written };
}

describe('the progress line', () => {
  it.each([
    { name: 'stderr is not a terminal', tty: false, env: {}, flags: {} },
    { name: 'CI is set', tty: true, env: { CI: 'true' }, flags: {} },
    { name: '--no-progress', tty: true, env: {}, flags: { progress: false } },
    { name: '-q', tty: true, env: {}, flags: { quiet: true } },
  ])('is off when $name', ({ tty, env, flags }) => {
    const { io } = terminal({ tty, env });
    expect(progressLine(io, flags)).toBeUndefined();
  });

  it('shows nothing in the first second, then redraws one line at most every 100 ms, and erases it at the end', () => {
    const { io, written } = terminal();
    let time = 0;
    const line = progressLine(io, {}, () => time)!;
    line.update('step 1');
    time = 999;
    line.update('step 2');
    expect(written).toEqual([]);
    time = 1000;
    line.update('step 3');
    time = 1050;
    line.update('step 4');
    time = 1100;
    line.update('step 5');
    line.end();
    expect(written).toEqual(['\rstep 3\u001b[K', '\rstep 5\u001b[K', '\r\u001b[K']);
  });

  it('draws nothing after it ended (a worker may reply after the command failed)', () => {
    const { io, written } = terminal();
    let time = 2000;
    const line = progressLine(io, {}, () => time - 1000)!;
    time = 4000;
    line.end();
    line.update('late');
    expect(written).toEqual([]);
  });

  it('erases nothing when it never drew', () => {
    const { io, written } = terminal();
    progressLine(io, {}, () => 0)!.end();
    expect(written).toEqual([]);
  });
});

describe('trial progress', () => {
  it('counts probes handed out and done, and names the one running here', () => {
    const texts: string[] = [];
    const progress = trialProbes({ update: (text) => texts.push(text) });
    const job: ProbeJob = { kind: 'lr-test', label: 'LR range test', cost: 1, seed: 1 };
    progress.queued(2);
    progress.step(job, 10, 100, 0.5);
    progress.finished(job);
    progress.queued(3);
    progress.finished(job);
    expect(texts).toEqual(['probe 1/2 LR range test: step 10/100, loss 0.5', 'probe 2/2', 'probe 3/5']);
  });
});
