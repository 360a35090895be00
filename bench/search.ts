/**
 * `convdoc search` against plain random search of the same budget, on the examples: for each
 * example and seed, the search (successive halving) and the random baseline each pick a config
 * within the same number of probe steps; both picks then run once at full length on a held-out
 * seed, and the lower validation loss wins (within 1%, a tie). Run: `npx tsx bench/search.ts`.
 */
import path from 'node:path';
import { search } from '../src/commands/search.js';
import type { SearchResult } from '../src/trials/search.js';
import { formatNumber } from '../src/util/format.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const EXAMPLES = ['lr-too-low', 'lr-too-high', 'boston-standardized', 'deep-sigmoid'];
const SEEDS = [1, 2, 3];
/** The command's defaults: 12 trials and a budget of half of running them all at full length. */
const TRIALS = 12;

const show = (score: number | null) =>
  score === null ? 'no pick' : Number.isFinite(score) ? formatNumber(score) : 'diverged';
const rows: string[][] = [];
const results: SearchResult[] = [];
const started = performance.now();
for (const name of EXAMPLES) {
  for (const seed of SEEDS) {
    const result = await search(path.join(ROOT, 'examples', name, 'convdoc.yaml'), {
      backend: 'wasm',
      trials: TRIALS,
      seed,
    });
    results.push(result);
    const { evaluation } = result;
    rows.push([
      name,
      String(seed),
      String(result.budget),
      `${result.search.stepsUsed}/${result.random.stepsUsed}`,
      show(result.best?.score ?? null),
      show(result.random.best?.score ?? null),
      show(evaluation.search),
      show(evaluation.random),
      show(evaluation.current),
      evaluation.winner,
    ]);
    process.stderr.write(`${name} seed ${seed}: ${evaluation.winner}\n`);
  }
}

const header = [
  'example',
  'seed',
  'budget',
  'steps s/r',
  'search (in budget)',
  'random (in budget)',
  'search (held-out)',
  'random (held-out)',
  'config (held-out)',
  'winner',
];
const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
const line = (row: string[]) =>
  `| ${row.map((cell, column) => (column === 0 || column === 9 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(' | ')} |`;
console.log(line(header));
console.log(
  `|${widths.map((width, column) => (column === 0 || column === 9 ? `:${'-'.repeat(width + 1)}` : `${'-'.repeat(width + 1)}:`)).join('|')}|`,
);
for (const row of rows) console.log(line(row));

const count = (winner: string) => results.filter((result) => result.evaluation.winner === winner).length;
const gains = results
  .map((result) => result.evaluation.searchOverRandom)
  .filter((gain): gain is number => gain !== null && Number.isFinite(gain))
  .sort((a, b) => a - b);
const median =
  gains.length === 0
    ? Number.NaN
    : gains.length % 2 === 1
      ? gains[gains.length >> 1]!
      : (gains[gains.length / 2 - 1]! + gains[gains.length / 2]!) / 2;
const beatConfig = results.filter((result) => (result.evaluation.searchOverCurrent ?? -1) > 0).length;
console.log('');
console.log(
  `totals over ${results.length} runs: search won ${count('search')}, random won ${count('random')}, ties ${count('tie')}; median held-out gain of search over random ${formatNumber(median * 100)}% (1 − search/random loss); search beat the config as written in ${beatConfig}/${results.length}; ${((performance.now() - started) / 1000).toFixed(0)} s`,
);
