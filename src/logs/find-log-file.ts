/**
 * The log inside a directory argument: a Lightning `version_N` folder (or `lightning_logs/`, whose
 * newest version is taken), a HuggingFace output folder (its own trainer_state.json, else the one
 * of its last `checkpoint-N`). Files are those a reader names in `findIn`; the shallowest wins,
 * then the highest number in natural order (version_10 after version_9), so the choice is the same
 * on every machine. A TensorBoard run spans several files (runFiles).
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { DataError } from '../errors.js';
import type { LogReader, RunFile } from './log-reader.js';

/**
 * lightning_logs/version_N/metrics.csv is two levels down, and TensorFlow's TensorBoard tutorial's
 * logs/fit/<time>/train/events.out.tfevents.* three; deeper is another project's folder.
 */
const MAX_DEPTH = 4;
const SKIPPED = new Set(['node_modules', '.git']);
const naturalOrder = new Intl.Collator('en', { numeric: true });
/** The run folders Keras' TensorBoard callback writes under its log_dir, and their common variants. */
const SPLIT_FOLDER = /^(train|training|val|valid|validation|eval|evaluation|test)$/i;

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

/**
 * The files of the run `found` belongs to: those of its folder and of that folder's subfolders (a
 * run's `train/` and `validation/`, as Keras writes them). When `found` is itself in a subfolder of
 * the argument named like a split, the run is its parent. Sorted by path in natural order: a folder's
 * files by the time in their names, which is the order a resumed run wrote them.
 */
export async function runFiles(directory: string, found: string, reader: LogReader): Promise<RunFile[]> {
  let root = path.dirname(found);
  if (path.resolve(root) !== path.resolve(directory) && SPLIT_FOLDER.test(path.basename(root)))
    root = path.dirname(root);
  const files: RunFile[] = [];
  for (const entry of await readdir(root, { withFileTypes: true })) {
    const file = path.join(root, entry.name);
    if (entry.isFile() && reader.findIn?.test(entry.name) === true) files.push({ file, run: '' });
    else if (entry.isDirectory() && !SKIPPED.has(entry.name))
      for (const inner of await readdir(file, { withFileTypes: true }))
        if (inner.isFile() && reader.findIn?.test(inner.name) === true)
          files.push({ file: path.join(file, inner.name), run: entry.name });
  }
  return files.sort((a, b) => naturalOrder.compare(a.file, b.file));
}
