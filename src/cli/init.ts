import { access } from 'node:fs/promises';
import type { Command } from '@commander-js/extra-typings';
import { initConfig } from '../commands/init.js';
import { UsageError } from '../errors.js';
import { checkOutputs } from '../util/output-check.js';
import { displayPath } from '../util/paths.js';
import type { CliIo } from './io.js';
import { emit, toStdout } from './output.js';

export function registerInit(program: Command, io: CliIo): void {
  program
    .command('init <data>')
    .description('write a starter config for a CSV/TSV/JSONL file')
    .option('--target <column>', 'the column to predict (default: the last column)')
    .option('-o, --output <file>', 'where to write the config ("-" for stdout)', 'convdoc.yaml')
    .option('--force', 'overwrite an existing config file')
    .action(async (data, flags) => {
      if (!toStdout(flags.output) && !flags.force && (await exists(flags.output))) {
        throw new UsageError(
          `${displayPath(flags.output)} already exists. Pass --force to overwrite it, or -o to choose another file.`,
        );
      }
      await checkOutputs([{ file: flags.output, flag: '-o' }], [{ file: data, what: 'the data file' }]);
      const text = await initConfig(data, {
        output: toStdout(flags.output) ? 'convdoc.yaml' : flags.output,
        ...(flags.target === undefined ? {} : { target: flags.target }),
      });
      await emit(text, flags.output, io);
      if (!toStdout(flags.output))
        io.stderr.write(`wrote ${displayPath(flags.output)}; next: convdoc inspect ${displayPath(flags.output)}\n`);
    });
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}
