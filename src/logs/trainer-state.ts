/**
 * HuggingFace Trainer's `trainer_state.json`: one JSON document whose `log_history` lists the
 * logged entries in order: training entries (`loss`, `learning_rate`, `grad_norm`, `epoch`,
 * `step`), evaluation entries (`eval_loss`, `eval_accuracy`, ...), and a closing summary
 * (`train_loss`, `train_runtime`: the mean over the run, not a step's loss, so it is passed over).
 * Entries of `Trainer.predict` (`predict_loss`, `predict_runtime`, ...; bench log 315 writes one
 * after each evaluation) score a test set and carry no `step`: read as training losses they broke
 * the run into a segment per epoch, so they are passed over as well.
 * Python's json writes a NaN loss as a bare NaN (python-json.ts).
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';
import { ObjectRows } from './jsonl-log.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { parsePythonJson } from './python-json.js';

/** The key that marks the Trainer's closing summary entry (printed-log.ts passes over its printed line too). */
export const SUMMARY_KEY = 'train_runtime';
/** The key that marks an entry of Trainer.predict's metrics (a test set's scores, not the run's). */
const PREDICTION_KEY = 'predict_runtime';

export const trainerStateReader: LogReader = {
  format: 'hf-trainer-state',
  findIn: /^trainer_state\.json$/,
  sniff: ({ name, text }) =>
    text.trimStart().startsWith('{') && (name === 'trainer_state.json' || text.includes('"log_history"')),
  read: readTrainerState,
};

async function readTrainerState(file: string, shown: string): Promise<ReadLogResult> {
  const text = await readFile(file, 'utf8');
  let state: unknown;
  try {
    state = parsePythonJson(text);
  } catch (error) {
    throw new DataError(
      `${shown}: not valid JSON (${(error as Error).message}). Expected a Trainer's trainer_state.json.`,
    );
  }
  const history = isPlainObject(state) ? state['log_history'] : undefined;
  if (!Array.isArray(history))
    throw new DataError(`${shown}: no "log_history" list. Expected a HuggingFace Trainer's trainer_state.json.`);
  const objects = new ObjectRows();
  history.forEach((entry, index) => {
    const where = `${shown}: log_history[${index}]`;
    if (!isPlainObject(entry))
      throw new DataError(`${where}: expected an object with "step" and "loss" or "eval_loss".`);
    if (SUMMARY_KEY in entry || PREDICTION_KEY in entry) return;
    // JSON.parse keeps no lines: a row's "line" is its 1-based entry in log_history, as `where` names it.
    objects.row(entry, where, index + 1);
  });
  return objects.result();
}
