import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { ConvdocError } from '../errors.js';
import { displayPath } from './paths.js';

export interface OutputFile {
  file: string;
  content: string;
}

/**
 * Writes files whole or not at all: each to a temporary file beside it, and only when every one
 * is written, the renames, which are atomic on one file system. A failure never leaves half a
 * report where CI will read it, nor one output of a run beside a missing other.
 */
export async function writeFilesAtomic(files: readonly OutputFile[]): Promise<void> {
  const written: { temporary: string; file: string }[] = [];
  for (const { file, content } of files) {
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, content, 'utf8');
      written.push({ temporary, file });
    } catch (error) {
      await Promise.all([temporary, ...written.map((entry) => entry.temporary)].map((path) => unlink(path).catch(() => undefined)));
      throw new ConvdocError(`${displayPath(file)}: cannot write the output file (${(error as NodeJS.ErrnoException).code ?? error}). Check that its folder exists and is writable.`);
    }
  }
  for (const { temporary, file } of written) await rename(temporary, file);
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await writeFilesAtomic([{ file, content }]);
}
