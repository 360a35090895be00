/**
 * What CI shows when a command could not run (exit 2): a config or data error is otherwise only a
 * line on stderr, and a dashboard that reads JUnit files or annotations shows no result at all. With
 * `--format junit` the error is one suite with one failed testcase named after what was wrong; with
 * `--format github`, one `::error` annotation at the file and line the message names.
 */
import type { SourcePosition } from '../errors.js';
import { workflowCommand } from './github.js';
import { junitDocument } from './junit.js';

/** What kind of input kept the command from running, as the testcase's class (`convdoc.config`). */
export type RunErrorKind = 'config' | 'data' | 'usage' | 'run' | 'internal';

export interface RunError {
  kind: RunErrorKind;
  /** The command and its subject as typed (`diagnose convdoc.yaml`). */
  command: string;
  message: string;
  /** Where the message points, when it names an existing file. */
  position?: SourcePosition;
}

/** Each kind reads as the check that failed, so that a CI history shows it go from red to green. */
const CHECK_NAMES: Readonly<Record<RunErrorKind, string>> = {
  config: 'the config is valid',
  data: 'the data is readable and valid',
  usage: 'the arguments are valid',
  run: 'the run could start',
  internal: 'convdoc ran without an internal error',
};

export function renderRunErrorJunit({ kind, command, message }: RunError): string {
  return junitDocument([
    {
      name: `convdoc ${command}`,
      seconds: 0,
      cases: [
        {
          classname: `convdoc.${kind}`,
          name: CHECK_NAMES[kind],
          seconds: 0,
          result: { kind: 'failure', message, type: `${kind}-error`, body: message },
        },
      ],
    },
  ]);
}

export function renderRunErrorGithub({ kind, message, position }: RunError): string {
  return workflowCommand('error', position ?? {}, `convdoc could not run (${kind} error)`, message);
}
