import { chmodSync, linkSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { checkOutputs } from '../../src/util/output-check.js';

async function folderWithConfig(): Promise<{ directory: string; config: string }> {
  const directory = await mkdtemp(path.join(tmpdir(), 'convdoc-outputs-'));
  const config = path.join(directory, 'convdoc.yaml');
  writeFileSync(config, 'version: 1\n');
  return { directory, config };
}

describe('checkOutputs: before the command runs', () => {
  it.each([
    ['its own path', (_: string, config: string) => config],
    ['a symlink to it', (directory: string, config: string) => (symlinkSync(config, path.join(directory, 'l')), 'l')],
    ['a hard link to it', (directory: string, config: string) => (linkSync(config, path.join(directory, 'h')), 'h')],
    ['a path through ..', (directory: string) => (mkdirSync(path.join(directory, 'sub')), 'sub/../convdoc.yaml')],
  ])('refuses an output that is an input: %s', async (_, output) => {
    const { directory, config } = await folderWithConfig();
    const file = path.resolve(directory, output(directory, config));
    const checked = checkOutputs([{ file, flag: '--html' }], [{ file: config, what: 'the config file' }]);
    await expect(checked).rejects.toBeInstanceOf(UsageError);
    await expect(checked).rejects.toThrow(/--html .*: this is the config file .*Choose another --html file\./);
  });

  it('refuses two outputs that are the same file', async () => {
    const { directory } = await folderWithConfig();
    const file = path.join(directory, 'report.txt');
    const checked = checkOutputs(
      [
        { file, flag: '-o' },
        { file, flag: '--html' },
      ],
      [],
    );
    await expect(checked).rejects.toThrow(/are the same file/);
  });

  it('finds a folder that does not exist', async () => {
    const { directory } = await folderWithConfig();
    const checked = checkOutputs([{ file: path.join(directory, 'no', 'r.txt'), flag: '-o' }], []);
    await expect(checked).rejects.toThrow(/cannot write the output file \(ENOENT\)/);
  });

  it.skipIf(process.getuid?.() === 0)('finds a folder it may not write to (not as root)', async () => {
    const { directory } = await folderWithConfig();
    const locked = path.join(directory, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const checked = checkOutputs([{ file: path.join(locked, 'r.txt'), flag: '-o' }], []);
    await expect(checked).rejects.toThrow(/EACCES/);
  });

  it('accepts new files, stdout and an existing report', async () => {
    const { directory, config } = await folderWithConfig();
    writeFileSync(path.join(directory, 'old.txt'), 'old');
    await checkOutputs(
      [
        { file: path.join(directory, 'old.txt'), flag: '-o' },
        { file: path.join(directory, 'new.html'), flag: '--html' },
        { file: '-', flag: '--trace-out' },
      ],
      [{ file: config, what: 'the config file' }],
    );
  });
});
