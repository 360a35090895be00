import { describe, expect, it } from 'vitest';
import { ColumnAccumulator } from '../../src/data/column-stats.js';
import { createRandom } from '../../src/util/random.js';

const CAP = 1000;

/** The distinct finite values as a Set counts them (-0 and 0 are one value), capped as the summary reports them. */
function expectedDistinct(values: readonly number[]) {
  const distinct = new Set(values.filter(Number.isFinite).map((value) => (Object.is(value, -0) ? 0 : value))).size;
  return { distinct: Math.min(distinct, CAP), distinctCapped: distinct > CAP };
}

const random = createRandom(3);
const draw = (length: number, value: (index: number) => number) => Array.from({ length }, (_, index) => value(index));

describe('ColumnAccumulator distinct values', () => {
  // Small whole numbers go to a bitmap, everything else to the sorted buffer: the counts must not depend on which.
  it.each([
    ['pixels 0-255', draw(5000, () => Math.floor(random() * 256))],
    ['zero and minus zero', [0, -0, 0, -0, 1]],
    ['the bitmap edge', [255, 256, 255.5, 256, -1, 254]],
    ['floats', draw(3000, () => random())],
    ['small integers and floats together, over the cap', draw(3000, (index) => (index % 2 ? index % 256 : random()))],
    ['exactly the cap', draw(CAP * 2, (index) => index % CAP)],
    ['one over the cap', draw(CAP + 1, (index) => index)],
    ['large integers with repeats', draw(4000, () => 1000 + Math.floor(random() * 900))],
    ['non-finite values ignored', [Number.NaN, Number.POSITIVE_INFINITY, 3, 3, 7]],
  ])('%s', (_, values) => {
    const column = new ColumnAccumulator('x');
    for (const value of values) column.add(value);
    const { distinct, distinctCapped } = column.summary();
    expect({ distinct, distinctCapped }).toEqual(expectedDistinct(values));
  });
});
