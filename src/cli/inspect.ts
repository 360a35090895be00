import type { Command } from 'commander';
import { inspect } from '../commands/inspect.js';
import type { CliIo } from './io.js';
import { addReportOptions, parseWholeNumber } from './options.js';
import { emitReport, type ReportFlags } from './output.js';

interface InspectFlags extends ReportFlags {
  target?: string;
  seed?: number;
}

export function registerInspect(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('inspect <input>')
      .description(
        'data checks only: feature scales, NaNs, constant columns, labels (a config, or a CSV/TSV/JSONL file)',
      )
      .option('--target <column>', 'for a data file: the target column (default: the last column)')
      .option('--seed <n>', 'for a data file: seed of the row sample', parseWholeNumber),
  ).action(async (input: string, flags: InspectFlags) => {
    const report = await inspect(input, {
      ...(flags.target === undefined ? {} : { target: flags.target }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
    });
    setExitCode(await emitReport(report, flags, io));
  });
}
