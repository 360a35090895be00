/**
 * What a model file says about how it was compiled, where it says it: Keras' `from_logits` on the
 * loss. Keras 2 and the tfjs converter keep `training_config` (at the top or in `modelTopology`),
 * Keras 3 `compile_config`; the loss there is a name, a serialized loss object
 * (`{class_name, config: {from_logits}}`), or a dict or list of them per output.
 */
import { readFile } from 'node:fs/promises';

/** `from_logits` of the file's loss: true when any serialized loss says so; undefined when no loss says. */
export async function readFromLogits(file: string): Promise<boolean | undefined> {
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
  const flags = lossObjects(field(compiled, 'loss')).map((loss) => field(field(loss, 'config'), 'from_logits'));
  if (flags.includes(true)) return true;
  return flags.includes(false) ? false : undefined;
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
