import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  constants,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import { writeOutputs } from '../../src/util/safe-write.js';

describe('writeOutputs: all regular files or none', () => {
  it('writes every file', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-write-'));
    await writeOutputs([
      { file: path.join(directory, 'a.txt'), content: 'a' },
      { file: path.join(directory, 'b.txt'), content: 'b' },
    ]);
    expect(readFileSync(path.join(directory, 'a.txt'), 'utf8')).toBe('a');
    expect(readdirSync(directory).sort()).toEqual(['a.txt', 'b.txt']);
  });

  it.each([
    ['a folder that does not exist', (directory: string) => path.join(directory, 'missing', 'b.txt'), /ENOENT/],
    [
      'a target that is a folder',
      (directory: string) => (mkdirSync(path.join(directory, 'dir')), path.join(directory, 'dir')),
      /EISDIR/,
    ],
  ])('writes none when one cannot be written: %s', async (_, second, code) => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-write-'));
    const target = second(directory);
    const failing = writeOutputs([
      { file: path.join(directory, 'a.txt'), content: 'a' },
      { file: target, content: 'b' },
    ]);
    await expect(failing).rejects.toBeInstanceOf(ConvdocError);
    await expect(failing).rejects.toThrow(code);
    expect(existsSync(path.join(directory, 'a.txt'))).toBe(false);
    // No temporary file is left behind either.
    expect(readdirSync(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('writeOutputs: never harms what it writes to', () => {
  const fresh = () => mkdtemp(path.join(tmpdir(), 'convdoc-write-'));

  it('keeps the mode of the file it replaces', async () => {
    const file = path.join(await fresh(), 'report.txt');
    writeFileSync(file, 'old', { mode: 0o600 });
    chmodSync(file, 0o600);
    await writeOutputs([{ file, content: 'new' }]);
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('follows a symlink and writes its target, leaving the link a link', async () => {
    const directory = await fresh();
    const target = path.join(directory, 'target.txt');
    writeFileSync(target, 'old');
    symlinkSync('target.txt', path.join(directory, 'link.txt'));
    await writeOutputs([{ file: path.join(directory, 'link.txt'), content: 'new' }]);
    expect(lstatSync(path.join(directory, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('new');
  });

  it('creates the target of a dangling symlink', async () => {
    const directory = await fresh();
    symlinkSync('later.txt', path.join(directory, 'link.txt'));
    await writeOutputs([{ file: path.join(directory, 'link.txt'), content: 'new' }]);
    expect(lstatSync(path.join(directory, 'link.txt')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(directory, 'later.txt'), 'utf8')).toBe('new');
  });

  it('writes into a FIFO in place instead of replacing it', async () => {
    const fifo = path.join(await fresh(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    // A non-blocking reader, so that opening the FIFO for writing does not wait for one.
    const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    await writeOutputs([{ file: fifo, content: 'through the pipe' }]);
    const buffer = Buffer.alloc(64);
    expect(buffer.toString('utf8', 0, readSync(reader, buffer))).toBe('through the pipe');
    closeSync(reader);
    expect(statSync(fifo).isFIFO()).toBe(true);
  });

  it.skipIf(process.getuid?.() !== 0)(
    'writes into a character device in place (skipped unless root: mknod needs root)',
    async () => {
      const device = path.join(await fresh(), 'null');
      execFileSync('mknod', [device, 'c', '1', '3']);
      await writeOutputs([{ file: device, content: 'discarded' }]);
      expect(statSync(device).isCharacterDevice()).toBe(true);
    },
  );
});
