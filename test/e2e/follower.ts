/**
 * `convdoc analyze --follow` as a child process, for tests that append to its log: `ready` resolves
 * once it says it is following, so the time it takes Node and convdoc to start on a loaded machine
 * is not counted against the time from a critical row to its exit.
 */
import { spawn } from 'node:child_process';
import { ROOT } from './run-cli.js';

export interface Follower {
  ready: Promise<void>;
  /** The exit code and the time of the exit. */
  exited: Promise<{ code: number; at: number }>;
  stderr: () => string;
}

export function follow(file: string, idleSeconds: number): Follower {
  const child = spawn(
    process.execPath,
    [`${ROOT}bin/convdoc.js`, 'analyze', '--follow', '--idle', String(idleSeconds), file],
    { env: { ...process.env, NO_COLOR: '1' } },
  );
  let stderr = '';
  const ready = new Promise<void>((resolve) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('convdoc: following ')) resolve();
    }),
  );
  const exited = new Promise<{ code: number; at: number }>((resolve) =>
    child.on('exit', (code) => resolve({ code: code ?? -1, at: Date.now() })),
  );
  return { ready, exited, stderr: () => stderr };
}
