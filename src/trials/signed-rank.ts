/**
 * The exact one-sided Wilcoxon signed-rank test for paired trials (Wilcoxon 1945, "Individual
 * comparisons by ranking methods", Biometrics Bulletin 1(6)): run i of a fix and of the baseline
 * share seed i, so the test asks whether the per-seed differences (baseline's score minus the fix's,
 * trial-stats.ts scoreDifference) lean positive more than sign flips of the same magnitudes would by
 * chance. It weighs a seed by the rank of its difference's size: a fix that is slightly worse on one
 * seed and far better on the others can pass, one that is better on a bare majority by little
 * cannot. Distribution-free and exact for any number of seeds (Conover 1999, Practical
 * Nonparametric Statistics, 3rd ed., section 5.7): the null distribution is counted, not
 * approximated. Exact only for a statistic that changes sign when a pair's two runs trade places:
 * under the null hypothesis that the fix does nothing, the two runs of a seed are exchangeable, and
 * each sign pattern is then equally likely. The difference has that symmetry; 1 − fixed/baseline,
 * the `improvement` the report shows, has not (swapped, it is 1 − baseline/fixed), so it is not
 * what is ranked.
 */

/**
 * P(W+ >= observed W+) under the null hypothesis that each difference's sign is a fair coin.
 * W+ is the sum of the ranks of |difference| over the seeds where the fix was better (positive). Ties share
 * their mean rank. A seed with no change (0) keeps its rank in the null distribution but never
 * counts for the fix, which only raises p (stricter than dropping it, Pratt 1959). A NaN counts as
 * the worst outcome. With every seed better on n seeds, p = 2^-n: the sign test's p.
 */
export function signedRankPValue(differences: readonly number[]): number {
  const values = differences.map((value) => (Number.isNaN(value) ? Number.NEGATIVE_INFINITY : value));
  const ranks = doubledMidRanks(values.map(Math.abs));
  const observed = ranks.reduce((sum, rank, index) => (values[index]! > 0 ? sum + rank : sum), 0);
  const counts = signFlipCounts(ranks);
  const total = counts.reduce((sum, count) => sum + count, 0);
  const atLeast = counts.slice(observed).reduce((sum, count) => sum + count, 0);
  return total === 0 ? 1 : atLeast / total;
}

/**
 * The largest p-value at or below `level` that n seeds of distinct magnitudes can give: the test's
 * actual size at that level. The exact test is discrete, so it rejects less often than its nominal
 * level: at 5 seeds p <= 1/8 is p <= 3/32, as no outcome lies between (sequential.ts spends the rest).
 */
export function attainedSize(seeds: number, level: number): number {
  const counts = signFlipCounts(Array.from({ length: seeds }, (_, index) => 2 * (index + 1)));
  const total = 2 ** seeds;
  let atLeast = 0;
  let size = 0;
  for (let sum = counts.length - 1; sum >= 0; sum--) {
    atLeast += counts[sum]!;
    if (atLeast / total > level) break;
    size = atLeast / total;
  }
  return size;
}

/** Ranks 1..n of `magnitudes` (ties share their mean rank), doubled so that half ranks stay integers. */
function doubledMidRanks(magnitudes: readonly number[]): number[] {
  const order = magnitudes.map((_, index) => index).sort((a, b) => magnitudes[a]! - magnitudes[b]! || a - b);
  const ranks = new Array<number>(magnitudes.length).fill(0);
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end + 1 < order.length && magnitudes[order[end + 1]!] === magnitudes[order[start]!]) end++;
    // Positions start..end (0-based) hold ranks start+1..end+1; their mean, doubled, is start+end+2.
    for (let position = start; position <= end; position++) ranks[order[position]!] = start + end + 2;
    start = end + 1;
  }
  return ranks;
}

/** counts[s]: how many of the 2^n sign assignments give the positive ranks a (doubled) sum of s. */
function signFlipCounts(ranks: readonly number[]): number[] {
  const most = ranks.reduce((sum, rank) => sum + rank, 0);
  let counts = new Array<number>(most + 1).fill(0);
  counts[0] = 1;
  for (const rank of ranks) {
    const next = [...counts];
    for (let sum = 0; sum + rank <= most; sum++) next[sum + rank]! += counts[sum]!;
    counts = next;
  }
  return counts;
}
