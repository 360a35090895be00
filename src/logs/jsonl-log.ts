/**
 * JSON Lines logs: one object per line with `step` (or `epoch`), `loss`, and any of `val_loss`
 * (`eval_loss`), `lr` (`learning_rate`), `grad_norm`, and per variable `grad_norm/<variable>` and
 * `update_ratio/<variable>` (‖Δw‖/‖w‖ of the step's update).
 * A line may hold only an evaluation (`val_loss` without `loss`); lines with neither, such as a
 * trainer's closing summary, carry nothing to judge and are passed over. Non-finite numbers are
 * the strings "nan", "inf", "-inf" or null (see trace-jsonl.ts, which writes this format).
 */
import { Readable } from 'node:stream';
import { DataError } from '../errors.js';
import type { Cell } from '../data/cell.js';
import { jsonLines, type JsonLineHints } from '../data/json-lines.js';
import { LEARNING_RATE_NAMES, logNumber, logStep, STEP_NAMES, type LogRow } from './log-row.js';

const VAL_LOSS_KEYS = ['val_loss', 'eval_loss'];
export const GRAD_NORM_PREFIX = 'grad_norm/';
export const UPDATE_RATIO_PREFIX = 'update_ratio/';
const EXAMPLE = '{"step": 0, "loss": 2.3}';
const LOG_LINE_HINTS: JsonLineHints = {
  notJson: `Each line must be one JSON object such as ${EXAMPLE}.`,
  example: EXAMPLE,
};

export async function jsonlRows(file: string, text: string): Promise<LogRow[]> {
  const rows: LogRow[] = [];
  for await (const { line, object } of jsonLines(Readable.from([text]), file, LOG_LINE_HINTS)) {
    const row = jsonlRow(object, `${file}:${line}`, line);
    if (row !== null) rows.push(row);
  }
  if (rows.length === 0)
    throw new DataError(
      `${file}: no line holds a "loss" or "val_loss". Expected one JSON object per line such as ${EXAMPLE}.`,
    );
  return rows;
}

/** The row of one object; null when it holds neither a loss nor a validation loss. */
function jsonlRow(object: Record<string, unknown>, where: string, line: number): LogRow | null {
  const key = (names: readonly string[]) => names.find((name) => name in object);
  const read = (...names: string[]) => {
    const name = key(names);
    return name === undefined ? undefined : logNumber(cellOf(object[name], where, name), where, name);
  };
  const loss = read('loss');
  const valLoss = read(...VAL_LOSS_KEYS);
  if (loss === undefined && valLoss === undefined) return null;
  const stepKey = key(STEP_NAMES);
  if (stepKey === undefined)
    throw new DataError(`${where}: the object has no "step" or "epoch". Every logged loss needs its step.`);
  const step = logStep(cellOf(object[stepKey], where, stepKey), where, stepKey);
  const row: LogRow = {
    line,
    step,
    loss,
    valLoss,
    learningRate: read(...LEARNING_RATE_NAMES),
    gradNorm: read('grad_norm'),
    variableGradNorms: {},
    updateRatios: {},
  };
  for (const name of Object.keys(object)) {
    const value = name.startsWith(GRAD_NORM_PREFIX) || name.startsWith(UPDATE_RATIO_PREFIX) ? read(name) : undefined;
    if (value === undefined) continue;
    if (name.startsWith(GRAD_NORM_PREFIX)) row.variableGradNorms[name.slice(GRAD_NORM_PREFIX.length)] = value;
    else row.updateRatios[name.slice(UPDATE_RATIO_PREFIX.length)] = value;
  }
  return row;
}

/** A JSON value as a cell; lists and objects are not numbers. */
function cellOf(value: unknown, where: string, name: string): Cell {
  if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) return value as Cell;
  throw new DataError(`${where}: "${name}" holds ${Array.isArray(value) ? 'a list' : 'an object'}; expected a number.`);
}
