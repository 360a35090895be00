/** Sends a rendered report where the user asked: a file (atomically) or stdout, plus the HTML file and CI summaries. */
import { ConvdocError } from '../errors.js';
import { exitCodeFor, type Report } from '../report/report.js';
import { REPORTERS } from '../report/reporters.js';
import { writeFileAtomic, writeFilesAtomic, type OutputFile } from '../util/atomic-write.js';
import { errorCode } from '../util/error-code.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';
import type { ReportFlags } from './options.js';

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') io.stdout.write(text);
  else await writeFileAtomic(output, text);
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
  const format = flags.json ? 'json' : flags.format;
  const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
  const text = REPORTERS[format](report, { failOn: flags.failOn, paint });
  const html =
    flags.html === undefined
      ? []
      : [{ file: flags.html, content: (await import('../report/html/index.js')).renderHtml(report) }];
  const toFile = flags.output === undefined || flags.output === '-' ? [] : [{ file: flags.output, content: text }];
  await writeFilesAtomic([...html, ...also, ...toFile]);
  if (toFile.length === 0) io.stdout.write(text);
  if (format === 'github') await appendSummary(report, io);
  return exitCodeFor(report, flags.failOn);
}

/** GitHub Actions shows the Markdown in $GITHUB_STEP_SUMMARY on the run's page. */
async function appendSummary(report: Report, io: CliIo): Promise<void> {
  const { appendStepSummary } = await import('../report/github-summary.js');
  try {
    await appendStepSummary(report, io.env);
  } catch (error) {
    throw new ConvdocError(
      `${io.env['GITHUB_STEP_SUMMARY']}: cannot append the job summary (${errorCode(error)}). Check GITHUB_STEP_SUMMARY.`,
    );
  }
}
