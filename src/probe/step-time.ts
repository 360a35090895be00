/**
 * Whether a probe fits in its time budget (probe.maxSeconds), measured before it trains. A training
 * step of a single row and a forward pass of one are timed on the backend that will train, then
 * scaled to the probe's batch and evaluation rows. A model too slow for even the shortest probe (an
 * evaluation, one step, the final evaluation) is refused with the numbers and what to change, instead
 * of starting a step that runs far past the budget (issue 17: a 224x224x3 MobileNet on wasm took
 * 101 s for its first step of 4 rows against a 60 s budget).
 *
 * Why a timed row rather than FLOPs over a measured matMul rate: on wasm a MobileNet training step
 * ran at 0.35 GFLOP/s while a small conv2d step ran at 9.8 GFLOP/s (batch normalization in training
 * mode, depthwise gradients and elementwise ops dominate), and a large MLP at ~90% of the matMul rate
 * (docs/performance.md): no one rate predicts both.
 */
import tf from '../util/tfjs.cjs';
import { ConvdocError } from '../errors.js';

/**
 * A single-row step that takes less than this share of the budget is cheap enough to time again at
 * one and two rows: the difference separates the per-step cost (weights read, ops dispatched) from
 * the per-row cost, so a big-weight model with a large batch is not scaled as if all of it grew with
 * the batch. Above it, one (warm-up-inflated, so cautious) measurement scaled by rows is used.
 */
const CHEAP_SHARE = 0.02;
/** The forward pass, then the backward pass's two products per layer (input and weight gradients). */
const FORWARD_PASSES_PER_STEP = 3;

export interface TimeEstimate {
  backend: string;
  batchRows: number;
  /** Rows of one evaluation: the validation rows and the activation check's rows. */
  evaluationRows: number;
  /** One training step of one row: measured, or three forward passes when that already cannot fit (`stepTimed` false). */
  rowStepSeconds: number;
  stepTimed: boolean;
  stepSeconds: number;
  evaluationSeconds: number;
  /** What the measurement itself took. */
  measuredSeconds: number;
}

/** Seconds of `work`, with its tensors disposed. */
function timed(work: () => void): number {
  const started = performance.now();
  tf.tidy(work);
  return (performance.now() - started) / 1000;
}

/**
 * Seconds of `work` as a function of rows: one measurement at 1 row scaled by rows or, when that row
 * was cheap, a line through 1 and 2 rows measured again (warm). `first` is the first measurement.
 */
function timeByRows(work: (rows: number) => void, budgetSeconds: number, warm = false) {
  const cold = timed(() => work(1));
  // A forward pass is cheap beside a step: timed again warm, its first call's set-up is not scaled by rows.
  const first = warm
    ? Math.min(
        cold,
        timed(() => work(1)),
      )
    : cold;
  if (first > budgetSeconds * CHEAP_SHARE) return { first, at: (rows: number) => first * rows };
  const one = timed(() => work(1));
  const perRow = Math.max(0, timed(() => work(2)) - one);
  return { first, at: (rows: number) => one + perRow * (rows - 1) };
}

/** A gradient of every trainable weight for a batch of `rows` zero examples (zeros are valid token ids too). */
function trainingStep(model: tf.LayersModel, rows: number): void {
  const xs = tf.zeros([rows, ...(model.inputs[0]!.shape.slice(1) as number[])]);
  const weights = model.trainableWeights.map((weight) => weight.read() as tf.Variable);
  const { value } = tf.variableGrads(() => tf.mean(model.apply(xs, { training: true }) as tf.Tensor), weights);
  value.dataSync();
}

function forwardPass(model: tf.LayersModel, rows: number): void {
  const xs = tf.zeros([rows, ...(model.inputs[0]!.shape.slice(1) as number[])]);
  (model.apply(xs, { training: false }) as tf.Tensor).dataSync();
}

/** Times `model` (built, not yet trained: the weights are not changed) and scales to the probe's rows. */
export function estimateProbeTime(
  model: tf.LayersModel,
  rows: Pick<TimeEstimate, 'backend' | 'batchRows' | 'evaluationRows'>,
  budgetSeconds: number,
): TimeEstimate {
  const started = performance.now();
  const forward = timeByRows((count) => forwardPass(model, count), budgetSeconds, true);
  const evaluationSeconds = forward.at(rows.evaluationRows);
  // A backward pass costs at least two forward passes: when even that cannot fit, the step (which
  // may take far longer, ~12 forward passes for a MobileNet on wasm) is not run to be timed.
  const atLeast = FORWARD_PASSES_PER_STEP * forward.at(rows.batchRows);
  const stepTimed = 2 * evaluationSeconds + atLeast <= budgetSeconds;
  const step = stepTimed
    ? timeByRows((count) => trainingStep(model, count), budgetSeconds)
    : { first: atLeast / rows.batchRows, at: () => atLeast };
  return {
    ...rows,
    rowStepSeconds: step.first,
    stepTimed,
    stepSeconds: step.at(rows.batchRows),
    evaluationSeconds,
    measuredSeconds: (performance.now() - started) / 1000,
  };
}

/** The probe's plan, as far as its time goes. */
export interface ProbeSchedule {
  maxSeconds: number;
  stepsPlanned: number;
  evalEvery: number;
}

/**
 * Throws the "too big for this probe" message when the shortest probe (an evaluation, one step, the
 * final evaluation) does not fit in what the measurement left of probe.maxSeconds.
 */
export function assertProbeInTime(estimate: TimeEstimate, schedule: ProbeSchedule): void {
  const { stepSeconds, evaluationSeconds, batchRows, backend } = estimate;
  const left = schedule.maxSeconds - estimate.measuredSeconds;
  const shortest = 2 * evaluationSeconds + stepSeconds;
  if (shortest <= left) return;
  const evaluations = Math.floor(schedule.stepsPlanned / schedule.evalEvery) + 1;
  const whole = schedule.stepsPlanned * stepSeconds + evaluations * evaluationSeconds + estimate.measuredSeconds;
  const batchThatFits = Math.floor(((left - 2 * evaluationSeconds) / stepSeconds) * batchRows);
  const options = [
    `probe.maxSeconds: ${Math.ceil(whole)} for the ${schedule.stepsPlanned} planned steps (fewer probe.steps need less: ${seconds(stepSeconds)} a step, ${seconds(evaluationSeconds)} an evaluation every ${schedule.evalEvery} steps)`,
    ...(batchThatFits >= 1 && batchThatFits < batchRows
      ? [`set probe.batchSize to ${batchThatFits} or less (the probe trains with batches of ${batchRows} now)`]
      : []),
    'smaller examples (data.inputShape: the time grows with the values per example)',
    ...(backend === 'tensorflow' ? [] : ['run with --backend node (native TensorFlow, usually several times faster)']),
  ];
  throw new ConvdocError(
    `the model is too big for this probe's time budget on ${backend}: ${stepPhrase(estimate)} and each evaluation of ${estimate.evaluationRows} rows about ${seconds(evaluationSeconds)}, so the shortest probe (an evaluation, a step, the final evaluation) needs ${seconds(shortest)}, more than the ${seconds(Math.max(0, left))} left of probe.maxSeconds (${schedule.maxSeconds} s). Options: ${options.join('; ')}.`,
  );
}

function stepPhrase({ batchRows, stepSeconds, stepTimed, rowStepSeconds }: TimeEstimate): string {
  return stepTimed
    ? `one training step of ${batchRows} rows takes about ${seconds(stepSeconds)} here (${seconds(rowStepSeconds)} measured for one row)`
    : `one training step of ${batchRows} rows takes at least ${seconds(stepSeconds)} here (${FORWARD_PASSES_PER_STEP} timed forward passes; too slow to time one)`;
}

function seconds(value: number): string {
  return value >= 10 ? `${Math.round(value)} s` : `${value.toPrecision(2)} s`;
}
