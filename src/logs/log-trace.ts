/**
 * A training log as the engine's input: the ProbeTrace of src/trace/trace.ts with only what the log
 * holds filled in (the loss, evaluations, the learning rate, gradient norms) and every series it
 * lacks left empty, so that the engine can tell absent signals from measured ones.
 */
import { DataError } from '../errors.js';
import type { LayerSummary, ProbeTrace } from '../trace/trace.js';
import type { LogRow } from './log-row.js';
import { recordedActivations } from './recorded-activations.js';

/** Stands where a probe names its tfjs backend and version: nothing ran. */
const NOT_RUN = 'none';
/** A log does not say which loss it records. */
export const UNKNOWN_LOSS = 'unknown';

/**
 * The log holds a validation loss and no training loss (a Lightning run that logs only `val_loss`, a
 * TensorBoard export of `tag-val_loss`): the validation loss stands in as the run's loss curve, so
 * that divergence, a frozen or stuck run and spikes are judged on it; overfitting, which compares
 * the two curves, is not (analyze says why). Judging nothing would read as healthy, and rejecting
 * such a log left users who have one without an answer.
 */
export function onlyValidationLoss(rows: readonly LogRow[]): boolean {
  return !rows.some((row) => row.loss !== undefined) && rows.some((row) => row.valLoss !== undefined);
}

/**
 * `rows` are one segment's (log-segments.ts): their training and evaluation steps increase. `layers`
 * are the model's, when the log names them (a recording).
 */
export function logTrace(
  file: string,
  rows: readonly LogRow[],
  chanceLoss: number | null = null,
  layers: readonly LayerSummary[] = [],
): ProbeTrace {
  const standIn = onlyValidationLoss(rows);
  const training = standIn
    ? rows.flatMap((row) => (row.valLoss === undefined ? [] : [{ ...row, loss: row.valLoss }]))
    : rows.filter((row) => row.loss !== undefined);
  // Judging nothing would read as healthy, and a CI gate would pass on a log it never saw.
  if (training.length === 0)
    throw new DataError(
      `${file}: the log holds no training loss and no validation loss: ` +
        'analyze needs a `loss` or `val_loss` column (CSV) or key (JSON Lines) with at least one value (for TensorBoard exports: the download of a loss scalar).',
    );
  const evaluations = evaluationRows(rows);
  const loss = training.map((row) => row.loss!);
  const step = training.map((row) => row.step);
  const firstNan = loss.findIndex((value) => !Number.isFinite(value));
  const wallTimes = rows.flatMap((row) => (row.wallTime === undefined ? [] : [row.wallTime]));
  return {
    backend: NOT_RUN,
    tfjsVersion: NOT_RUN,
    lossName: UNKNOWN_LOSS,
    stepsPlanned: step.length,
    stepsRun: step.length,
    // The log is the whole run: it did not stop early, whatever its loss did.
    stoppedEarly: null,
    nanStep: firstNan < 0 ? null : step[firstNan]!,
    seconds: wallTimes.length > 1 ? wallTimes.at(-1)! - wallTimes[0]! : 0,
    initialLoss: loss[0] ?? Number.NaN,
    chanceLoss,
    layers: [...layers],
    targetScale: null,
    step,
    loss,
    learningRate: seriesOf(training, (row) => row.learningRate),
    ...gradientSeries(training),
    evalStep: evaluations.map((row) => row.step),
    // A stand-in's evaluations keep their steps (the held-out accuracy is indexed by them) but hold
    // no second loss curve: NaN at every evaluation is "no validation loss" to the engine.
    valLoss: evaluations.map((row) => (standIn ? Number.NaN : (row.valLoss ?? Number.NaN))),
    valMetric: accuracyOf(evaluations, (row) => row.valAccuracy),
    trainMetric: accuracyOf(training, (row) => row.accuracy),
    valScore: heldOutScore(rows),
    activations: recordedActivations(training, layers),
  };
}

/**
 * The rows that hold an evaluation: those with a validation loss, or, in a log that records none,
 * those with a validation accuracy (bench log 542: `train_loss`, `train_acc`, `val_acc` only), whose
 * validation loss is then NaN, "not measured", and whose accuracy overfitting-on-accuracy.ts judges.
 */
function evaluationRows(rows: readonly LogRow[]): readonly LogRow[] {
  const withLoss = rows.filter((row) => row.valLoss !== undefined);
  return withLoss.length > 0 ? withLoss : rows.filter((row) => row.valAccuracy !== undefined);
}

/** A series the log never records stays empty: the engine reads that as "not measured", not as NaN. */
function seriesOf(rows: readonly LogRow[], value: (row: LogRow) => number | undefined): number[] {
  return rows.some((row) => value(row) !== undefined) ? rows.map((row) => value(row) ?? Number.NaN) : [];
}

function accuracyOf(rows: readonly LogRow[], value: (row: LogRow) => number | undefined): ProbeTrace['valMetric'] {
  return rows.some((row) => value(row) !== undefined) ? { name: 'accuracy', values: seriesOf(rows, value) } : null;
}

/**
 * The rows with only the first held-out score the log writes (README, "held-out score"): a log that
 * writes two (`val_auc` rows, then `val_f1` ones; a PSNR line and an SSIM line) would mix them in
 * one series, and downsample-rows.ts would average them in a bucket, so analyze calls this first.
 */
export function firstScoreOnly(rows: readonly LogRow[]): readonly LogRow[] {
  const first = rows.find((row) => row.valScore !== undefined)?.scoreName;
  const other = (row: LogRow) => row.valScore !== undefined && row.scoreName !== first;
  if (!rows.some(other)) return rows;
  return rows.map((row) => {
    if (!other(row)) return row;
    const kept = { ...row };
    delete kept.valScore;
    delete kept.scoreName;
    return kept;
  });
}

/** The held-out score at the rows that log it (log-row.ts valScore): the first one the log writes. */
function heldOutScore(rows: readonly LogRow[]): ProbeTrace['valScore'] {
  const scored = firstScoreOnly(rows).filter((row) => row.valScore !== undefined);
  if (scored.length === 0) return null;
  return {
    name: scored[0]!.scoreName ?? 'score',
    step: scored.map((row) => row.step),
    values: scored.map((row) => row.valScore!),
  };
}

type GradientSeries = Pick<
  ProbeTrace,
  'globalGradNorm' | 'globalUpdateNorm' | 'gradNorm' | 'updateRatio' | 'nonFiniteSteps'
>;

/** Gradient norms and update ratios, global and per variable, as far as the log records them. */
function gradientSeries(training: readonly LogRow[]): GradientSeries {
  const variables = [...new Set(training.flatMap((row) => Object.keys(row.variableGradNorms)))];
  const gradNorm = Object.fromEntries(
    variables.map((variable) => [variable, seriesOf(training, (row) => row.variableGradNorms[variable])]),
  );
  const updated = [...new Set(training.flatMap((row) => Object.keys(row.updateRatios)))];
  return {
    // Without a logged global norm, the per-variable norms give it, as the probe computes it.
    globalGradNorm:
      training.some((row) => row.gradNorm !== undefined) || variables.length === 0
        ? seriesOf(training, (row) => row.gradNorm)
        : training.map((_, index) => Math.hypot(...variables.map((variable) => gradNorm[variable]![index]!))),
    globalUpdateNorm: [],
    gradNorm,
    updateRatio: Object.fromEntries(
      updated.map((variable) => [variable, seriesOf(training, (row) => row.updateRatios[variable])]),
    ),
    nonFiniteSteps: Object.fromEntries(
      variables.map((variable) => [
        variable,
        training.flatMap((row) => (isNonFinite(row.variableGradNorms[variable]) ? [row.step] : [])),
      ]),
    ),
  };
}

function isNonFinite(value: number | undefined): boolean {
  return value !== undefined && !Number.isFinite(value);
}
