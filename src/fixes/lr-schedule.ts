/**
 * `lr-schedule`: the initial learning rate from an LR range test where one ran, and a cosine decay
 * over the full run, with warmup when the early steps diverged. Without a range test the rate
 * moves one decade, down for divergence and up for a crawl: the step Smith's range test would take
 * from a rate that is off by about that much. A rate whose first update was larger than the weights
 * is off by far more (1e300 is one decade from 1e299): it restarts from Keras' default, at most.
 * Likewise a crawl starts again from Keras' default at least: a rate too low by five decades (1e-6
 * for SGD) is not repaired by one, and the default is the documented start for the optimizer.
 */
import { DEFAULT_LEARNING_RATE, type Config } from '../config/schema.js';
import { firstUpdateOvershoot } from '../symptoms/signals.js';
import type { SymptomId } from '../symptoms/ids.js';
import { formatNumber } from '../util/format.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { FixContext, FixTransform } from './transform.js';
import { rateNote, rateText, type FixCodeWriters } from './code/code-context.js';

/** Symptoms of a rate too high, and too low; the factor a rate moves without a range test. */
const TOO_HIGH: ReadonlySet<SymptomId> = new Set([
  'lr-too-high',
  'nan-loss',
  'exploding-gradients',
  'oscillating-loss',
]);
const TOO_LOW: ReadonlySet<SymptomId> = new Set(['lr-too-low', 'plateau']);
export const FALLBACK_FACTOR = 10;
/**
 * Warmup over this share of the run when the probe diverged early or the range test's loss spiked:
 * Goyal et al. 2017 ("Accurate, Large Minibatch SGD") warm up linearly for 5 of 90 epochs, about 5%.
 */
export const WARMUP_FRACTION = 0.05;
/** Steps per epoch assumed when the caller does not know the planned run (the probe's default budget). */
const UNKNOWN_STEPS_PER_EPOCH = 100;

/** The schedule to train with from the suggested rate, in the config's terms (training.schedule). */
export interface ScheduleRecommendation {
  type: 'cosine';
  /** The whole planned run, in optimizer steps. */
  decaySteps: number;
  /** Decay to zero, as Keras' CosineDecay does by default. */
  alpha: 0;
  /** Linear warmup, when the sweep spiked before the suggested rate; 0 otherwise. */
  warmupSteps: number;
}

/**
 * Cosine decay from the suggested rate to zero over the whole run (Loshchilov & Hutter 2017, SGDR;
 * Keras CosineDecay; fastai's fit_one_cycle also anneals by cosine): the range test finds the largest
 * rate that still trains well early on, and decaying from it settles into a minimum without a second
 * search. With a linear warmup of WARMUP_FRACTION of the run when the sweep's loss spiked before the
 * suggested rate (a batch that throws the loss up at a rate too small to move the weights can throw
 * the weights off at the full rate, before the optimizer's statistics have settled). Null without a
 * suggestion.
 */
export function recommendSchedule(
  analysis: { suggested: number | null; spike: number | null },
  run: { steps: number },
): ScheduleRecommendation | null {
  if (analysis.suggested === null) return null;
  const decaySteps = Math.max(1, run.steps);
  return {
    type: 'cosine',
    decaySteps,
    alpha: 0,
    warmupSteps: analysis.spike === null ? 0 : Math.max(1, Math.round(WARMUP_FRACTION * decaySteps)),
  };
}

/** A rate for a config file: one significant digit (the sweep resolves rates to ~20%, its step). */
export function roundRate(rate: number): number {
  return Number(rate.toPrecision(1));
}

export const lrScheduleFix: FixTransform = {
  apply(config, context) {
    const current = config.training.learningRate;
    const tested = context.learningRateTest;
    const { rate, why, diverged } = startingRate(config, context);
    const decaySteps = Math.max(1, context.plannedSteps ?? config.training.epochs * UNKNOWN_STEPS_PER_EPOCH);
    const warmupSteps =
      tested !== undefined
        ? tested.schedule.warmupSteps
        : diverged
          ? Math.max(1, Math.round(WARMUP_FRACTION * decaySteps))
          : 0;
    const schedule: NonNullable<Config['training']['schedule']> = { type: 'cosine', decaySteps, alpha: 0, warmupSteps };
    const changes: ConfigChange[] = [];
    if (rate !== current) changes.push({ path: ['training', 'learningRate'], from: current, to: rate, why });
    if (JSON.stringify(config.training.schedule) !== JSON.stringify(schedule)) {
      const spiked = tested !== undefined ? "the range test's loss spiked early" : 'the early steps diverged';
      const warmup = warmupSteps > 0 ? `, after ${warmupSteps} warmup steps because ${spiked}` : '';
      changes.push({
        path: ['training', 'schedule'],
        from: config.training.schedule,
        to: schedule,
        why: `cosine decay over the ${formatNumber(decaySteps)} steps of the run${warmup}`,
      });
    }
    return { config: { ...config, training: { ...config.training, learningRate: rate, schedule } }, changes };
  },
};

/** The rate to start from, why, and whether the run diverged (then the schedule warms up). */
function startingRate(config: Config, context: FixContext): { rate: number; why: string; diverged: boolean } {
  const symptoms = new Set(context.findings.map((finding) => finding.symptom));
  const current = config.training.learningRate;
  const tested = context.learningRateTest;
  const diverged = [...TOO_HIGH].some((symptom) => symptoms.has(symptom));
  if (tested !== undefined)
    return {
      rate: roundRate(tested.suggested),
      why: `an LR range test suggests ${formatNumber(tested.suggested)}`,
      diverged,
    };
  if (context.trace !== undefined && firstUpdateOvershoot(context.trace) !== null) {
    const { optimizer } = config.training;
    return {
      rate: Math.min(current / FALLBACK_FACTOR, DEFAULT_LEARNING_RATE[optimizer]),
      why: `the first update was larger than the weights: at most Keras' default for ${optimizer}`,
      diverged: true,
    };
  }
  if (diverged) return { rate: current / FALLBACK_FACTOR, why: 'the loss diverged: one decade lower', diverged };
  if ([...TOO_LOW].some((symptom) => symptoms.has(symptom))) {
    const { optimizer } = config.training;
    const decade = current * FALLBACK_FACTOR;
    return decade >= DEFAULT_LEARNING_RATE[optimizer]
      ? { rate: decade, why: 'the loss barely moved: one decade higher', diverged }
      : {
          rate: DEFAULT_LEARNING_RATE[optimizer],
          why: `the loss barely moved: up to Keras' default for ${optimizer}, at least a decade higher`,
          diverged,
        };
  }
  return { rate: current, why: '', diverged };
}

/** lr-schedule as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const lrScheduleCode: FixCodeWriters = {
  pytorch: (context) =>
    [
      `optimizer = torch.optim.SGD(model.parameters(), lr=${rateText(context, 'lr')})  # your optimizer, this rate${rateNote(context)}`,
      `scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=${context.steps ?? 'total_steps'})`,
      '# in the loop, after optimizer.step(): scheduler.step()',
      '# or OneCycleLR(optimizer, max_lr=..., total_steps=...) for warmup and decay in one',
    ].join('\n'),
  keras: (context) =>
    [
      `schedule = keras.optimizers.schedules.CosineDecay(initial_learning_rate=${rateText(context, 'lr')}, decay_steps=${context.steps ?? 'total_steps'})`,
      `optimizer = keras.optimizers.SGD(learning_rate=schedule)  # your optimizer, this schedule${rateNote(context)}`,
    ].join('\n'),
  tfjs: (context) =>
    [
      `const lr0 = ${rateText(context, 'lr')}, total = ${context.steps ?? 'totalSteps'};  // cosine decay${rateNote(context)}`,
      'const optimizer = tf.train.sgd(lr0);  // tfjs has no schedules: set the rate per batch',
      'let step = 0;',
      'const callbacks = { onBatchEnd: () => { optimizer.setLearningRate(lr0 * 0.5 * (1 + Math.cos(Math.PI * Math.min(++step, total) / total))); } };',
    ].join('\n'),
};
