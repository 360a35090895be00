/**
 * `convdoc search <config>`: commander wiring for the hyperparameter search. Text by default (the
 * leaderboard, the best config as edits, the comparison with plain random search), the result
 * object with --json; -o writes either to a file atomically. Exit 0 with a result; bad input throws
 * a ConvdocError, which runCli turns into exit 2.
 */
import type { Command } from '@commander-js/extra-typings';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import { backendOption, parsePositiveNumber, seedOption } from './options.js';
import { emit, plannedOutputs } from './output.js';
import { progressLine } from './progress.js';

export function registerSearch(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('search <config>')
    .description(
      'random search over optimizer, learning rate and batch size with successive halving, ' +
        'measured against plain random search of the same budget',
    )
    .addOption(backendOption())
    .option('--trials <n>', 'candidates in the first rung (default 12)', parsePositiveNumber)
    .option(
      '--budget <steps>',
      'probe steps in all, for the search and the random baseline alike (default trials × probe.steps / 2)',
      parsePositiveNumber,
    )
    .addOption(seedOption())
    .option('--json', 'print only the JSON result, every trial included, on stdout')
    .option('-o, --output <file>', 'write the result to a file (atomically) instead of stdout')
    .option('--no-color', 'no colour, even on a terminal')
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .option('--no-progress', 'no progress line (it shows only on a terminal, never in CI)')
    .action(async (config, flags) => {
      // tfjs loads only for commands that train.
      const [{ search }, { renderSearchText }, { renderJson }] = await Promise.all([
        import('../commands/search.js'),
        import('../report/search-text.js'),
        import('../report/json.js'),
      ]);
      const progress = progressLine(io, flags);
      const result = await search(config, {
        backend: flags.backend,
        ...(flags.trials === undefined ? {} : { trials: flags.trials }),
        ...(flags.budget === undefined ? {} : { budget: flags.budget }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(progress === undefined ? {} : { status: progress }),
        outputs: plannedOutputs(flags),
      }).finally(() => progress?.end());
      const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
      await emit(flags.json ? renderJson(result) : renderSearchText(result, { paint }), flags.output, io);
      setExitCode(0);
    });
}
