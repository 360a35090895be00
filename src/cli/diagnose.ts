import { availableParallelism } from 'node:os';
import type { Command } from '@commander-js/extra-typings';
import { UsageError } from '../errors.js';
import { ProbePool } from '../trials/probe-pool.js';
import type { Report } from '../report/report.js';
import type { OutputFile } from '../util/safe-write.js';
import type { CliIo } from './io.js';
import {
  addReportOptions,
  backendOption,
  codeOption,
  parseFixSelection,
  parsePositiveNumber,
  parseWholeNumber,
  seedOption,
} from './options.js';
import { emitReport, plannedOutputs } from './output.js';
import { progressLine } from './progress.js';

function diagnoseCommand(program: Command) {
  return addReportOptions(
    program
      .command('diagnose <config>')
      .description('probe-train the run, find symptoms, rank fixes (the main job)')
      .addOption(backendOption())
      .option('--steps <n>', 'optimizer steps of the probe (overrides probe.steps)', parsePositiveNumber)
      .addOption(seedOption())
      .option(
        '--apply-fix <ids|suggested|all>',
        're-run the probe with each fix (or combination) applied and measure it against the baseline',
        parseFixSelection,
      )
      .option('--trace-out <file>', 'also write the probe trace as JSON Lines, the form convdoc analyze reads')
      .option(
        '--workers <n>',
        'worker processes for the --apply-fix runs, besides this one (default: one per core beyond two, and one more when the trials are long)',
        parseWholeNumber,
      )
      .addOption(codeOption()),
  );
}

type DiagnoseFlags = ReturnType<ReturnType<typeof diagnoseCommand>['opts']>;

export function registerDiagnose(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  diagnoseCommand(program).action(async (config, flags) => {
    const report = await runDiagnose(config, flags, io);
    setExitCode(await emitReport(report, flags, io, await traceFile(report, flags.traceOut)));
  });
}

async function runDiagnose(config: string, flags: DiagnoseFlags, io: CliIo): Promise<Report> {
  if (flags.workers !== undefined && flags.applyFix === undefined)
    throw new UsageError('--workers only applies with --apply-fix: a plain diagnose runs one probe.');
  // Workers load tfjs while this process loads the config and probes the baseline.
  const cores = availableParallelism();
  const workers = flags.workers ?? defaultWorkers(cores);
  const late = flags.workers === undefined ? lateWorkers(cores, workers) : 0;
  const pool =
    flags.applyFix === undefined || workers + late === 0
      ? undefined
      : new ProbePool(config, flags.backend, workers, late);
  const progress = progressLine(io, flags);
  try {
    // tfjs loads only for commands that train: inspect and init stay fast.
    const { diagnose } = await import('../commands/diagnose.js');
    return await diagnose(config, {
      backend: flags.backend,
      ...(flags.steps === undefined ? {} : { steps: flags.steps }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.applyFix === undefined ? {} : { applyFix: flags.applyFix }),
      ...(flags.code === undefined ? {} : { code: flags.code }),
      ...(pool === undefined ? {} : { pool }),
      ...(progress === undefined ? {} : { status: progress }),
      outputs: plannedOutputs(flags),
    });
  } finally {
    progress?.end();
    pool?.close();
  }
}

/** `--trace-out`: the probe trace as JSON Lines, written with the report's other files. */
async function traceFile(report: Report, file: string | undefined): Promise<OutputFile[]> {
  if (file === undefined || report.probe === undefined) return [];
  const { traceToJsonl } = await import('../logs/trace-jsonl.js');
  return [{ file, content: traceToJsonl(report.probe.trace) }];
}

/**
 * Worker processes started with the command, besides this one: one per core beyond two, at most
 * MAX_USEFUL_WORKERS. A worker for the second core would compete with this process's baseline
 * probe for it during its start-up (about 0.4 s of loading tfjs) and JIT warm-up, which costs more
 * than it saves on short trials: on a 2-core machine, --apply-fix all on unscaled Boston took
 * 1.6-1.8 s in one process and 1.8-1.9 s with one worker; that one starts late (lateWorkers).
 * `--workers` overrides both.
 */
function defaultWorkers(cores: number): number {
  return Math.min(MAX_USEFUL_WORKERS, Math.max(0, cores - 2));
}

/**
 * The worker for the core this process's baseline probe runs on, started only once the baseline
 * shows the trials are long enough to repay it (ProbePool.startLate): on the 784-784-50-10 MLP's
 * --apply-fix suggested (docs/performance.md) it takes half the trials off this process.
 */
function lateWorkers(cores: number, workers: number): number {
  return Math.max(0, Math.min(1, cores - 1 - workers, MAX_USEFUL_WORKERS - workers));
}

/**
 * The stages of `all` and `suggested` hold up to six or seven runs with the default three seeds
 * (four other fixes, their combination and the first fix's two other seeds; or three finalists
 * times two seeds), and this process runs jobs too: more workers would mostly cost memory (about
 * 140 MB each, tfjs and the data). A heuristic: more seeds would use more.
 */
const MAX_USEFUL_WORKERS = 5;
