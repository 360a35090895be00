/** "Did you mean" suggestions for misspelt keys, options and column names. */

/**
 * Edit distance with adjacent transpositions (optimal string alignment), small inputs only (keys
 * and names): "rleu" is one swap from "relu", as typists make it, not two edits.
 */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : i)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = rows[i]!;
      row[j] = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, rows[i - 2]![j - 2]! + 1);
    }
  }
  return rows[a.length]![b.length]!;
}

/**
 * The closest candidate, if it is close enough to be a plausible typo (case is ignored): at most one
 * edit per three characters, and never a rewrite of the whole word ("c" is not a typo of "a").
 */
function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Math.min(Math.ceil(word.length / 3), word.length - 1) + 1;
  for (const candidate of candidates) {
    // Of two as close, the one of the word's own length: a swap or a changed letter before a dropped one.
    const distance = editDistance(lower, candidate.toLowerCase()) + (candidate.length === word.length ? 0 : 0.5);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best;
}

/** ` Did you mean "x"?` or nothing, ready to append to a message. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` Did you mean "${match}"?`;
}
