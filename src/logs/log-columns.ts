/**
 * Which of a log's columns (CSV) or keys (JSON) hold what convdoc judges, by the alias table of
 * log-keys.ts, and one LogRow read through them. CSV readers resolve their header once; JSON readers
 * resolve each object's keys, cached, since consecutive lines of a log repeat the same keys.
 */
import type { Cell } from '../data/cell.js';
import { DataError } from '../errors.js';
import { perStepLoss } from './epoch-loss.js';
import {
  keyMeaning,
  keysByRank,
  LIGHTNING_EPOCH_AVERAGES,
  normalizedKey,
  pickKey,
  scoreOf,
  type Quantity,
} from './log-keys.js';
import { logNumber, logStep, type LogRow } from './log-row.js';
import { regressionColumn } from './regression-columns.js';

export interface LogColumns {
  /** The step's column, or the epoch's in a per-epoch log; undefined when the log has neither. */
  step: string | undefined;
  /** The epoch's column beside a step column (the steps may count within it: steps-across-epochs.ts). */
  epoch: string | undefined;
  /** Whether the steps are epochs. */
  byEpoch: boolean;
  loss: string | undefined;
  /** The other training loss columns, best first (keysByRank): read instead of `loss` when it is a constant part (constant-loss.ts). */
  lossAlternatives: string[];
  /** The per-step training loss when `loss` is each epoch's mean (epoch-loss.ts chooses which is judged). */
  stepLoss: string | undefined;
  valLoss: string | undefined;
  learningRate: string | undefined;
  gradNorm: string | undefined;
  accuracy: string | undefined;
  valAccuracy: string | undefined;
  /** The held-out score's column (log-keys.ts HELD_OUT_SCORES), and the score it holds. */
  valScore: string | undefined;
  scoreName: string | undefined;
  /** The held-out columns are named `test_...`: read as validation, and the report says so. */
  heldOutIsTest: boolean;
  /** What the report says about the columns read: `test_loss` as validation, `train_mse` as the loss. */
  notes: string[];
}

/**
 * The per-variable records of a row that has none: one frozen object shared by every such row, so
 * that a million-row log does not allocate two empty objects per row. Readers that fill them
 * (JSON Lines) give the row its own objects first.
 */
export const NO_VARIABLES: Record<string, number> = Object.freeze({});

/**
 * The columns to read among `names`. `chosenLoss`: the training loss column the user named
 * (`--tag`) or the reader chose once the rows were read (constant-loss.ts), read alone (no
 * per-step column beside it) and kept out of the other picks.
 */
export function logColumns(all: readonly string[], chosenLoss?: string): LogColumns {
  const names = chosenLoss === undefined ? all : all.filter((name) => name !== chosenLoss);
  const pick = (quantity: Quantity) => pickKey(names, quantity, 'train');
  const step = pick('step');
  const validation = pickKey(names, 'loss', 'validation');
  const heldOutIsTest = validation === undefined && pickKey(names, 'loss', 'test') !== undefined;
  const heldOut = (quantity: Quantity) => pickKey(names, quantity, heldOutIsTest ? 'test' : 'validation');
  const [loss, valLoss] = [chosenLoss ?? pick('loss'), heldOut('loss')];
  const metrics = [chosenLoss === undefined ? loss : undefined, valLoss].filter(
    (name) => name !== undefined && keyMeaning(name)?.granularity === 'metric',
  );
  const accuracy = accuracyColumns(names, pick('accuracy'), heldOut('accuracy'));
  const valScore = heldOut('score');
  return {
    step: step ?? pick('epoch'),
    epoch: step === undefined ? undefined : pick('epoch'),
    byEpoch: step === undefined && pick('epoch') !== undefined,
    loss,
    lossAlternatives: chosenLoss === undefined ? keysByRank(names, 'loss', 'train').slice(1) : [],
    stepLoss: chosenLoss === undefined ? perStepLoss(names, loss) : undefined,
    valLoss,
    learningRate: pick('learning-rate'),
    gradNorm: pick('grad-norm'),
    accuracy: accuracy.accuracy,
    valAccuracy: accuracy.valAccuracy,
    valScore,
    scoreName: valScore === undefined ? undefined : scoreOf(valScore),
    heldOutIsTest,
    notes: [
      ...(heldOutIsTest ? [`${valLoss} read as the validation loss`] : []),
      ...perEpochValidation(names, valLoss),
      ...(metrics.length > 0 ? [`no column is named for a loss: ${metrics.join(' and ')} read as the loss`] : []),
      ...[loss, valLoss].flatMap(epochAverageNote),
      ...accuracy.notes,
    ],
  };
}

/** The note that the column `--tag` named was read as the training loss. */
export function tagNote(tag: string): string {
  return `"${tag}" read as the training loss (--tag)`;
}

/** The note that a Lightning epoch average (log-keys.ts) was read as a loss: its name does not say so. */
function epochAverageNote(name: string | undefined): string[] {
  return name !== undefined && LIGHTNING_EPOCH_AVERAGES.has(normalizedKey(name))
    ? [`"${name}" read as the epoch's mean loss (the name Lightning's migration example gives it)`]
    : [];
}

/** The note that the validation loss read is each epoch's mean, when a per-step one is logged too (Lightning's `val_loss_step`). */
function perEpochValidation(names: readonly string[], valLoss: string | undefined): string[] {
  const step = perStepLoss(names, valLoss);
  return step === undefined ? [] : [`"${valLoss}" (each epoch's mean) read as the validation loss, not "${step}"`];
}

/**
 * The accuracy columns to read: none when another column says the run is a regression
 * (regression-columns.ts), where an `accuracy` is no classifier's and no chance level follows from it.
 */
function accuracyColumns(
  names: readonly string[],
  accuracy: string | undefined,
  valAccuracy: string | undefined,
): Pick<LogColumns, 'accuracy' | 'valAccuracy' | 'notes'> {
  const regression = regressionColumn(names);
  const read = [accuracy, valAccuracy].filter((name) => name !== undefined);
  if (regression === undefined || read.length === 0) return { accuracy, valAccuracy, notes: [] };
  return {
    accuracy: undefined,
    valAccuracy: undefined,
    notes: [
      `${read.join(' and ')} not read as a classifier's accuracy: the ${regression} column says the run is a regression`,
    ],
  };
}

/** Whether the columns hold anything to judge: a training or a validation loss. */
export function hasLoss(columns: LogColumns): boolean {
  return columns.loss !== undefined || columns.valLoss !== undefined;
}

/**
 * The row that `cell` (a column's cell on this line) gives; null when the line holds no loss (a
 * row of metrics only, a trainer's closing summary). `fallbackStep` stands for a log without a
 * step column (a pandas history: the row's index is its epoch).
 */
export function columnsRow(
  columns: LogColumns,
  cell: (name: string) => Cell,
  where: string,
  line: number,
  fallbackStep?: number,
): LogRow | null {
  const read = (name: string | undefined) => (name === undefined ? undefined : logNumber(cell(name), where, name));
  const loss = read(columns.loss);
  const valLoss = read(columns.valLoss);
  const stepLoss = read(columns.stepLoss);
  const score = scoreCells(columns, read);
  if (loss === undefined && valLoss === undefined && stepLoss === undefined && score.valScore === undefined)
    return null;
  const step =
    columns.step === undefined ? fallbackStep : logStep(cell(columns.step), where, columns.step, columns.byEpoch);
  if (step === undefined)
    throw new DataError(`${where}: the line has no "step" or "epoch". Every logged loss needs its step.`);
  return {
    line,
    step,
    loss,
    valLoss,
    stepLoss,
    learningRate: read(columns.learningRate),
    gradNorm: read(columns.gradNorm),
    accuracy: read(columns.accuracy),
    valAccuracy: read(columns.valAccuracy),
    ...score,
    variableGradNorms: NO_VARIABLES,
    updateRatios: NO_VARIABLES,
  };
}

/** The row's held-out score and its name, when the line holds one (no fields otherwise: most logs have none). */
function scoreCells(
  columns: LogColumns,
  read: (name: string | undefined) => number | undefined,
): Pick<LogRow, 'valScore' | 'scoreName'> {
  const valScore = read(columns.valScore);
  return valScore === undefined ? {} : { valScore, scoreName: columns.scoreName };
}
