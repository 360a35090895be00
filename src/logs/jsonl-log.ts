/**
 * JSON Lines logs: one object per line with a step (`step`, `global_step`, `iter`, `iteration`,
 * `it`, or `epoch`) and losses under any name of the alias table (`loss`, `train/loss`,
 * `train_loss`, `val_loss`, `val/loss`, `valid_loss`, `eval_loss`, `lr`, `grad_norm`, ...), plus
 * per variable `grad_norm/<variable>` and `update_ratio/<variable>` (‖Δw‖/‖w‖ of the step's update,
 * as diagnose --trace-out writes them). A line may hold only an evaluation; lines with no loss at
 * all (a closing summary) carry nothing to judge and are passed over. Non-finite numbers may be
 * the strings "nan", "inf", "-inf", or Python's bare NaN / Infinity / -Infinity; null is a value not logged (Python's None). A record
 * nested per split (`{"train": {"loss": 5.2}, "val": {"loss": 4.9}}`) reads as `train/loss`, `val/loss`.
 */
import { DataError } from '../errors.js';
import type { Cell } from '../data/cell.js';
import { isPlainObject } from '../util/plain-object.js';
import { LineLosses } from './epoch-loss.js';
import { ConfigFields } from './config-fields.js';
import { flattenRecord } from './flatten-record.js';
import { stepsOfFractionalEpochs } from './fractional-epochs.js';
import { LossVariation } from './constant-loss.js';
import { columnsRow, logColumns, NO_VARIABLES, tagNote, type LogColumns } from './log-columns.js';
import { logLines } from './log-lines.js';
import type { LogReader, ReadLogResult } from './log-reader.js';
import { logNumber, type LogRow } from './log-row.js';
import { parsePythonJson } from './python-json.js';

export const GRAD_NORM_PREFIX = 'grad_norm/';
export const UPDATE_RATIO_PREFIX = 'update_ratio/';
const EXAMPLE = '{"step": 0, "loss": 2.3}';

export const jsonlReader: LogReader = {
  format: 'jsonl',
  // A first line that is a whole object: trainer_state.json and pretty-printed JSON open with a lone "{".
  sniff: ({ text }) => {
    const first = text.split(/\r\n|\r|\n/).find((line) => line.trim() !== '') ?? '';
    return isPlainObject(parseOrUndefined(first.trim()));
  },
  takesTag: true,
  read: (file, shown, options) => readJsonlLog(file, shown, options.tag),
};

/** The JSON value of `text`, or undefined when it is no JSON. */
export function parseOrUndefined(text: string): unknown {
  try {
    return parsePythonJson(text);
  } catch {
    return undefined;
  }
}

/**
 * The rows of a JSON Lines log. `tag`: the loss key the user named (`--tag`). A loss key that holds
 * one value on every line while another varies is read again through that other (constant-loss.ts).
 */
async function readJsonlLog(file: string, shown: string, tag?: string): Promise<ReadLogResult> {
  const objects = await readObjects(file, shown, tag);
  if (tag !== undefined) {
    if (!objects.keys.has(tag))
      throw new DataError(
        `${shown}: no line has a key "${tag}" (keys: ${[...objects.keys].map((key) => JSON.stringify(key)).join(', ')}). Pass --tag <name> with the training loss key.`,
      );
    const result = objects.result();
    return { ...result, notes: [tagNote(tag), ...result.notes] };
  }
  const instead = objects.instead();
  if (instead === undefined) return objects.result();
  const result = (await readObjects(file, shown, instead.loss)).result();
  return { ...result, notes: [instead.note, ...result.notes] };
}

async function readObjects(file: string, shown: string, chosenLoss: string | undefined): Promise<ObjectRows> {
  const objects = new ObjectRows(chosenLoss);
  for await (const batch of logLines(file))
    for (const { line, text } of batch) {
      const where = `${shown}:${line}`;
      const object = parseLine(text, where);
      objects.row(object, where, line);
    }
  if (objects.rows.length === 0 && chosenLoss === undefined)
    throw new DataError(
      `${shown}: no line holds a loss ("loss", "train_loss", "val_loss", ...: see the key table in docs/commands.md). Expected one JSON object per line such as ${EXAMPLE}.`,
    );
  return objects;
}

export function parseLine(text: string, where: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parsePythonJson(text);
  } catch (error) {
    throw new DataError(
      `${where}: not valid JSON (${(error as Error).message}). Each line must be one JSON object such as ${EXAMPLE}.`,
    );
  }
  if (!isPlainObject(value)) throw new DataError(`${where}: expected a JSON object such as ${EXAMPLE} on each line.`);
  return value;
}

/**
 * Rows of JSON objects (JSON Lines, a trainer's log history), resolving each set of keys once.
 * Nested objects are read as `/`-joined keys (flatten-record.ts); flags and names are no columns (config-fields.ts).
 */
export class ObjectRows {
  /** The rows read so far: objects that hold a loss. */
  readonly rows: LogRow[] = [];
  /** Every key of every object, in the order first seen (what `--tag` may name). */
  readonly keys = new Set<string>();
  private readonly columnsByKeys = new Map<string, { columns: LogColumns; watched: string[] }>();
  private byEpoch = true;
  private notes = new Set<string>();
  private readonly losses = new LineLosses();
  /** The keys read as the training loss, in the order first read. */
  private readonly lossKeys = new Set<string>();
  private readonly alternatives = new Set<string>();
  private readonly variation = new LossVariation();
  private readonly config = new ConfigFields();
  /** Loss cells (training or validation) that held JSON null: not logged (log-row.ts), said in the notes. */
  private nullLosses = 0;

  /** `chosenLoss`: the key to read as the training loss on every line (`--tag`, or constant-loss.ts's choice). */
  constructor(private readonly chosenLoss?: string) {}

  row(record: Record<string, unknown>, where: string, line: number): LogRow | null {
    const object = this.config.withoutConfig(flattenRecord(record));
    const keys = Object.keys(object);
    const signature = keys.join('\u0000');
    let resolved = this.columnsByKeys.get(signature);
    if (resolved === undefined) {
      resolved = this.resolve(keys);
      this.columnsByKeys.set(signature, resolved);
    }
    const { columns, watched } = resolved;
    for (const name of watched) this.variation.see(name, object[name]);
    for (const name of [columns.loss, columns.valLoss])
      if (name !== undefined && object[name] === null) this.nullLosses++;
    const row = columnsRow(columns, (name) => cellOf(object[name], where, name), where, line);
    if (row === null) return null;
    if (!columns.byEpoch) this.byEpoch = false;
    if (row.loss !== undefined) this.lossKeys.add(columns.loss!);
    this.losses.see(row, columns.loss, columns.stepLoss);
    for (const note of columns.notes) this.notes.add(note);
    for (const name of keys) addPerVariable(row, name, object[name], where);
    this.rows.push(row);
    return row;
  }

  /** A new set of keys: its columns, and the loss keys to watch for a constant one (constant-loss.ts). */
  private resolve(keys: readonly string[]): { columns: LogColumns; watched: string[] } {
    for (const key of keys) this.keys.add(key);
    const columns = logColumns(keys, this.chosenLoss);
    if (!LossVariation.watches(columns.loss, columns.lossAlternatives)) return { columns, watched: [] };
    for (const name of columns.lossAlternatives) this.alternatives.add(name);
    return { columns, watched: [columns.loss!, ...columns.lossAlternatives] };
  }

  /** The key to read instead of the loss keys read, when each holds one value and another loss key varies. */
  instead(): ReturnType<LossVariation['instead']> {
    return this.variation.instead([...this.lossKeys], [...this.alternatives]);
  }

  result(): ReadLogResult {
    const epochs = stepsOfFractionalEpochs(this.rows, undefined);
    const byEpoch = this.byEpoch && !epochs.renumbered;
    const judged = this.losses.judge(epochs.rows, byEpoch);
    return {
      rows: judged.rows,
      byEpoch,
      epochMeans: judged.epochMeans,
      notes: [...judged.notes, ...epochs.notes, ...this.notes, ...nullNote(this.nullLosses)],
      ...(this.lossKeys.size === 0 ? {} : { lossColumn: [...this.lossKeys].join(', ') }),
    };
  }
}

function addPerVariable(row: LogRow, name: string, value: unknown, where: string): void {
  const prefix = [GRAD_NORM_PREFIX, UPDATE_RATIO_PREFIX].find((candidate) => name.startsWith(candidate));
  if (prefix === undefined) return;
  const number = logNumber(cellOf(value, where, name), where, name);
  if (number === undefined) return;
  const variable = name.slice(prefix.length);
  const key = prefix === GRAD_NORM_PREFIX ? 'variableGradNorms' : 'updateRatios';
  if (row[key] === NO_VARIABLES) row[key] = {};
  row[key][variable] = number;
}

/** A JSON value as a cell; lists and objects are not numbers. */
export function cellOf(value: unknown, where: string, name: string): Cell {
  if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) return value as Cell;
  throw new DataError(`${where}: "${name}" holds ${Array.isArray(value) ? 'a list' : 'an object'}; expected a number.`);
}

/**
 * A null loss is read as a value not logged (Python's None), but JSON.stringify writes a NaN as null:
 * the report says how many were passed over, so a diverged JavaScript run is not silently cut short.
 */
function nullNote(count: number): string[] {
  return count === 0
    ? []
    : [
        `${count} loss value${count === 1 ? '' : 's'} logged as null read as not logged (Python's None; json.dumps writes a NaN as NaN, but JavaScript's JSON.stringify writes it as null)`,
      ];
}
