import { InvalidArgumentError, Option, type Command } from 'commander';
import { FIX_IDS, type FixId } from '../symptoms/ids.js';
import { didYouMean } from '../util/suggest.js';
import { REPORT_FORMATS } from './output.js';

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

/** The output options every reporting command takes, per docs/commands.md. */
export function addReportOptions(command: Command): Command {
  return command
    .option('--json', 'print only the JSON report on stdout')
    .addOption(
      new Option(
        '--format <format>',
        'output format: text, json, junit (JUnit XML), github (Actions annotations and job summary)',
      )
        .choices(REPORT_FORMATS)
        .default('text'),
    )
    .option('-o, --output <file>', 'write the report to a file (atomically) instead of stdout')
    .option('--html <file>', 'also write a self-contained HTML report with plots')
    .addOption(
      new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity')
        .choices(['critical', 'warning', 'never'])
        .default('critical'),
    )
    .option('-q, --quiet', 'no progress or log lines on stderr')
    .option('--no-progress', 'no progress line (it shows only on a terminal, never in CI)')
    .option('--no-color', 'no colour, even on a terminal');
}

/** `--apply-fix`: `suggested`, `all`, or fix ids separated by commas. */
export function parseFixSelection(value: string): 'suggested' | 'all' | FixId[] {
  if (value === 'suggested' || value === 'all') return value;
  const ids = value.split(',').map((id) => id.trim());
  const unknown = ids.find((id) => !(FIX_IDS as readonly string[]).includes(id));
  if (unknown !== undefined)
    throw new InvalidArgumentError(
      `"${unknown}" is not a fix.${didYouMean(unknown, FIX_IDS)} Use suggested, all, or ids from: ${FIX_IDS.join(', ')}.`,
    );
  return ids as FixId[];
}
