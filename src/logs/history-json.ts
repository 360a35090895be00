/**
 * A training history saved as one JSON document, in either of the two shapes Python writes:
 * - an object of lists: Keras' `json.dump(history.history, f)` writes each metric's values per
 *   epoch under its name (`{"loss": [0.52, 0.41], "val_loss": [0.61, 0.55], "lr": [...]}`), and
 *   hand-written loops save the lists they appended to the same way (`{"train_loss": [...],
 *   "val_loss": [...]}`, sweep s17: Sinon218/electra-model), often named in the plural
 *   (`train_losses`, `test_accuracies`, sweep s17: Umarfh/FL-SystemAware). The i-th value of every
 *   list is epoch i, counted from 1 as Keras prints `Epoch 1/10`; a list named for the epoch or the
 *   step (`epoch`, `epochs`) numbers the rows instead. Values that are not lists of numbers (a scalar
 *   setting, a list of objects, a list of class names) are not metrics and are passed over; they may
 *   come first (`{"timestamp": ..., "classes": ["Happy", ...], "train_loss": [...]}`, bench log 424).
 * - a list of records, one per epoch or step (`[{"epoch": 0, "train_loss": 2.48, "val_loss": 2.32},
 *   ...]`, sweep s17: Yasar-17/Handwriting-Generation-Using-RNN), read as JSON Lines records are.
 *   Written on one line it was read as a printed log, whose pairs of one line are one record: only
 *   the last epoch was kept. The list may be one value of an object that holds the run's other
 *   results beside it: `json.dump({"history": history, "stop_reason": ...}, f)`, a pattern common in
 *   public training scripts (`training_history.json` files; held-out log 629).
 * The object of lists as Python prints it (its repr, or a `name:[values]` line per metric) is read
 * the same way (printed-history.ts).
 */
import { readFile } from 'node:fs/promises';
import { DataError } from '../errors.js';
import { isPlainObject } from '../util/plain-object.js';
import { isNumberText } from './config-fields.js';
import { ObjectRows } from './jsonl-log.js';
import { keyMeaning } from './log-keys.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { opensAsPrintedHistory, printedHistoryJson } from './printed-history.js';
import { parsePythonJson } from './python-json.js';

const EXAMPLE = '{"loss": [0.52, 0.41], "val_loss": [0.61, 0.55]} or [{"epoch": 1, "loss": 0.52}, ...]';

/**
 * An object whose first value is a list (a JSON Lines record or trainer_state.json opens with a
 * scalar), or a list whose first value is an object (a TensorBoard JSON export's is a list).
 */
const OPENS_AS_HISTORY = /^\s*(?:\{\s*"[^"]*"\s*:\s*\[|\[\s*\{)/;
/**
 * A lone `{` on the first line: one JSON document written with `json.dump(..., indent=...)`, no
 * JSON Lines record (a line each); a history when it holds a list (`"train_loss": [`).
 */
const OPENS_PRETTY_PRINTED = /^\s*\{[ \t]*\r?\n/;
const HOLDS_A_LIST = /"\s*:\s*\[/;

/**
 * The plural a list of values is named with, and its singular in the key table: `train_losses` is
 * `train_loss`. Only at the name's end, so `loss_scale` or `epochs_run` keep their meaning.
 */
const PLURALS: readonly [RegExp, string][] = [
  [/(loss)es$/i, '$1'],
  [/(accurac)ies$/i, '$1y'],
  [/(acc|lr|epoch|step)s$/i, '$1'],
];

export const historyJsonReader: LogReader = {
  format: 'history-json',
  sniff: ({ text }) =>
    OPENS_AS_HISTORY.test(text) ||
    (OPENS_PRETTY_PRINTED.test(text) && HOLDS_A_LIST.test(text)) ||
    opensAsPrintedHistory(text),
  read: readHistoryJson,
};

async function readHistoryJson(file: string, shown: string): Promise<ReadLogResult> {
  let history: unknown;
  try {
    const text = await readFile(file, 'utf8');
    history = parsePythonJson(printedHistoryJson(text) ?? text);
  } catch (error) {
    throw new DataError(
      `${shown}: not valid JSON (${(error as Error).message}). Expected a history such as ${EXAMPLE}.`,
    );
  }
  const records = Array.isArray(history) ? history : wrappedRecords(history);
  const read = records !== undefined ? recordRows(records, shown, history) : listRows(history, shown);
  if (read.objects.rows.length === 0)
    throw new DataError(
      `${shown}:1: no ${records !== undefined ? 'record holds' : 'list is named for'} a loss ("loss", "train_loss", "val_loss", ...: see the key table in docs/commands.md)${foundKeys(read.objects.keys)}. Expected a history such as ${EXAMPLE}.`,
    );
  const result = read.objects.result();
  return { ...result, notes: [...read.notes, ...result.notes] };
}

/** Keys named in the message of a history with no loss: enough to see what it holds, on one line. */
const SHOWN_KEYS = 12;

/**
 * What a history with no loss holds, and why none of it is read in the loss's place: every rule
 * judges a loss, which falls as a model learns, and a score that rises (an accuracy, a cosine
 * similarity: bench log 501's `train_cos`, `val_cos`) would read as its opposite; `--tag` names a
 * CSV's or JSON Lines' loss column, not a history's.
 */
function foundKeys(keys: ReadonlySet<string>): string {
  if (keys.size === 0) return '';
  const shown = [...keys].slice(0, SHOWN_KEYS).map((key) => JSON.stringify(key));
  const more = keys.size > SHOWN_KEYS ? `, and ${keys.size - SHOWN_KEYS} more` : '';
  return `; it holds ${shown.join(', ')}${more}. convdoc judges a loss, which falls as the model learns: a score that rises (an accuracy, a similarity) is not read in its place, and no option makes it so. Log the loss beside it`;
}

interface HistoryRows {
  objects: ObjectRows;
  /** How the history was read, before the rows' own notes. */
  notes: string[];
}

/**
 * The records of an object that holds no list of numbers and one list of objects (`{"history":
 * [{"epoch": 1, "train_loss": ...}, ...], "best_epoch": 27}`): the run's history, its other values
 * the run's results. Undefined for any other object (an object of lists; two lists of records, no
 * way to tell which is the history).
 */
function wrappedRecords(history: unknown): unknown[] | undefined {
  if (!isPlainObject(history) || metricLists(history).length > 0) return undefined;
  const lists = Object.values(history).filter(
    (value): value is unknown[] => Array.isArray(value) && value.length > 0 && value.every(isPlainObject),
  );
  return lists.length === 1 ? lists[0] : undefined;
}

/** A list of records: each an epoch's or a step's object, as a JSON Lines line (`document`: the list, or the object it is a value of). */
function recordRows(records: unknown[], shown: string, document: unknown): HistoryRows {
  const objects = new ObjectRows();
  records.forEach((entry, index) => {
    const where = `${shown}: record ${index + 1}`;
    if (!isPlainObject(entry)) throw new DataError(`${where}: expected an object such as {"epoch": 1, "loss": 0.52}.`);
    objects.row(entry, where, index + 1);
  });
  return {
    objects,
    notes: document === records ? [] : [`the records under "${wrapperKey(document, records)}" read as the history`],
  };
}

/** The key an object holds its list of records under. */
function wrapperKey(document: unknown, records: unknown[]): string {
  return Object.entries(document as Record<string, unknown>).find(([, value]) => value === records)![0];
}

/** An object of lists: the i-th value of each list is epoch i (from 1), unless a list counts them. */
function listRows(history: unknown, shown: string): HistoryRows {
  if (!isPlainObject(history)) throw new DataError(`${shown}:1: expected one JSON object of lists such as ${EXAMPLE}.`);
  const series = metricLists(history);
  const counted = series.some(({ read }) => ['epoch', 'step'].includes(read.toLowerCase()));
  const length = Math.max(0, ...series.map(({ values }) => values.length));
  const objects = new ObjectRows();
  for (let index = 0; index < length; index += 1) {
    const record: Record<string, unknown> = counted ? {} : { epoch: index + 1 };
    for (const { read, values } of series) if (index < values.length) record[read] = values[index];
    objects.row(record, `${shown}: value ${index + 1} of each list`, index + 1);
  }
  return { objects, notes: listNotes(series, length) };
}

interface MetricList {
  /** The key as the file names it (`train_losses`). */
  name: string;
  /** The key as the key table reads it (`train_loss`). */
  read: string;
  values: unknown[];
}

/** The lists of numbers (a value may be null, an epoch not logged, or a string: `"nan"`); a list of names is none. */
function metricLists(history: Record<string, unknown>): MetricList[] {
  return Object.entries(history)
    .filter((entry): entry is [string, unknown[]] => Array.isArray(entry[1]) && entry[1].every(isValue))
    .map(([name, values]) => ({ name, read: singular(name), values }));
}

function isValue(value: unknown): boolean {
  return value === null || typeof value === 'number' || (typeof value === 'string' && isNumberText(value));
}

function singular(name: string): string {
  for (const [plural, replacement] of PLURALS) if (plural.test(name)) return name.replace(plural, replacement);
  return name;
}

/** What the report should say of how the lists were read: renamed plurals, lists shorter than the rest. */
function listNotes(series: readonly MetricList[], length: number): string[] {
  const notes = series
    .filter(({ name, read }) => name !== read)
    .map(({ name, read }) => `"${name}" (a list per epoch) read as "${read}"`);
  const short = series
    .filter(({ read, values }) => values.length < length && keyMeaning(read) !== null)
    .map(({ name }) => `"${name}"`);
  if (short.length > 0)
    notes.push(
      `${short.join(', ')} ${short.length === 1 ? 'holds' : 'hold'} fewer values than the longest list (${length}): read as the first epochs`,
    );
  return notes;
}
