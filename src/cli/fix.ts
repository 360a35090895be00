import type { Command } from '@commander-js/extra-typings';
import { writeOutputs } from '../util/safe-write.js';
import { displayPath } from '../util/paths.js';
import type { CliIo } from './io.js';
import { backendOption, parseFixSelection, seedOption } from './options.js';
import { emit, toStdout } from './output.js';

export function registerFix(program: Command, io: CliIo): void {
  program
    .command('fix <config>')
    .description('write the config with fixes applied, comments and key order kept (stdout, or -o file)')
    .requiredOption(
      '--apply <ids|suggested>',
      'the fixes to apply: suggested, or fix ids separated by commas',
      parseFixSelection,
    )
    .option(
      '--report <file>',
      'with --apply suggested: the JSON report of diagnose --apply-fix on this config; its best verified trial is written',
    )
    .option('-o, --output <file>', 'write the fixed config to a file (atomically); relative paths are rebased to it')
    .addOption(backendOption('tfjs backend of the probe that sizes the fixes'))
    .addOption(seedOption())
    .action(async (config, flags) => {
      // tfjs loads only for commands that train: the fixes are sized from a probe of the run.
      const { fixConfig } = await import('../commands/fix.js');
      const { text, applied, modelFile } = await fixConfig(config, {
        apply: flags.apply === 'all' ? 'suggested' : flags.apply,
        backend: flags.backend,
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(flags.report === undefined ? {} : { report: flags.report }),
        ...(toStdout(flags.output) ? {} : { output: flags.output }),
      });
      // The model file first: the config that names it is only written once it exists.
      if (modelFile !== undefined) await writeOutputs([modelFile]);
      await emit(text, flags.output, io);
      const changed = applied.filter((fix) => fix.changes.length > 0).map((fix) => fix.fix);
      const done = changed.length === 0 ? 'no change was needed' : `applied ${changed.join(', ')}`;
      const model = modelFile === undefined ? '' : `; wrote the fixed model to ${displayPath(modelFile.file)}`;
      const wrote = toStdout(flags.output) ? '' : `; wrote ${displayPath(flags.output)}`;
      io.stderr.write(`${done}${model}${wrote}\n`);
    });
}
