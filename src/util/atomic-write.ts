import { randomBytes } from 'node:crypto';
import { rename, stat, unlink, writeFile } from 'node:fs/promises';
import { ConvdocError } from '../errors.js';
import { errorCode } from './error-code.js';
import { displayPath } from './paths.js';

export interface OutputFile {
  file: string;
  content: string;
}

/**
 * Writes files whole or not at all: each to a temporary file beside it, and only when every one
 * is written, the renames, which are atomic on one file system. A failure never leaves half a
 * report where CI will read it, nor a temporary file. A target that is a folder is refused before
 * anything is written, so that a rename cannot fail after another file has landed.
 */
export async function writeFilesAtomic(files: readonly OutputFile[]): Promise<void> {
  for (const { file } of files) {
    if ((await stat(file).catch(() => undefined))?.isDirectory()) throw cannotWrite(file, 'EISDIR');
  }
  const written: { temporary: string; file: string }[] = [];
  const cleanUp = () => Promise.all(written.map(({ temporary }) => unlink(temporary).catch(() => undefined)));
  for (const { file, content } of files) {
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temporary, content, 'utf8');
      written.push({ temporary, file });
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      await cleanUp();
      throw cannotWrite(file, errorCode(error));
    }
  }
  for (const [index, { temporary, file }] of written.entries()) {
    try {
      await rename(temporary, file);
    } catch (error) {
      await Promise.all(written.slice(index).map((entry) => unlink(entry.temporary).catch(() => undefined)));
      throw cannotWrite(file, errorCode(error));
    }
  }
}

export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await writeFilesAtomic([{ file, content }]);
}

function cannotWrite(file: string, code: string): ConvdocError {
  return new ConvdocError(
    `${displayPath(file)}: cannot write the output file (${code}). Check that its folder exists and is writable.`,
  );
}
