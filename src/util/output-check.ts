/**
 * Checks a command's output files before it does any work: a probe can take a minute, and finding
 * an unwritable `-o` after it wastes that minute; writing a report over the config or the data the
 * command reads destroys the user's input. Files are compared by device and inode, so a symlink or
 * a hard link to an input is caught as well as the input's own path.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { displayPath } from './paths.js';
import { cannotWrite, resolveTarget } from './safe-write.js';
import { errorCode } from './error-code.js';

/** A file the command will write, named by the flag that asks for it (`-o`, `--html`). */
export interface PlannedOutput {
  file: string;
  flag: string;
}

/** A file the command reads, named as the user knows it (`the config file`, `data.train`). */
export interface RunInput {
  file: string;
  what: string;
}

export async function checkOutputs(outputs: readonly PlannedOutput[], inputs: readonly RunInput[]): Promise<void> {
  const read = await Promise.all(inputs.map(async (input) => ({ ...input, id: await identity(input.file) })));
  const written = new Map<string, PlannedOutput>();
  for (const output of outputs.filter(({ file }) => file !== '-')) {
    const target = await resolveTarget(output.file);
    if (target.kind !== 'stream') {
      const id = (await identity(target.real)) ?? target.real;
      const input = read.find((candidate) => candidate.id === id);
      if (input !== undefined)
        throw new UsageError(
          `${output.flag} ${displayPath(output.file)}: this is ${input.what} (${displayPath(input.file)}), which ` +
            `the command reads; writing there would overwrite it. Choose another ${output.flag} file.`,
        );
      const twice = written.get(id);
      if (twice !== undefined)
        throw new UsageError(
          `${output.flag} ${displayPath(output.file)} and ${twice.flag} ${displayPath(twice.file)} are the same ` +
            'file: give each output a file of its own.',
        );
      written.set(id, output);
    }
    // A new or replaced file is created in its folder; a stream is opened for writing where it is.
    const where = target.kind === 'stream' ? target.real : path.dirname(target.real);
    await access(where, constants.W_OK).catch((error: unknown) => {
      throw cannotWrite(output.file, errorCode(error));
    });
  }
}

/** Device and inode of an existing file (links followed), or undefined when there is none. */
async function identity(file: string): Promise<string | undefined> {
  const stats = await stat(file).catch(() => undefined);
  return stats === undefined ? undefined : `${stats.dev}:${stats.ino}`;
}
