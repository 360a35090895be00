import type { Command } from 'commander';
import { inspect } from '../commands/inspect.js';
import { exitCodeFor, type FailOn } from '../report/report.js';
import { renderText } from '../report/text.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import { addReportOptions, parseWholeNumber } from './options.js';
import { emit } from './output.js';

interface InspectFlags {
  target?: string;
  seed?: number;
  json?: boolean;
  format: 'text' | 'json';
  output?: string;
  failOn: FailOn;
  color: boolean;
}

export function registerInspect(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  addReportOptions(
    program
      .command('inspect <input>')
      .description('data checks only: feature scales, NaNs, constant columns, labels (a config, or a CSV/TSV/JSONL file)')
      .option('--target <column>', 'for a data file: the target column (default: the last column)')
      .option('--seed <n>', 'for a data file: seed of the row sample', parseWholeNumber),
  ).action(async (input: string, flags: InspectFlags) => {
    const report = await inspect(input, { ...(flags.target === undefined ? {} : { target: flags.target }), ...(flags.seed === undefined ? {} : { seed: flags.seed }) });
    const json = flags.json || flags.format === 'json';
    const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
    await emit(json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, paint), flags.output, io);
    setExitCode(exitCodeFor(report, flags.failOn));
  });
}
