/**
 * Commands of shared/design.md that are not built yet. They are listed in --help, so users can see
 * the whole tool, and say so with exit 2 rather than pretend to work.
 */
import type { Command } from 'commander';
import { UsageError } from '../errors.js';

const PLANNED: ReadonlyArray<[usage: string, description: string]> = [
  ['analyze <trace>', 'diagnose a loss/metric log from any framework, without re-running'],
];

export function registerPlanned(program: Command): void {
  for (const [usage, description] of PLANNED) {
    const name = usage.split(' ')[0]!;
    program
      .command(usage)
      .description(`${description} [not built yet]`)
      .allowUnknownOption()
      .action(() => {
        throw new UsageError(`convdoc ${name} is not built yet. Available now: diagnose, fix, lr-find, search, inspect, init, schema.`);
      });
  }
}
