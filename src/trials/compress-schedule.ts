/**
 * A schedule written for the planned run, measured in a trial that runs only a slice of it. Run as
 * written, a 300-step trial of a schedule sized for 140,000 steps sees nothing but the start of its
 * warmup, and the trial cannot show what the schedule does. So the trial runs the schedule's shape
 * compressed to its own horizon: every step count (warmup, decay, step size) scaled by
 * trialSteps / plannedSteps, as a one-cycle or cosine schedule is defined in fractions of the run
 * (Smith 2018; Loshchilov & Hutter 2017). The config written for the user keeps the planned sizes.
 */
import type { Config } from '../config/schema.js';

type Schedule = NonNullable<Config['training']['schedule']>;

/** What a trial measured in place of the schedule written for the plan. */
export interface CompressedSchedule {
  /** The steps the trial ran, and the planned run's. */
  trialSteps: number;
  plannedSteps: number;
  /** The schedule as the trial ran it. */
  measured: Schedule;
}

/**
 * The variant to run and what was compressed; the variant unchanged when its schedule is the
 * baseline's own (the user's schedule runs as the user will run it), when the plan is no longer
 * than the trial, or when scaling changes no step count.
 */
export function compressSchedule(
  variant: Config,
  baseline: Config,
  trialSteps: number,
  plannedSteps: number,
): { config: Config; compressed?: CompressedSchedule } {
  const schedule = variant.training.schedule;
  const ownSchedule = JSON.stringify(schedule) === JSON.stringify(baseline.training.schedule);
  if (schedule === null || ownSchedule || plannedSteps <= trialSteps) return { config: variant };
  const measured = scaled(schedule, trialSteps / plannedSteps);
  if (JSON.stringify(measured) === JSON.stringify(schedule)) return { config: variant };
  return {
    config: { ...variant, training: { ...variant.training, schedule: measured } },
    compressed: { trialSteps, plannedSteps, measured },
  };
}

/** The schedule with its step counts multiplied by `factor` (at least one step each, a warmup of 0 stays 0). */
function scaled(schedule: Schedule, factor: number): Schedule {
  const steps = (count: number) => Math.max(1, Math.round(count * factor));
  const warmupSteps = schedule.warmupSteps === 0 ? 0 : steps(schedule.warmupSteps);
  switch (schedule.type) {
    case 'cosine':
    case 'exponential':
      return { ...schedule, warmupSteps, decaySteps: steps(schedule.decaySteps) };
    case 'step':
      return { ...schedule, warmupSteps, stepSize: steps(schedule.stepSize) };
    case 'constant':
    case 'plateau':
      // A plateau schedule's patience counts evaluations, which the trial keeps: only its warmup is in steps.
      return { ...schedule, warmupSteps };
  }
}
