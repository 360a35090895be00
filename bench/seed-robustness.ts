/**
 * The seed-robustness benchmark: runs `diagnose` (no --apply-fix) on every case of bench/cases/ with
 * the case's own config seed and with a fixed list of other seeds, and reports how often the verdict
 * depends on the seed. A held-out set is scored with whatever seeds its configs carry, so a verdict
 * that flips with the seed is a false alarm or a miss waiting to happen there.
 *
 * Per case: each seed's exit code and top findings, and whether the scored outcome (top-1 right, or no
 * false alarm on a control) or the top finding changes across seeds. Totals: top-1 right and false
 * alarms per seed, and the number of cases whose outcome or top finding flips. The scoring is the
 * accuracy benchmark's (bench/accuracy-cases.ts).
 *
 * One run at a time (the machine is shared). Writes bench/seed-robustness-results.json when the
 * whole set ran, else the file `--out` names.
 *
 * Usage: npm run bench:seeds [-- --case <id> ...] [--seeds 1,2,3,4] [--timeout <seconds>] [--out <file>]
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type CaseLabel, REPO_ROOT, configPath, loadCases, runCli, scoreDiagnosis } from './accuracy-cases.js';
import { formatTable } from './table.js';

const RESULTS_FILE = 'bench/seed-robustness-results.json';
/** The other seeds, besides each config's own: fixed, so two runs of this benchmark compare. */
const DEFAULT_OTHER_SEEDS = [1, 2, 3, 4];
const DEFAULT_TIMEOUT_SECONDS = 180;
/** Findings shown per seed in the table (the JSON keeps them all). */
const SHOWN_FINDINGS = 2;
/** The column name of the run with the config's own seed (no --seed flag). */
const OWN_SEED = 'own';

interface Options {
  cases: string[];
  seeds: number[];
  timeoutSeconds: number;
  out: string | undefined;
}

interface SeedRun {
  seed: string;
  exitCode: number | null;
  error?: string;
  /** Every finding, with its evidence (the measured value and its threshold): what sits at the margin. */
  findings: { symptom: string; severity: string; evidence?: unknown }[];
  right: boolean;
  falseAlarm: boolean;
}

interface CaseSeeds {
  id: string;
  kind: 'buggy' | 'healthy';
  expected: string;
  runs: SeedRun[];
  /** The scored outcome (right / false alarm) differs between seeds. */
  outcomeFlips: boolean;
  /** The top finding (symptom and severity, or healthy) or the exit code differs between seeds. */
  topFlips: boolean;
}

function parseSeeds(text: string): number[] {
  const seeds = text.split(',').map(Number);
  if (seeds.some((seed) => !Number.isInteger(seed) || seed < 0))
    throw new Error(`--seeds must be comma-separated non-negative integers, got ${text}`);
  return seeds;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      case: { type: 'string', multiple: true, default: [] },
      seeds: { type: 'string', default: DEFAULT_OTHER_SEEDS.join(',') },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
      out: { type: 'string' },
    },
  });
  const timeoutSeconds = Number(values.timeout);
  if (!(timeoutSeconds > 0)) throw new Error(`--timeout must be a positive number of seconds, got ${values.timeout}`);
  return { cases: values.case, seeds: parseSeeds(values.seeds), timeoutSeconds, out: values.out };
}

function runSeed(label: CaseLabel, seed: number | undefined, timeoutSeconds: number): SeedRun {
  const seedArgs = seed === undefined ? [] : ['--seed', String(seed)];
  const run = runCli(['diagnose', configPath(label), '--json', ...seedArgs], timeoutSeconds);
  const scored = scoreDiagnosis(label, run);
  return {
    seed: seed === undefined ? OWN_SEED : String(seed),
    exitCode: run.exitCode,
    ...(run.error === undefined ? {} : { error: run.error }),
    findings: (run.report?.findings ?? []).map(({ symptom, severity, evidence }) => ({ symptom, severity, evidence })),
    right: scored.right,
    falseAlarm: scored.falseAlarm,
  };
}

function topKey(run: SeedRun): string {
  const top = run.findings[0];
  return `${run.exitCode}:${top === undefined ? 'healthy' : `${top.symptom}/${top.severity}`}`;
}

function runCase(label: CaseLabel, options: Options): CaseSeeds {
  const runs = [undefined, ...options.seeds].map((seed) => runSeed(label, seed, options.timeoutSeconds));
  return {
    id: label.id,
    kind: label.expected === 'healthy' ? 'healthy' : 'buggy',
    expected: label.expected,
    runs,
    outcomeFlips: new Set(runs.map((run) => run.right)).size > 1,
    topFlips: new Set(runs.map(topKey)).size > 1,
  };
}

/** One seed's cell: exit code, outcome mark, the first findings (c = critical, w = warning, i = info). */
function seedCell(run: SeedRun): string {
  if (run.error !== undefined) return `ERROR (${run.error})`;
  const shown = run.findings.slice(0, SHOWN_FINDINGS).map((f) => `${f.symptom}/${f.severity[0]}`);
  return `${run.exitCode}${run.right ? '' : '!'} ${shown.length === 0 ? 'healthy' : shown.join(',')}`;
}

function caseRow(result: CaseSeeds): string[] {
  const flip = result.outcomeFlips ? 'OUTCOME' : result.topFlips ? 'top' : '-';
  return [result.id, result.expected, flip, ...result.runs.map(seedCell)];
}

function perSeedTotals(results: readonly CaseSeeds[], seeds: readonly string[]): string[][] {
  return seeds.map((seed, i) => {
    const runs = results.map((result) => ({ kind: result.kind, run: result.runs[i]! }));
    const buggy = runs.filter((entry) => entry.kind === 'buggy');
    const healthy = runs.filter((entry) => entry.kind === 'healthy');
    return [
      seed,
      `${buggy.filter((entry) => entry.run.right).length} / ${buggy.length}`,
      `${healthy.filter((entry) => entry.run.falseAlarm).length} / ${healthy.length}`,
      String(runs.filter((entry) => entry.run.error !== undefined).length),
    ];
  });
}

function flipSummary(results: readonly CaseSeeds[]): string {
  const outcome = results.filter((result) => result.outcomeFlips);
  const top = results.filter((result) => result.topFlips);
  const byKind = (kind: string) => outcome.filter((result) => result.kind === kind).length;
  return [
    `outcome flips with the seed: ${outcome.length} / ${results.length} cases ` +
      `(${byKind('buggy')} buggy, ${byKind('healthy')} controls)` +
      (outcome.length > 0 ? `: ${outcome.map((result) => result.id).join(', ')}` : ''),
    `top finding or exit code flips: ${top.length} / ${results.length} cases`,
  ].join('\n');
}

function main(): void {
  const options = parseOptions();
  const labels = loadCases(options.cases);
  const seeds = [OWN_SEED, ...options.seeds.map(String)];
  const results: CaseSeeds[] = [];
  for (const label of labels) {
    console.error(`[${results.length + 1}/${labels.length}] ${label.id} ...`);
    const result = runCase(label, options);
    console.error(`  ${caseRow(result).slice(2).join(' | ')}`);
    results.push(result);
  }
  console.log('cell: exit code, ! when the outcome is wrong, first findings (c critical, w warning, i info)\n');
  console.log(formatTable(['case', 'expected', 'flips', ...seeds], results.map(caseRow)));
  console.log();
  console.log(formatTable(['seed', 'top-1 right', 'false alarms', 'errors'], perSeedTotals(results, seeds)));
  console.log();
  console.log(flipSummary(results));
  const file = options.out ?? (options.cases.length === 0 ? RESULTS_FILE : undefined);
  if (file !== undefined) {
    const output = { date: new Date().toISOString(), seeds, cases: results };
    writeFileSync(resolve(REPO_ROOT, file), `${JSON.stringify(output, null, 2)}\n`);
    console.error(`wrote ${file}`);
  }
}

main();
