/**
 * The LR range tests a set of trials needs. A fix that measures first (lr-schedule) starts from the
 * rate a range test suggests, and that rate belongs to the model and data the test trained: Smith's
 * range test (2017) is run per network, and standardized inputs or a ReLU stack take rates one or two
 * decades away from those of the raw inputs or the sigmoid stack. So a combination that pairs
 * lr-schedule with fixes that change the model or the data gets a range test of its own, on the
 * config with those other fixes applied; lr-schedule alone uses the test of the user's config.
 */
import type { Config } from '../config/schema.js';
import type { FixTable } from '../fixes/fix-table.js';
import type { FixContext } from '../fixes/transform.js';
import type { FixId } from '../symptoms/ids.js';
import { withLrTest } from './fix-context.js';
import type { LrTest } from './lr-test.js';
import type { ProbeJob } from './probe-jobs.js';

/** The fixes of a candidate that the range test runs under: all but those that measure first. */
function rangeTestBase(table: FixTable, fixes: readonly FixId[]): FixId[] {
  return fixes.filter((fix) => table.definition(fix).measureFirst !== 'lr-range-test');
}

export function measuresFirst(table: FixTable, fixes: readonly FixId[]): boolean {
  return fixes.some((fix) => table.definition(fix).measureFirst === 'lr-range-test');
}

/** The distinct range-test bases the candidates need, the user's own config ([]) first when needed. */
export function rangeTestBases(table: FixTable, candidates: readonly FixId[][]): FixId[][] {
  const bases = new Map<string, FixId[]>();
  for (const fixes of candidates.filter((fixes) => measuresFirst(table, fixes))) {
    const base = rangeTestBase(table, fixes);
    bases.set(base.join('+'), base);
  }
  return [...bases.values()].sort((a, b) => a.length - b.length);
}

/** The range test of `base` applied to the user's config (`base` empty: the config as written). */
export function rangeTestJob(
  table: FixTable,
  { config, context, seed, cost }: { config: Config; context: FixContext; seed: number; cost: number },
  base: readonly FixId[],
): ProbeJob {
  if (base.length === 0) return { kind: 'lr-test', label: 'LR range test', cost, seed };
  const variant = table.apply(config, base, context);
  return {
    kind: 'lr-test',
    label: `LR range test with ${base.join('+')}`,
    cost,
    seed,
    config: variant.config,
    ...(variant.graph === undefined ? {} : { graph: variant.graph }),
  };
}

/**
 * The fix context for `fixes`: with the range test of their base, else of the user's config (a pair
 * formed after the tests ran, in `--apply-fix all`), when one ran and suggested a rate.
 */
export function contextFor(
  table: FixTable,
  context: FixContext,
  tests: ReadonlyMap<string, LrTest>,
  fixes: readonly FixId[],
): FixContext {
  const test = tests.get(rangeTestBase(table, fixes).join('+')) ?? tests.get('');
  return test === undefined ? context : withLrTest(context, test);
}
