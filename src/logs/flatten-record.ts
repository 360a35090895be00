/**
 * Nested records of JSON logs, flattened: some training scripts write one object per split
 * (`{"epoch": 1, "train": {"loss": 5.2}, "val": {"loss": 4.9, "top1": 5.2}}`), and their keys are
 * then read as `train/loss` and `val/loss` through the alias table of log-keys.ts like any
 * `/`-joined key a logger writes itself. Any depth: `{"metrics": {"val": {"loss": 1}}}` is
 * `metrics/val/loss`. Lists are left as they are (no logged scalar is a list).
 */
import { isPlainObject } from '../util/plain-object.js';

/** Joins a nested key to its parent's, as loggers that flatten themselves (wandb, nanoGPT) do. */
const NESTED_KEY_SEPARATOR = '/';

/** `record` itself when no value is an object (the common case, and a million-line log's fast path); else a flat copy. */
export function flattenRecord(record: Record<string, unknown>): Record<string, unknown> {
  for (const key in record) if (isPlainObject(record[key])) return flatCopy(record, '', {});
  return record;
}

function flatCopy(
  record: Record<string, unknown>,
  prefix: string,
  into: Record<string, unknown>,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    const name = prefix + key;
    if (isPlainObject(value)) flatCopy(value, name + NESTED_KEY_SEPARATOR, into);
    else into[name] = value;
  }
  return into;
}
