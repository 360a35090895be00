/** Sends a rendered report where the user asked: a file (atomically) or stdout. */
import { writeFileAtomic } from '../util/atomic-write.js';
import type { CliIo } from './io.js';

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') io.stdout.write(text);
  else await writeFileAtomic(output, text);
}
