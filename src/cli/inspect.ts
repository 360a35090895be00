import type { Command } from '@commander-js/extra-typings';
import { inspect } from '../commands/inspect.js';
import type { CliIo } from './io.js';
import { addReportOptions, parseWholeNumber } from './options.js';
import { emitReport, plannedOutputs } from './output.js';

export function registerInspect(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('inspect <input>')
      .description(
        'data checks only: feature scales, NaNs, constant columns, labels (a config, or a CSV/TSV/JSONL file)',
      )
      .option('--target <column>', 'for a data file: the target column (default: the last column)')
      .option('--seed <n>', 'for a data file: seed of the row sample', parseWholeNumber),
  ).action(async (input, flags) => {
    const report = await inspect(input, {
      ...(flags.target === undefined ? {} : { target: flags.target }),
      ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      outputs: plannedOutputs(flags),
    });
    setExitCode(await emitReport(report, flags, io));
  });
}
