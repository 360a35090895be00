import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { UsageError } from '../errors.js';
import { ProbePool } from '../trials/probe-pool.js';
import type { Report } from '../report/report.js';
import { BACKEND_CHOICES, type BackendChoice } from '../probe/backend-choices.js';
import type { CliIo } from './io.js';
import { addReportOptions, parseFixSelection, parsePositiveNumber, parseWholeNumber } from './options.js';
import { emitReport, type ReportFlags } from './output.js';
import { progressLine } from './progress.js';

interface DiagnoseFlags extends ReportFlags {
  backend: BackendChoice;
  applyFix?: ReturnType<typeof parseFixSelection>;
  steps?: number;
  seed?: number;
  workers?: number;
  traceOut?: string;
}

export function registerDiagnose(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('diagnose <config>')
      .description('probe-train the run, find symptoms, rank fixes (the main job)')
      .addOption(
        new Option('--backend <backend>', 'tfjs backend: auto takes tfjs-node when installed, else wasm, else cpu')
          .choices(BACKEND_CHOICES)
          .default('auto'),
      )
      .option('--steps <n>', 'optimizer steps of the probe (overrides probe.steps)', parsePositiveNumber)
      .option('--seed <n>', 'seed of every random choice (overrides the config seed)', parseWholeNumber)
      .option(
        '--apply-fix <ids|suggested|all>',
        're-run the probe with each fix (or combination) applied and measure it against the baseline',
        parseFixSelection,
      )
      .option('--trace-out <file>', 'also write the probe trace as JSON Lines, the form convdoc analyze reads')
      .option(
        '--workers <n>',
        'worker processes for the --apply-fix runs, besides this one (default: one per core beyond two)',
        parseWholeNumber,
      ),
  ).action(async (config: string, flags: DiagnoseFlags) => {
    if (flags.workers !== undefined && flags.applyFix === undefined)
      throw new UsageError('--workers only applies with --apply-fix: a plain diagnose runs one probe.');
    // Workers load tfjs while this process loads the config and probes the baseline.
    const workers = flags.workers ?? defaultWorkers(availableParallelism());
    const pool =
      flags.applyFix === undefined || workers === 0 ? undefined : new ProbePool(config, flags.backend, workers);
    const progress = progressLine(io, flags);
    let report: Report;
    try {
      // tfjs loads only for commands that train: inspect and init stay fast.
      const { diagnose } = await import('../commands/diagnose.js');
      report = await diagnose(config, {
        backend: flags.backend,
        ...(flags.steps === undefined ? {} : { steps: flags.steps }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.applyFix === undefined ? {} : { applyFix: flags.applyFix }),
        ...(pool === undefined ? {} : { pool }),
        ...(progress === undefined ? {} : { status: progress }),
      });
    } finally {
      progress?.end();
      pool?.close();
    }
    const trace =
      flags.traceOut === undefined || report.probe === undefined
        ? []
        : [
            {
              file: flags.traceOut,
              content: (await import('../logs/trace-jsonl.js')).traceToJsonl(report.probe.trace),
            },
          ];
    setExitCode(await emitReport(report, flags, io, trace));
  });
}

/**
 * Worker processes besides this one: one per core beyond two, at most MAX_USEFUL_WORKERS. With two
 * cores a worker's start-up (about 0.4 s of loading tfjs) and JIT warm-up compete with this
 * process for the second core and cost more than they save: on a 2-core machine, --apply-fix all
 * on unscaled Boston took 1.6-1.8 s in one process and 1.8-1.9 s with one worker. `--workers`
 * overrides.
 */
export function defaultWorkers(cores: number): number {
  return Math.min(MAX_USEFUL_WORKERS, Math.max(0, cores - 2));
}

/**
 * The stages of `all` and `suggested` hold up to six or seven runs with the default three seeds
 * (four other fixes, their combination and the first fix's two other seeds; or three finalists
 * times two seeds), and this process runs jobs too: more workers would mostly cost memory (about
 * 140 MB each, tfjs and the data). A heuristic: more seeds would use more.
 */
const MAX_USEFUL_WORKERS = 5;
