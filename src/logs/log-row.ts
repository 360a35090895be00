/**
 * One row of a training log as every reader yields it: an epoch or a step, with what the logger
 * recorded there (the step is the epoch in a per-epoch log). The readers differ only in how they find these values; log-trace.ts turns rows
 * into the trace the engine judges.
 */
import type { Cell } from '../data/cell.js';
import { isMissing, parseNumber } from '../data/cell.js';
import { DataError } from '../errors.js';
import { tensorValue } from './printed-tensor.js';

export interface LogRow {
  /** 1-based line in the file, for messages. */
  line: number;
  /** The step, or the epoch for per-epoch logs. */
  step: number;
  /** Undefined on a row that records only an evaluation. NaN and ±Infinity are data: divergence. */
  loss?: number;
  valLoss?: number;
  /** The per-step training loss when `loss` is each epoch's mean (epoch-loss.ts judges one of them). */
  stepLoss?: number;
  learningRate?: number;
  /** The global gradient norm. */
  gradNorm?: number;
  /** Per trainable variable (`dense_1/kernel`): its gradient norm. */
  variableGradNorms: Record<string, number>;
  /** Per trainable variable: ‖Δw‖/‖w‖ of the update this step applied (JSON Lines only). */
  updateRatios: Record<string, number>;
  /** Accuracy on the training batches and on the held-out data, in [0, 1], when the log records it. */
  accuracy?: number;
  valAccuracy?: number;
  /**
   * A held-out score that improves upwards (log-keys.ts HELD_OUT_SCORES: f1, auc, iou, dice, ssim,
   * psnr), as logged, and the score it is (`psnr`); never read as an accuracy.
   */
  valScore?: number;
  scoreName?: string;
  /** Seconds since the epoch (TensorBoard exports), for the run's duration. */
  wallTime?: number;
  /** Per activation layer, its statistics on this step's batch (convdoc_torch recordings). */
  activations?: Record<string, ActivationSample>;
}

/** One activation layer's statistics on one batch, as trace.ts's ActivationTrace holds them per evaluation. */
export interface ActivationSample {
  activation: string;
  mean: number;
  std: number;
  deadFraction?: number;
  saturatedFraction?: number;
  nearSaturatedFraction?: number;
}

/**
 * A logged number: finite, or NaN and ±Infinity as loggers spell them (`nan`, `inf`, `-inf`, Python's
 * bare `NaN` / `Infinity`); undefined when the cell holds no value (empty, `NA`: Keras' CSVLogger
 * writes that for a key it did not log; JSON's null, which is Python's None, a value not logged:
 * json.dumps writes a NaN as bare `NaN`, pandas' read_json reads null as a missing value; a JSON Lines
 * log says how many null losses it passed over, jsonl-log.ts); a printed PyTorch scalar tensor is its
 * value (printed-tensor.ts). Any other text is an error at `where`.
 */
export function logNumber(cell: Cell, where: string, column: string): number | undefined {
  if (typeof cell === 'string') {
    const plain = plainDecimal(cell);
    if (plain !== undefined) return plain;
    const inner = tensorValue(cell);
    if (inner !== undefined) return logNumber(inner, where, column);
  }
  if (typeof cell === 'string' && cell.trim().toLowerCase() === 'nan') return Number.NaN;
  if (isMissing(cell)) return undefined;
  const value = typeof cell === 'boolean' ? undefined : parseNumber(cell);
  if (value === undefined)
    throw new DataError(
      `${where}: ${column} is ${JSON.stringify(cell)}, not a number. Logged values must be numbers, nan or inf.`,
    );
  return value;
}

/**
 * A step or epoch: a whole number of at least 0. `fraction`: an epoch, which may be one of
 * HuggingFace's fractional epochs (fractional-epochs.ts numbers such rows as steps).
 */
export function logStep(cell: Cell, where: string, column: string, fraction = false): number {
  const value = logNumber(cell, where, column);
  if (value === undefined || !Number.isFinite(value) || (!fraction && !Number.isInteger(value)) || value < 0) {
    throw new DataError(`${where}: ${column} is ${JSON.stringify(cell ?? '')}; expected a whole number of at least 0.`);
  }
  return value;
}

const ZERO = 48;
const NINE = 57;
const MINUS = 45;
const DOT = 46;
/** `x`, `b`, `o` lower-cased: Number() reads 0x10, 0b1 and 0o7, which are no logged decimals. */
const RADIX_LETTERS = new Set([120, 98, 111]);

/**
 * The number of a cell that starts like a decimal (a digit, `-`, `.`) and that Number() reads:
 * the million-row fast path, one call instead of a trim, a regular expression and set lookups.
 * Undefined for anything else (the careful path decides).
 */
function plainDecimal(cell: string): number | undefined {
  const first = cell.charCodeAt(0);
  if (!((first >= ZERO && first <= NINE) || first === MINUS || first === DOT)) return undefined;
  if (first === ZERO && RADIX_LETTERS.has(cell.charCodeAt(1) | 32)) return undefined;
  const value = Number(cell);
  return Number.isNaN(value) ? undefined : value;
}
