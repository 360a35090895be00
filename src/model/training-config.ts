/**
 * What a model file says about how it was compiled, where it says it: Keras' `from_logits` on the
 * loss, and the loss of each output of a model with several. Keras 2 and the tfjs converter keep `training_config` (at the top or in `modelTopology`),
 * Keras 3 `compile_config`; the loss there is a name, a serialized loss object
 * (`{class_name, config: {from_logits}}`), or a dict or list of them per output.
 */
import { readFile } from 'node:fs/promises';
import { canonicalLossName, type LossName } from '../config/losses.js';

/** The losses a model file was compiled with: one for every output, per output name, or in output order. */
export type FileLosses = LossName | Record<string, LossName> | LossName[];

/** `from_logits` of the file's loss: true when any serialized loss says so; undefined when no loss says. */
export async function readFromLogits(file: string): Promise<boolean | undefined> {
  const flags = lossObjects(await compiledLoss(file)).map((loss) => field(field(loss, 'config'), 'from_logits'));
  if (flags.includes(true)) return true;
  return flags.includes(false) ? false : undefined;
}

/**
 * The file's losses as convdoc names them; undefined when the file names none, or a loss convdoc
 * does not know (a custom Python loss): then the config's or the task's loss applies.
 */
export async function readFileLosses(file: string): Promise<FileLosses | undefined> {
  const loss = await compiledLoss(file);
  if (Array.isArray(loss)) {
    const names = loss.map(lossName);
    return names.every((name) => name !== undefined) ? names : undefined;
  }
  if (typeof loss === 'object' && loss !== null && field(loss, 'class_name') === undefined) {
    const entries = Object.entries(loss).map(([output, value]) => [output, lossName(value)] as const);
    return entries.every(([, name]) => name !== undefined)
      ? (Object.fromEntries(entries) as Record<string, LossName>)
      : undefined;
  }
  return lossName(loss);
}

/** A loss entry's name: a string, or a serialized loss object's class (`BinaryCrossentropy`) or function name. */
function lossName(entry: unknown): LossName | undefined {
  const name =
    typeof entry === 'string' ? entry : (field(entry, 'class_name') ?? field(field(entry, 'config'), 'name'));
  return typeof name === 'string' ? canonicalLossName(name) : undefined;
}

/** The `loss` of the file's training (Keras 2, tfjs) or compile (Keras 3) config. */
async function compiledLoss(file: string): Promise<unknown> {
  let root: unknown;
  try {
    root = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    // readModelFile reports a file that cannot be read or parsed; here it only says nothing.
    return undefined;
  }
  const topology = field(root, 'modelTopology');
  const compiled = [
    field(root, 'training_config'),
    field(root, 'trainingConfig'),
    field(root, 'compile_config'),
    field(topology, 'training_config'),
    field(topology, 'trainingConfig'),
  ].find((config) => config !== undefined);
  return field(compiled, 'loss');
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/** The serialized losses in a loss entry: itself, or the values of a per-output dict or list. */
function lossObjects(loss: unknown): unknown[] {
  if (Array.isArray(loss)) return loss.flatMap(lossObjects);
  if (typeof loss !== 'object' || loss === null) return [];
  return field(loss, 'class_name') !== undefined ? [loss] : Object.values(loss).flatMap(lossObjects);
}
