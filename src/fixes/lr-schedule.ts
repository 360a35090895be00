/**
 * `lr-schedule`: the initial learning rate from an LR range test where one ran, and a cosine decay
 * over the full run, with warmup when the early steps diverged. Without a range test the rate
 * moves one decade, down for divergence and up for a crawl: the step Smith's range test would take
 * from a rate that is off by about that much.
 */
import type { Config } from '../config/schema.js';
import type { SymptomId } from '../symptoms/ids.js';
import { formatNumber } from '../util/format.js';
import { roundRate } from './lr-range.js';
import type { ConfigChange, FixTransform } from './transform.js';

/** Symptoms of a rate too high, and too low; the factor a rate moves without a range test. */
const TOO_HIGH: ReadonlySet<SymptomId> = new Set(['lr-too-high', 'nan-loss', 'exploding-gradients', 'oscillating-loss']);
const TOO_LOW: ReadonlySet<SymptomId> = new Set(['lr-too-low', 'plateau']);
export const FALLBACK_FACTOR = 10;
/** Warmup over this share of the run when the probe diverged early (Goyal et al. 2017 warm up over the first epochs). */
export const WARMUP_FRACTION = 0.05;
/** Steps per epoch assumed when the caller does not know the dataset (the probe's default budget). */
const UNKNOWN_STEPS_PER_EPOCH = 100;

export const lrScheduleFix: FixTransform = {
  id: 'lr-schedule',
  apply(config, context) {
    const symptoms = new Set(context.findings.map((finding) => finding.symptom));
    const current = config.training.learningRate;
    const tested = context.learningRateTest;
    const tooHigh = [...TOO_HIGH].some((symptom) => symptoms.has(symptom));
    const tooLow = [...TOO_LOW].some((symptom) => symptoms.has(symptom));
    const rate = tested !== undefined ? roundRate(tested.suggested) : tooHigh ? current / FALLBACK_FACTOR : tooLow ? current * FALLBACK_FACTOR : current;
    const decaySteps = Math.max(1, config.training.epochs * (context.stepsPerEpoch ?? UNKNOWN_STEPS_PER_EPOCH));
    const warmupSteps = tested !== undefined ? tested.schedule.warmupSteps : tooHigh ? Math.max(1, Math.round(WARMUP_FRACTION * decaySteps)) : 0;
    const schedule: NonNullable<Config['training']['schedule']> = { type: 'cosine', decaySteps, alpha: 0, warmupSteps };
    const changes: ConfigChange[] = [];
    if (rate !== current) {
      const why = tested !== undefined ? `an LR range test suggests ${formatNumber(tested.suggested)}` : tooHigh ? `the loss diverged: one decade lower` : `the loss barely moved: one decade higher`;
      changes.push({ path: ['training', 'learningRate'], from: current, to: rate, why });
    }
    if (JSON.stringify(config.training.schedule) !== JSON.stringify(schedule)) {
      changes.push({
        path: ['training', 'schedule'],
        from: config.training.schedule,
        to: schedule,
        why: `cosine decay over the ${formatNumber(decaySteps)} steps of the run${warmupSteps > 0 ? `, after ${warmupSteps} warmup steps because ${tested !== undefined ? "the range test's loss spiked early" : 'the early steps diverged'}` : ''}`,
      });
    }
    return { config: { ...config, training: { ...config.training, learningRate: rate, schedule } }, changes };
  },
};
