import { createRandom } from '../util/random.js';

/**
 * Runs `work` with Math.random drawing from `seed`. tfjs draws every unseeded random number
 * (weight initializers, dropout masks, noise layers) from a generator it seeds with Math.random(),
 * so this makes all of them follow the config's seed, while dropout still draws a new mask each
 * step (a fixed tfjs dropout seed would repeat one mask forever). Math.random is restored after.
 */
export function withSeededRandom<T>(seed: number, work: () => T): T {
  const original = Math.random;
  Math.random = createRandom(seed);
  try {
    return work();
  } finally {
    Math.random = original;
  }
}
