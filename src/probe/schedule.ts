/**
 * Learning rate per optimizer step for the schedules of the config. Pure: the probe asks for the
 * rate at each step, and `plateau` is told each validation loss as it comes.
 */
import type { Config } from '../config/schema.js';

type Schedule = NonNullable<Config['training']['schedule']>;

export interface LearningRateSchedule {
  /** The rate to use for optimizer step `step` (0-based). */
  at(step: number): number;
  /** Tells a plateau schedule the latest validation loss; others ignore it. */
  observe(validationLoss: number): void;
}

export function createSchedule(initial: number, schedule: Schedule | null): LearningRateSchedule {
  if (schedule === null) return { at: () => initial, observe: () => undefined };
  const warm = (step: number, rate: number) =>
    // Linear warmup from initial/warmupSteps to the scheduled rate, as Keras' and PyTorch's warmup do.
    schedule.warmupSteps > 0 && step < schedule.warmupSteps ? (rate * (step + 1)) / schedule.warmupSteps : rate;
  switch (schedule.type) {
    case 'constant':
      return { at: (step) => warm(step, initial), observe: () => undefined };
    case 'exponential':
      return {
        at: (step) => warm(step, initial * schedule.decayRate ** (step / schedule.decaySteps)),
        observe: () => undefined,
      };
    case 'step':
      return {
        at: (step) => warm(step, initial * schedule.gamma ** Math.floor(step / schedule.stepSize)),
        observe: () => undefined,
      };
    case 'cosine':
      return {
        at: (step) => {
          const progress = Math.min(step, schedule.decaySteps) / schedule.decaySteps;
          const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
          return warm(step, initial * ((1 - schedule.alpha) * cosine + schedule.alpha));
        },
        observe: () => undefined,
      };
    case 'plateau':
      return plateauSchedule(initial, schedule, warm);
  }
}

/** Keras ReduceLROnPlateau: multiply by `factor` after `patience` evaluations without improvement. */
function plateauSchedule(
  initial: number,
  schedule: Extract<Schedule, { type: 'plateau' }>,
  warm: (step: number, rate: number) => number,
): LearningRateSchedule {
  let rate = initial;
  let best = Number.POSITIVE_INFINITY;
  let waited = 0;
  return {
    at: (step) => warm(step, rate),
    observe(validationLoss) {
      if (validationLoss < best - schedule.minDelta) {
        best = validationLoss;
        waited = 0;
      } else if (++waited > schedule.patience) {
        rate = Math.max(schedule.minLearningRate, rate * schedule.factor);
        waited = 0;
      }
    },
  };
}
