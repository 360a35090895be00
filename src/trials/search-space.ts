/**
 * The space `convdoc search` samples and the successive-halving schedule it runs. Pure: numbers in,
 * numbers out, no tfjs.
 *
 * Sampling follows Bergstra & Bengio, "Random Search for Hyper-Parameter Optimization" (JMLR 2012):
 * independent draws, the learning rate log-uniform. The schedule is successive halving (Jamieson &
 * Talwalkar, AISTATS 2016) with Hyperband's reduction factor eta (Li et al., JMLR 2018).
 */
import type { Config } from '../config/schema.js';
import { createRandom, randomInt } from '../util/random.js';

/** The optimizers searched: Adam, SGD with (heavy-ball) momentum, RMSprop. */
export const SEARCH_OPTIMIZERS = ['adam', 'momentum', 'rmsprop'] as const;
type SearchOptimizer = (typeof SEARCH_OPTIMIZERS)[number];

/** Learning rates are drawn log-uniform over [1e-5, 1e-1], the range of the issue (and of common tuning practice). */
export const LEARNING_RATE_RANGE = { min: 1e-5, max: 1e-1 } as const;
/** Sampled rates are rounded to this many significant digits, so the suggested config edit reads cleanly. */
const LEARNING_RATE_DIGITS = 2;
/** Batch sizes: the powers of two from 8 to 128. */
export const BATCH_SIZES = [8, 16, 32, 64, 128] as const;
/** Momentum of the `momentum` optimizer: 0.9, the usual default (Sutskever et al. 2013; Keras' examples). */
export const SEARCH_MOMENTUM = 0.9;
/** Hyperband's default reduction factor: a third of each rung goes on, with three times the steps (Li et al. 2018). */
export const DEFAULT_ETA = 3;

export interface Candidate {
  optimizer: SearchOptimizer;
  learningRate: number;
  batchSize: number;
  /** Only for the `momentum` optimizer. */
  momentum?: number;
}

/** `count` independent candidates, the same for the same seed. */
export function sampleCandidates(count: number, seed: number): Candidate[] {
  const random = createRandom(seed);
  const logMin = Math.log10(LEARNING_RATE_RANGE.min);
  const logMax = Math.log10(LEARNING_RATE_RANGE.max);
  return Array.from({ length: count }, () => {
    // A fixed draw order per candidate: optimizer, rate, batch size.
    const optimizer = SEARCH_OPTIMIZERS[randomInt(random, SEARCH_OPTIMIZERS.length)]!;
    const rate = 10 ** (logMin + random() * (logMax - logMin));
    const learningRate = Math.min(
      LEARNING_RATE_RANGE.max,
      Math.max(LEARNING_RATE_RANGE.min, Number(rate.toPrecision(LEARNING_RATE_DIGITS))),
    );
    const batchSize = BATCH_SIZES[randomInt(random, BATCH_SIZES.length)]!;
    return optimizer === 'momentum'
      ? { optimizer, learningRate, batchSize, momentum: SEARCH_MOMENTUM }
      : { optimizer, learningRate, batchSize };
  });
}

/** One rung of successive halving: how many trials run, and for how many steps each (every run starts from scratch). */
export interface Rung {
  trials: number;
  steps: number;
}

/**
 * The successive-halving schedule for `trials` candidates and `budgetSteps` probe steps in all.
 * Rung k runs floor(trials / eta^k) trials (the best 1/eta of the rung before go on) until one
 * rung holds fewer than eta; each rung gets an equal share of the budget, split between its trials
 * (Jamieson & Talwalkar 2016, Algorithm 1, with eta in place of 2), so the steps per trial grow by
 * about eta per rung and Σ trials × steps ≤ budgetSteps. Steps per trial are capped at `maxSteps`
 * (the probe's full length): the last rung is then a full run and the unspent share is left over.
 */
export function halvingRungs(
  trials: number,
  budgetSteps: number,
  eta = DEFAULT_ETA,
  maxSteps = Number.POSITIVE_INFINITY,
): Rung[] {
  if (!Number.isInteger(trials) || trials < 1)
    throw new RangeError(`trials must be a whole number >= 1 (got ${trials})`);
  if (!Number.isInteger(eta) || eta < 2) throw new RangeError(`eta must be a whole number >= 2 (got ${eta})`);
  const counts: number[] = [];
  // Integer division: floor(floor(n / eta^k) / eta) = floor(n / eta^(k+1)).
  for (let count = trials; count >= 1; count = Math.floor(count / eta)) counts.push(count);
  const perRung = Math.floor(budgetSteps / counts.length);
  return counts.map((count) => ({
    trials: count,
    steps: Math.max(0, Math.min(maxSteps, Math.floor(perRung / count))),
  }));
}

/** Total probe steps of a schedule. */
export function scheduleSteps(rungs: readonly Rung[]): number {
  return rungs.reduce((sum, rung) => sum + rung.trials * rung.steps, 0);
}

/** The config with the candidate's optimizer, rate, batch size and momentum (dropped for optimizers without it). */
export function applyCandidate(config: Config, candidate: Candidate): Config {
  const { momentum: _dropped, ...training } = config.training;
  return {
    ...config,
    training: {
      ...training,
      optimizer: candidate.optimizer,
      learningRate: candidate.learningRate,
      batchSize: candidate.batchSize,
      ...(candidate.momentum === undefined ? {} : { momentum: candidate.momentum }),
    },
  };
}
