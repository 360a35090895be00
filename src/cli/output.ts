/**
 * Sends rendered reports where the user asked: the main output to a file (atomically) or stdout,
 * the HTML page, and the GitHub job summary. The CLI only picks reporters by name; the registry
 * loads each one when it is first used.
 */
import { appendFile } from 'node:fs/promises';
import { ConvdocError } from '../errors.js';
import { exitCodeFor, type Report } from '../report/report.js';
import type { ReporterOptions } from '../report/reporter.js';
import { renderReport } from '../report/reporters.js';
import type { PlannedOutput } from '../util/output-check.js';
import { writeOutput, writeOutputs, type OutputFile } from '../util/safe-write.js';
import { errorCode } from '../util/error-code.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import { reportFormat, type ReportFlags } from './options.js';

/**
 * No `-o`, `-o -`, and the paths that name this process's stdout: printed through the stream the
 * CLI was given. Opening /dev/stdout fails when stdout is a socket (as under Node's spawn), and the
 * stream keeps the order of what is printed.
 */
const STDOUT_ALIASES = ['-', '/dev/stdout', '/dev/fd/1', '/proc/self/fd/1'] as const;

export function toStdout(output: string | undefined): output is (typeof STDOUT_ALIASES)[number] | undefined {
  return output === undefined || (STDOUT_ALIASES as readonly string[]).includes(output);
}

/** The files a reporting command will write, for the check before it runs. */
export function plannedOutputs(flags: { output?: string; html?: string; traceOut?: string }): PlannedOutput[] {
  return [
    ...(toStdout(flags.output) ? [] : [{ file: flags.output, flag: '-o' }]),
    ...(flags.html === undefined ? [] : [{ file: flags.html, flag: '--html' }]),
    ...(flags.traceOut === undefined ? [] : [{ file: flags.traceOut, flag: '--trace-out' }]),
  ];
}

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (toStdout(output)) io.stdout.write(text);
  else await writeOutput(output, text);
}

/**
 * Renders a report as the flags ask, writes it with the command's other output files (`also`),
 * and returns the exit code it earns. Files are written together, all or none, before anything
 * is printed: when one cannot be written, the command ends with nothing half done. The GitHub job
 * summary is appended last; a summary file that cannot be appended to fails the command after
 * the report is out.
 */
export async function emitReport(
  report: Report,
  flags: ReportFlags,
  io: CliIo,
  also: readonly OutputFile[] = [],
): Promise<number> {
  const format = reportFormat(flags);
  const options: ReporterOptions = {
    failOn: flags.failOn,
    paint: paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color),
  };
  const text = await renderReport(report, format, options);
  const html =
    flags.html === undefined ? [] : [{ file: flags.html, content: await renderReport(report, 'html', options) }];
  const toFile = toStdout(flags.output) ? [] : [{ file: flags.output, content: text }];
  await writeOutputs([...html, ...also, ...toFile]);
  if (toFile.length === 0) io.stdout.write(text);
  if (format === 'github') await appendStepSummary(report, options, io);
  return exitCodeFor(report, flags.failOn);
}

/**
 * GitHub Actions shows the Markdown in $GITHUB_STEP_SUMMARY on the run's page; the variable is set
 * only inside a workflow step, and other steps' summaries in the file stay.
 */
/** The job summary could not be appended: the report and its annotations are already out. */
export class SummaryAppendError extends ConvdocError {}

async function appendStepSummary(report: Report, options: ReporterOptions, io: CliIo): Promise<void> {
  const file = io.env['GITHUB_STEP_SUMMARY'];
  if (!file) return;
  const summary = await renderReport(report, 'github-summary', options);
  try {
    await appendFile(file, summary);
  } catch (error) {
    throw new SummaryAppendError(
      `${file}: cannot append the job summary (${errorCode(error)}). Check GITHUB_STEP_SUMMARY.`,
    );
  }
}
