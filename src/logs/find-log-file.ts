/**
 * The log inside a directory argument: a Lightning `version_N` folder (or `lightning_logs/`, whose
 * newest version is taken), a HuggingFace output folder (its own trainer_state.json, else the one
 * of its last `checkpoint-N`). Files are those a reader names in `findIn`; the shallowest wins,
 * then the highest number in natural order (version_10 after version_9), so the choice is the same
 * on every machine.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../errors.js';
import type { LogReader } from './log-reader.js';

/** lightning_logs/version_N/metrics.csv is two levels down; deeper is another project's folder. */
const MAX_DEPTH = 3;
const SKIPPED = new Set(['node_modules', '.git']);
const naturalOrder = new Intl.Collator('en', { numeric: true });

export async function findLogFile(directory: string, shown: string, readers: readonly LogReader[]): Promise<string> {
  const found: { file: string; depth: number }[] = [];
  await walk(directory, 0, readers, found);
  if (found.length === 0) {
    const names = readers.flatMap((reader) => (reader.findIn === undefined ? [] : [reader.findIn.source]));
    throw new DataError(
      `${shown}: no training log in this directory (looked for ${names.join(', ')}). Pass the log file itself.`,
    );
  }
  found.sort((a, b) => a.depth - b.depth || naturalOrder.compare(b.file, a.file));
  return found[0]!.file;
}

async function walk(
  directory: string,
  depth: number,
  readers: readonly LogReader[],
  found: { file: string; depth: number }[],
): Promise<void> {
  const entries = await readdir(directory, { withFileTypes: true });
  for (const entry of entries) {
    const file = path.join(directory, entry.name);
    if (entry.isDirectory() && depth + 1 < MAX_DEPTH && !SKIPPED.has(entry.name))
      await walk(file, depth + 1, readers, found);
    else if (entry.isFile() && readers.some((reader) => reader.findIn?.test(entry.name) === true))
      found.push({ file, depth });
  }
}
