/**
 * An exit-2 run in a CI format: the message on stderr, as always, and also the JUnit file or the
 * annotation the CI reads, so a dashboard shows a failed check instead of no result at all.
 */
import { stat } from 'node:fs/promises';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { ConfigError, ConvdocError, DataError, UsageError, type SourcePosition } from '../errors.js';
import type { RunError, RunErrorKind } from '../report/run-error.js';
import { writeOutput } from '../util/safe-write.js';
import type { CliIo } from './io.js';
import { reportFormat } from './options.js';
import { toStdout } from './output.js';

export async function emitRunError(error: unknown, command: CommandUnknownOpts, io: CliIo): Promise<void> {
  const flags = command.opts() as { json?: true; format?: 'text' | 'json' | 'junit' | 'github'; output?: string };
  let format: string;
  try {
    format = reportFormat(flags);
  } catch {
    return; // The error is this conflict of flags: no format was chosen.
  }
  if (format !== 'junit' && format !== 'github') return;
  const { renderRunErrorGithub, renderRunErrorJunit } = await import('../report/run-error.js');
  const kind = kindOf(error);
  const text = error instanceof Error ? error.message : String(error);
  const message = kind === 'internal' ? `convdoc: internal error: ${text}` : text;
  const position = await positionIn(message);
  const runError: RunError = {
    kind,
    command: [command.name(), ...command.args].join(' '),
    message,
    ...(position === undefined ? {} : { position }),
  };
  const output = format === 'junit' ? renderRunErrorJunit(runError) : renderRunErrorGithub(runError);
  if (toStdout(flags.output)) io.stdout.write(output);
  // When the error is that -o cannot be written, stderr has said so already.
  else await writeOutput(flags.output, output).catch(() => undefined);
}

function kindOf(error: unknown): RunErrorKind {
  if (error instanceof ConfigError) return 'config';
  if (error instanceof DataError) return 'data';
  if (error instanceof UsageError) return 'usage';
  return error instanceof ConvdocError ? 'run' : 'internal';
}

/** `file:line:column: ...` or `file: ...` at the start of a message, when that file exists. */
async function positionIn(message: string): Promise<SourcePosition | undefined> {
  const match = /^(.+?)(?::(\d+))?(?::(\d+))?: /.exec(message);
  if (match === null || !(await stat(match[1]!).catch(() => undefined))?.isFile()) return undefined;
  const [, file, line, column] = match;
  return {
    file: file!,
    ...(line === undefined ? {} : { line: Number(line) }),
    ...(column === undefined ? {} : { column: Number(column) }),
  };
}
