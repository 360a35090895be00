import { Option, type Command } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../probe/backend-choices.js';
import { displayPath } from '../util/paths.js';
import type { CliIo } from './io.js';
import { parseFixSelection, parseWholeNumber } from './options.js';
import { emit } from './output.js';

interface FixFlags {
  apply: ReturnType<typeof parseFixSelection>;
  output?: string;
  backend: BackendChoice;
  seed?: number;
}

export function registerFix(program: Command, io: CliIo): void {
  program
    .command('fix <config>')
    .description('write the config with fixes applied, comments and key order kept (stdout, or -o file)')
    .requiredOption(
      '--apply <ids|suggested>',
      'the fixes to apply: suggested, or fix ids separated by commas',
      parseFixSelection,
    )
    .option('-o, --output <file>', 'write the fixed config to a file (atomically); relative paths are rebased to it')
    .addOption(
      new Option('--backend <backend>', 'tfjs backend of the probe that sizes the fixes')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--seed <n>', 'seed of every random choice (overrides the config seed)', parseWholeNumber)
    .action(async (config: string, flags: FixFlags) => {
      // tfjs loads only for commands that train: the fixes are sized from a probe of the run.
      const { fixConfig } = await import('../commands/fix.js');
      const { text, applied } = await fixConfig(config, {
        apply: flags.apply === 'all' ? 'suggested' : flags.apply,
        backend: flags.backend,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.output === undefined || flags.output === '-' ? {} : { output: flags.output }),
      });
      await emit(text, flags.output, io);
      const changed = applied.filter((fix) => fix.changes.length > 0).map((fix) => fix.fix);
      io.stderr.write(
        `${changed.length === 0 ? 'no change was needed' : `applied ${changed.join(', ')}`}${flags.output === undefined || flags.output === '-' ? '' : `; wrote ${displayPath(flags.output)}`}\n`,
      );
    });
}
