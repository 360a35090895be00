/**
 * Property tests over output targets (issue 15, part 5): whatever kind of file `-o` names (nothing
 * yet, a regular file of any mode, a symlink to one, a dangling symlink, a FIFO, a character device
 * when root can make one), writeOutputs leaves it the same kind of file with the same mode, puts the
 * content where a reader of that path finds it, and leaves no temporary file; a Unix socket, which
 * cannot be opened as a file, is refused with a ConvdocError and left a socket. Fixed seed.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { chmod, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import { writeOutputs } from '../../src/util/safe-write.js';

const SEED = 15;
/** Each run makes a folder, one or two files and a write. */
const RUNS = 60;
/** mknod needs root; as another user the device kind is left out of the generator. */
const IS_ROOT = process.getuid?.() === 0;

type Kind = 'missing' | 'regular' | 'symlink' | 'dangling-symlink' | 'fifo' | 'device' | 'socket';
const KINDS: readonly Kind[] = [
  'missing',
  'regular',
  'symlink',
  'dangling-symlink',
  'fifo',
  'socket',
  ...(IS_ROOT ? ['device' as const] : []),
];

interface TargetCase {
  kind: Kind;
  mode: number;
  old: string;
  content: string;
}

const targetCase: fc.Arbitrary<TargetCase> = fc.record({
  kind: fc.constantFrom(...KINDS),
  // Modes a user may give a report file; the owner can always write (a read-only target is refused elsewhere).
  mode: fc.constantFrom(0o600, 0o640, 0o644, 0o660, 0o664, 0o666, 0o700, 0o755),
  old: fc.string({ maxLength: 40 }),
  content: fc.string({ minLength: 1, maxLength: 200 }),
});

let root: string;
/** Listening sockets the cases made, closed at the end. */
const sockets: net.Server[] = [];
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'convdoc-targets-'));
});
afterAll(async () => {
  await Promise.all(sockets.map((server) => new Promise((resolve) => server.close(resolve))));
  await rm(root, { recursive: true, force: true });
});

/** Makes the target in a fresh folder; returns its path and the file a reader of it sees. */
async function makeTarget(directory: string, target: TargetCase): Promise<{ file: string; seen: string }> {
  const file = path.join(directory, 'out');
  const real = path.join(directory, 'real.txt');
  switch (target.kind) {
    case 'missing':
      return { file, seen: file };
    case 'regular':
      await writeFile(file, target.old);
      await chmod(file, target.mode);
      return { file, seen: file };
    case 'symlink':
      await writeFile(real, target.old);
      await chmod(real, target.mode);
      await symlink('real.txt', file);
      return { file, seen: real };
    case 'dangling-symlink':
      await symlink('real.txt', file);
      return { file, seen: real };
    case 'fifo':
      execFileSync('mkfifo', [file]);
      return { file, seen: file };
    case 'device':
      execFileSync('mknod', [file, 'c', '1', '3']);
      return { file, seen: file };
    case 'socket': {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(file, resolve));
      sockets.push(server);
      return { file, seen: file };
    }
  }
}

async function checkTarget(target: TargetCase, index: number): Promise<void> {
  const directory = path.join(root, String(index));
  await mkdir(directory);
  const { file, seen } = await makeTarget(directory, target);
  // A FIFO's writer waits for a reader: open one that does not block before writing.
  const reader = target.kind === 'fifo' ? openSync(file, constants.O_RDONLY | constants.O_NONBLOCK) : undefined;
  if (target.kind === 'socket') {
    await expect(writeOutputs([{ file, content: target.content }])).rejects.toThrow(ConvdocError);
    expect((await lstat(file)).isSocket()).toBe(true);
    return;
  }
  const before = target.kind === 'missing' || target.kind === 'dangling-symlink' ? undefined : await stat(seen);
  await writeOutputs([{ file, content: target.content }]);
  const linkStat = await lstat(file);
  const after = await stat(file);
  expect(linkStat.isSymbolicLink()).toBe(target.kind === 'symlink' || target.kind === 'dangling-symlink');
  expect(after.isFIFO()).toBe(target.kind === 'fifo');
  expect(after.isCharacterDevice()).toBe(target.kind === 'device');
  if (before !== undefined) expect(after.mode).toBe(before.mode);
  if (reader !== undefined) {
    const buffer = Buffer.alloc(Buffer.byteLength(target.content) + 16);
    expect(buffer.toString('utf8', 0, readSync(reader, buffer))).toBe(target.content);
    closeSync(reader);
  } else if (target.kind !== 'device') {
    expect(await readFile(seen, 'utf8')).toBe(target.content);
  }
  expect((await readdir(directory)).filter((name) => !['out', 'real.txt'].includes(name))).toEqual([]);
}

describe('output targets of every file type (property)', () => {
  it(`stay the kind of file they were, keep their mode and get the content (${IS_ROOT ? 'with' : 'without'} a device node: mknod needs root)`, async () => {
    let index = 0;
    await fc.assert(
      fc.asyncProperty(targetCase, (target) => checkTarget(target, index++)),
      { seed: SEED, numRuns: RUNS },
    );
  });
});
