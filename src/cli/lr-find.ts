/**
 * `convdoc lr-find <config>`: commander wiring for the LR range test. Text by default (the curve,
 * both suggestions, the config keys to change), the result object with --json; -o writes either to
 * a file atomically. Exit 0 with a result, with or without a suggestion; bad input throws a
 * ConvdocError, which runCli turns into exit 2.
 */
import { Option, type Command } from 'commander';
import { BACKEND_CHOICES, type BackendChoice } from '../probe/backend-choices.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import { parsePositiveNumber, parseWholeNumber } from './options.js';
import { emit } from './output.js';

interface LrFindFlags {
  backend: BackendChoice;
  steps?: number;
  seed?: number;
  json?: boolean;
  output?: string;
  color: boolean;
}

export function registerLrFind(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  program
    .command('lr-find <config>')
    .description('learning-rate range test: sweep 1e-7 to 10, suggest an initial LR and a schedule')
    .addOption(
      new Option('--backend <backend>', 'tfjs backend: auto takes tfjs-node when installed, else wasm, else cpu')
        .choices(BACKEND_CHOICES)
        .default('auto'),
    )
    .option('--steps <n>', 'steps of the sweep (default 100, at least 30)', parsePositiveNumber)
    .option('--seed <n>', 'seed of every random choice (overrides the config seed)', parseWholeNumber)
    .option('--json', 'print only the JSON result on stdout')
    .option('-o, --output <file>', 'write the result to a file (atomically) instead of stdout')
    .option('--no-color', 'no colour, even on a terminal')
    .action(async (config: string, flags: LrFindFlags) => {
      // tfjs loads only for commands that train.
      const [{ lrFind }, { renderLrFindText }] = await Promise.all([
        import('../commands/lr-find.js'),
        import('../report/lr-find-text.js'),
      ]);
      const result = await lrFind(config, {
        backend: flags.backend,
        ...(flags.steps === undefined ? {} : { steps: flags.steps }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
      });
      const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
      await emit(
        flags.json ? `${JSON.stringify(result, null, 2)}\n` : renderLrFindText(result, paint),
        flags.output,
        io,
      );
      setExitCode(0);
    });
}
