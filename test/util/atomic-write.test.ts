import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConvdocError } from '../../src/errors.js';
import { writeFilesAtomic } from '../../src/util/atomic-write.js';

describe('writeFilesAtomic: all files or none', () => {
  it('writes every file', async () => {
    const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-write-'));
    await writeFilesAtomic([
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
    const failing = writeFilesAtomic([
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
