/**
 * The command line: commander wiring, output routing and the one place where errors become exit
 * codes. Commands are plain library functions; this file only parses, renders and writes.
 */
import { Command, CommanderError, type CommandUnknownOpts } from '@commander-js/extra-typings';
import { ConvdocError } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import { processIo, type CliIo } from './io.js';
import { routeLibraryConsole } from './library-console.js';
import { registerAnalyze } from './analyze.js';
import { registerDiagnose } from './diagnose.js';
import { registerFix } from './fix.js';
import { registerInit } from './init.js';
import { registerInspect } from './inspect.js';
import { registerLrFind } from './lr-find.js';
import { registerSearch } from './search.js';
import { registerSchema } from './schema.js';
import { emitRunError } from './run-error-output.js';
import { SummaryAppendError } from './output.js';

export async function runCli(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const program = programFor(io);
  // The command that ran: its flags choose how an error is shown to CI.
  let ran: CommandUnknownOpts | undefined;
  program.hook('preAction', (_, action) => {
    ran = action;
  });
  let exitCode = 0;
  const setExitCode = (code: number) => {
    exitCode = code;
  };
  registerDiagnose(program, io, setExitCode);
  registerFix(program, io);
  registerLrFind(program, io, setExitCode);
  registerSearch(program, io, setExitCode);
  registerAnalyze(program, io, setExitCode);
  registerInspect(program, io, setExitCode);
  registerInit(program, io);
  registerSchema(program, io);
  for (const command of program.commands) command.exitOverride().configureOutput(program.configureOutput());

  const restoreConsole = routeLibraryConsole(io, argv.includes('--debug'));
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message; help and --version end successfully.
      return error.exitCode === 0 ? 0 : 2;
    }
    const code = reportError(error, io, argv.includes('--debug'));
    // A job summary that cannot be appended comes after the report: no second result for CI.
    if (ran !== undefined && !(error instanceof SummaryAppendError)) await emitRunError(error, ran, io);
    return code;
  } finally {
    restoreConsole();
  }
}

/** The root command: its description, global flags, and errors written as one line. */
function programFor(io: CliIo) {
  return new Command('convdoc')
    .description(
      'A training-run doctor: probe-trains your model, finds why it does not converge, ' +
        'and proves the fix by measurement.',
    )
    .version(TOOL_VERSION)
    .option('--debug', 'show stack traces of errors')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      // One line per error, like every other convdoc error: commander's "(Did you mean ...)" joins it.
      outputError: (text, write) =>
        write(
          `${text
            .trim()
            .replace(/\.?\s*\n\s*/g, ' ')
            .replace(/\.$/, '')}. Run convdoc --help for usage.\n`,
        ),
    });
}

function reportError(error: unknown, io: CliIo, debug: boolean): number {
  if (error instanceof ConvdocError) {
    io.stderr.write(`${debug && error.stack ? error.stack : error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(
    debug && error instanceof Error && error.stack
      ? `${error.stack}\n`
      : `convdoc: internal error: ${message}\nThis is a bug in convdoc. ` +
          `Rerun with --debug for the stack trace and report it with the command you ran.\n`,
  );
  return 2;
}
