import { InvalidArgumentError, Option, type Command, type OptionValues } from '@commander-js/extra-typings';
import { FRAMEWORKS, type Framework } from '../fixes/code/code-context.js';
import { BACKEND_CHOICES } from '../probe/backend-choices.js';
import { REPORT_FORMATS, type ReportFormat } from '../report/reporters.js';
import { UsageError } from '../errors.js';
import { FIX_IDS, type FixId } from '../symptoms/ids.js';
import { didYouMean } from '../util/suggest.js';

/** A whole number option (seed, rows); commander reports the error with the option's name. */
export function parseWholeNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number >= 0.');
  return number;
}

/** A whole number above zero (steps). */
export function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('expected a whole number >= 1.');
  return number;
}

/** `--backend`, for every command that trains; `fix` says what its probe is for. */
export function backendOption(description = 'tfjs backend: auto takes tfjs-node when installed, else wasm, else cpu') {
  return new Option('--backend <backend>', description).choices(BACKEND_CHOICES).default('auto');
}

/** `--seed`, for every command whose run is random. */
export function seedOption() {
  return new Option('--seed <n>', 'seed of every random choice (overrides the config seed)').argParser(
    parseWholeNumber,
  );
}

/** `--code pytorch,keras`: the frameworks to give each fix's code for. */
export function codeOption() {
  return new Option(
    '--code <frameworks>',
    `give each fix as code for these frameworks (comma-separated: ${FRAMEWORKS.join(', ')})`,
  ).argParser(parseFrameworks);
}

function parseFrameworks(value: string): Framework[] {
  const names = value.split(',').map((name) => name.trim());
  const unknown = names.find((name) => !(FRAMEWORKS as readonly string[]).includes(name));
  if (unknown !== undefined)
    throw new InvalidArgumentError(`"${unknown}" is not a framework: use ${FRAMEWORKS.join(', ')} (comma-separated).`);
  return names as Framework[];
}

/** The output options every reporting command takes, per docs/commands.md. */
function withReportOptions(command: Command) {
  return command
    .option('--json', 'print only the JSON report on stdout')
    .addOption(
      new Option(
        '--format <format>',
        'output format: text, json, junit (JUnit XML), github (Actions annotations and job summary)',
      )
        // No default here: `--json` decides it when --format is not given (reportFormat).
        .choices(REPORT_FORMATS),
    )
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--html <file>', 'also write a self-contained HTML report with plots')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['critical', 'warning', 'never'] as const)
        .default('critical'),
    )
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .option('--no-progress', 'no progress line (it shows only on a terminal, never in CI)')
    .option('--no-color', 'no colour, even on a terminal');
}

/**
 * The format the flags ask for: `--format`, else json with `--json`, else text. `--json` with
 * another `--format` is refused: one of them would be silently ignored.
 */
export function reportFormat(flags: Pick<ReportFlags, 'json' | 'format'>): ReportFormat {
  if (flags.json === true && flags.format !== undefined && flags.format !== 'json')
    throw new UsageError(
      `--json prints the JSON report; it cannot be combined with --format ${flags.format}. Drop one of them.`,
    );
  return flags.format ?? (flags.json === true ? 'json' : 'text');
}

/** The flags of the report options, as commander parses them. */
export type ReportFlags = ReturnType<ReturnType<typeof withReportOptions>['opts']>;

/**
 * Adds the report options after a command's own, keeping the flags it has. The chain runs on the
 * command's untyped view: typed over any command, commander's inferred option types nest so deep
 * that declaration emit does not finish; the result is typed with the flags the chain adds.
 */
export function addReportOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(
  command: Command<Args, Opts, Globals>,
): Command<Args, Opts & ReportFlags, Globals> {
  const withOptions = withReportOptions(command as unknown as Command);
  // Before the action: a conflict of flags is found before any probe runs.
  withOptions.hook('preAction', (_, action) => void reportFormat(action.opts()));
  return withOptions as unknown as Command<Args, Opts & ReportFlags, Globals>;
}

/** `--apply-fix`: `suggested`, `all`, or fix ids separated by commas. */
export function parseFixSelection(value: string): 'suggested' | 'all' | FixId[] {
  if (value === 'suggested' || value === 'all') return value;
  const ids = value.split(',').map((id) => id.trim());
  const unknown = ids.find((id) => !(FIX_IDS as readonly string[]).includes(id));
  if (unknown !== undefined)
    throw new InvalidArgumentError(
      `"${unknown}" is not a fix.${didYouMean(unknown, FIX_IDS)} Use suggested, all, or ids from: ` +
        `${FIX_IDS.join(', ')}.`,
    );
  return ids as FixId[];
}
