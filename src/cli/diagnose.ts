import { Option, type Command } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../probe/backend-choices.js';
import type { CliIo } from './io.js';
import { addReportOptions, parseFixSelection, parsePositiveNumber, parseWholeNumber } from './options.js';
import { emitReport, type ReportFlags } from './output.js';

interface DiagnoseFlags extends ReportFlags {
  backend: BackendChoice;
  applyFix?: ReturnType<typeof parseFixSelection>;
  steps?: number;
  seed?: number;
}

export function registerDiagnose(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('diagnose <config>')
      .description('probe-train the run, find symptoms, rank fixes (the main job)')
      .addOption(new Option('--backend <backend>', 'tfjs backend: auto takes tfjs-node when installed, else wasm, else cpu').choices(BACKEND_CHOICES).default('auto'))
      .option('--steps <n>', 'optimizer steps of the probe (overrides probe.steps)', parsePositiveNumber)
      .option('--seed <n>', 'seed of every random choice (overrides the config seed)', parseWholeNumber)
      .option('--apply-fix <ids|suggested|all>', 're-run the probe with each fix (or combination) applied and measure it against the baseline', parseFixSelection),
  ).action(async (config: string, flags: DiagnoseFlags) => {
    // tfjs loads only for commands that train: inspect and init stay fast.
    const { diagnose } = await import('../commands/diagnose.js');
    const report = await diagnose(config, {
      backend: flags.backend,
      ...(flags.steps === undefined ? {} : { steps: flags.steps }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      ...(flags.applyFix === undefined ? {} : { applyFix: flags.applyFix }),
    });
    setExitCode(await emitReport(report, flags, io));
  });
}
