/**
 * A NumPy `.npz` archive (numpy.savez, savez_compressed): a zip file with one `.npy` entry per
 * named array. The zip container is read by fflate, which handles the stored and deflated entries
 * numpy writes (and their zip64 fields); only the entries asked for are decompressed.
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import { didYouMean } from '../util/suggest.js';
import { npyFromBytes, type NumpyArray } from './numpy-array.js';

/**
 * The arrays named `keys` (without `.npy`), each undefined when the archive has no such entry;
 * `shown` names the file in messages.
 */
export async function readNpzArrays(
  file: string,
  shown: string,
  keys: readonly string[],
): Promise<{ arrays: Map<string, NumpyArray>; names: string[] }> {
  let archive: Uint8Array;
  try {
    archive = await readFile(file);
  } catch (error) {
    throw new DataError(`${shown}: cannot read the archive (${errorCode(error)}). Check the path.`);
  }
  // Loaded here, not with the module: only .npz data needs it, and every diagnose imports this file.
  const { unzipSync } = await import('fflate');
  const wanted = new Set(keys.map((key) => `${key}.npy`));
  const names: string[] = [];
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(archive, {
      filter: (entry) => {
        names.push(entry.name.replace(/\.npy$/, ''));
        return wanted.has(entry.name);
      },
    });
  } catch (error) {
    throw new DataError(
      `${shown}: not a readable .npz archive (${(error as Error).message}). Save the arrays with numpy.savez or numpy.savez_compressed.`,
    );
  }
  const arrays = new Map<string, NumpyArray>();
  for (const key of keys) {
    const bytes = entries[`${key}.npy`];
    if (bytes !== undefined) arrays.set(key, npyFromBytes(bytes, `${shown}:${key}`));
  }
  return { arrays, names };
}

/** The message for an array the config names that the archive lacks. */
export function missingArrayMessage(shown: string, key: string, names: readonly string[]): string {
  return `${shown} has no array "${key}".${didYouMean(key, names)} It holds: ${names.join(', ') || '(nothing)'}.`;
}
