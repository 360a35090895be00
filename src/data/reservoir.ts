/**
 * Seeded reservoir sampling (Vitter's Algorithm R): a uniform sample of at most `capacity` rows from
 * a stream of unknown length, so that the probe's cost does not grow with the file.
 */
import { createRandom, randomInt, type Random } from '../util/random.js';

export class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;
  private readonly random: Random;

  constructor(
    private readonly capacity: number,
    seed: number,
  ) {
    this.random = createRandom(seed);
  }

  /**
   * Offers the next row of the stream. `make` builds the item only when it is kept, so rows that
   * are not sampled cost no allocation.
   */
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.capacity) {
      this.items.push(make());
      return;
    }
    const slot = randomInt(this.random, this.seen);
    if (slot < this.capacity) this.items[slot] = make();
  }
}
