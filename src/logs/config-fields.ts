/**
 * A JSON record's fields that hold no logged value: a run's configuration written into the log
 * (`{"type": "config", "args": {"ce_loss": false, "model": "Qwen/Qwen2.5-0.5B"}}`, bench logs
 * 437-438) names flags and paths, some with a loss's name (`args/ce_loss`). A boolean is a flag,
 * never a logged number (Python's json writes a float as a number), and text that is no number is
 * a name or a path: neither is a column, as a nested `args` dictionary is none. Text under a key
 * the alias table reads as a loss stays, so that a loss written as text (`"loss": "high"`) is still
 * the error it was: a log whose losses are no numbers is no log convdoc can judge.
 */
import { DataError } from '../errors.js';
import { keyMeaning } from './log-keys.js';
import { logNumber } from './log-row.js';

export class ConfigFields {
  private readonly lossKeys = new Map<string, boolean>();

  /** `record` itself when every field may hold a logged value (the common case); else a copy without the others. */
  withoutConfig(record: Record<string, unknown>): Record<string, unknown> {
    for (const key in record)
      if (this.isConfig(key, record[key])) {
        const kept: Record<string, unknown> = {};
        for (const [name, value] of Object.entries(record)) if (!this.isConfig(name, value)) kept[name] = value;
        return kept;
      }
    return record;
  }

  private isConfig(key: string, value: unknown): boolean {
    if (typeof value === 'boolean') return true;
    return typeof value === 'string' && !isNumberText(value) && !this.namesLoss(key);
  }

  private namesLoss(key: string): boolean {
    let loss = this.lossKeys.get(key);
    if (loss === undefined) this.lossKeys.set(key, (loss = keyMeaning(key)?.quantity === 'loss'));
    return loss;
  }
}

/** Whether logNumber reads the text (a number, `nan`, `inf`, an empty or `NA` cell). */
export function isNumberText(text: string): boolean {
  try {
    logNumber(text, '', '');
    return true;
  } catch (error) {
    if (error instanceof DataError) return false;
    throw error;
  }
}
