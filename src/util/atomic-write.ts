import { randomBytes } from 'node:crypto';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { ConvdocError } from '../errors.js';
import { displayPath } from './paths.js';

/**
 * Writes a file whole or not at all: to a temporary file beside it, then a rename, which is atomic
 * on one file system. A failure never leaves half a report where CI will read it.
 */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, content, 'utf8');
    await rename(temporary, file);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw new ConvdocError(`${displayPath(file)}: cannot write the output file (${(error as NodeJS.ErrnoException).code ?? error}). Check that its folder exists and is writable.`);
  }
}
