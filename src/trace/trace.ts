/**
 * What a probe records: plain numbers in arrays, no tensors, so the diagnostic engine can judge it
 * without tfjs, the report can carry it, and a trace from another framework can take its place.
 * Per-step series are indexed like `step`; evaluation series like `evalStep`.
 */

/**
 * Why a probe ended before its steps: a non-finite loss, the wall-time budget, or (in --apply-fix)
 * a trial clearly lost.
 */
export type StopReason = 'nan-loss' | 'time-budget' | 'lost-trial';

export interface LayerSummary {
  name: string;
  /** The tfjs-layers class in camelCase, as in the config. */
  type: string;
  /** The layer's activation ('linear' when it has none). */
  activation: string;
  outputShape: (number | null)[];
  params: number;
}

/** Statistics of one layer's output on the fixed probe batch, one value per evaluation. */
export interface ActivationTrace {
  layer: string;
  activation: string;
  mean: number[];
  std: number[];
  /**
   * ReLU-like activations: the fraction of units (channels) never active, i.e. whose input is never
   * positive, for every example of the probe batch. Null for other activations.
   */
  deadFraction: number[] | null;
  /**
   * sigmoid/tanh: the fraction of pre-activations beyond SageMaker Debugger's saturation bounds
   * (sigmoid x outside (-23, 17), tanh |x| > 9.5), where the gradient is zero in float32. Read
   * from the outputs through the monotone activation: x > 17 exactly when sigmoid(x) > sigmoid(17).
   */
  saturatedFraction: number[] | null;
  /** sigmoid/tanh: the fraction where the local gradient is below 1% of its peak (softer bound). */
  nearSaturatedFraction: number[] | null;
  /**
   * The steps of these values when they were not measured at the evaluations (`evalStep`): a
   * recorded run samples activations on its training steps, not where it validates.
   */
  step?: number[];
}

/**
 * The run the user planned, in optimizer steps: `epochs x ceil(trainRows / batchSize)` from the
 * config, an explicit `training.steps`, or the whole run a log recorded. The engine judges where
 * this run ends, measured when the trace covers it and projected when the trace is a shorter slice.
 */
export interface RunPlan {
  steps: number;
  source: 'epochs' | 'steps' | 'log';
  /** With source `epochs`: the epochs and the steps each takes. */
  epochs?: number;
  stepsPerEpoch?: number;
}

/**
 * One output of a model with several: its own loss on its own targets, per step and per evaluation.
 * The trace's `loss` is the sum the model trains on (each output's loss times its weight).
 */
export interface OutputTrace {
  /** The output layer's name. */
  name: string;
  lossName: string;
  /** The task its targets describe (regression, binary, multiclass, multilabel). */
  task: string;
  weight: number;
  chanceLoss: number | null;
  /** The output's shape per example (no batch axis): `[units]`, or positions then units for an image or sequence output. */
  shape: number[];
  /** The training batch's loss at each step (indexed like `step`). */
  loss: number[];
  /** The validation loss at each evaluation (indexed like `evalStep`). */
  valLoss: number[];
}

export interface ProbeTrace {
  backend: string;
  tfjsVersion: string;
  /** The canonical loss name. */
  lossName: string;
  /** The steps this trace was to record (a probe's budget, or the plan when that is shorter). */
  stepsPlanned: number;
  stepsRun: number;
  /** The whole run the user planned; absent when unknown, and then the trace is judged as the whole run. */
  plan?: RunPlan;
  stoppedEarly: StopReason | null;
  /** The step whose loss was first non-finite. */
  nanStep: number | null;
  seconds: number;
  /** The training loss of the first batch, before any update. */
  initialLoss: number;
  /** What a model that learned nothing scores: ln C for C classes, the target variance for MSE. */
  chanceLoss: number | null;
  layers: LayerSummary[];
  /** The scale each regression target column was divided by (data.normalizeTarget); null when unscaled. */
  targetScale: number[] | null;
  step: number[];
  loss: number[];
  learningRate: number[];
  /** L2 norm of the whole gradient, before clipping. */
  globalGradNorm: number[];
  /** L2 norm of the whole update the optimizer applied, measured on the weights (after clipping). */
  globalUpdateNorm: number[];
  /** Per trainable variable (`dense_1/kernel`): the L2 norm of its gradient at each step. */
  gradNorm: Record<string, number[]>;
  /** Per trainable variable: ‖Δw‖/‖w‖ of the applied update at each step. */
  updateRatio: Record<string, number[]>;
  /** Per trainable variable: the steps at which its gradient held a non-finite value. */
  nonFiniteSteps: Record<string, number[]>;
  evalStep: number[];
  valLoss: number[];
  /**
   * The first supported metric of the config on the validation rows (accuracy, mae or mse). For a
   * probe's accuracy over class labels, `chance` is the validation rows' majority-class accuracy
   * (metrics.ts majorityAccuracy); logs do not know their rows and have none.
   */
  valMetric: { name: string; values: number[]; chance?: number } | null;
  /**
   * A held-out score that improves upwards (f1, auc, iou, dice, ssim, psnr: log-keys.ts
   * HELD_OUT_SCORES), at its own evaluation steps, as a log records it. Its own series, never
   * valMetric: the detectors that read valMetric as an accuracy (chance level, a frozen accuracy)
   * must not see it. Absent for probes; null for a log without one.
   */
  valScore?: { name: string; step: number[]; values: number[] } | null;
  /**
   * The training batches' accuracy at each step, when a log records it; probes do not measure it
   * (absent), and a log without it has null.
   */
  trainMetric?: { name: string; values: number[] } | null;
  activations: ActivationTrace[];
  /** A model with several outputs: each output's loss (absent for one output). */
  outputs?: OutputTrace[];
}
