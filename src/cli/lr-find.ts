/**
 * `convdoc lr-find <config>`: commander wiring for the LR range test. Text by default (the curve,
 * both suggestions, the config keys to change), the result object with --json; -o writes either to
 * a file atomically. Exit 0 with a result, with or without a suggestion; bad input throws a
 * ConvdocError, which runCli turns into exit 2.
 */
import type { Command } from '@commander-js/extra-typings';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import { backendOption, parsePositiveNumber, seedOption } from './options.js';
import { emit, plannedOutputs } from './output.js';

export function registerLrFind(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('lr-find <config>')
    .description('learning-rate range test: sweep 1e-7 to 10, suggest an initial LR and a schedule')
    .addOption(backendOption())
    .option('--steps <n>', 'steps of the sweep (default 100, at least 30)', parsePositiveNumber)
    .addOption(seedOption())
    .option('--json', 'print only the JSON result on stdout')
    .option('-o, --output <file>', 'write the result to a file (atomically) instead of stdout')
    .option('--no-color', 'no colour, even on a terminal')
    .action(async (config, flags) => {
      // tfjs loads only for commands that train.
      const [{ lrFind }, { renderLrFindText }, { renderJson }] = await Promise.all([
        import('../commands/lr-find.js'),
        import('../report/lr-find-text.js'),
        import('../report/json.js'),
      ]);
      const result = await lrFind(config, {
        backend: flags.backend,
        ...(flags.steps === undefined ? {} : { steps: flags.steps }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        outputs: plannedOutputs(flags),
      });
      const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
      await emit(flags.json ? renderJson(result) : renderLrFindText(result, { paint }), flags.output, io);
      setExitCode(0);
    });
}
