/** Sends a rendered report where the user asked: a file (atomically) or stdout, plus the HTML file and CI summaries. */
import { loadConfig } from '../config/load.js';
import { ConvdocError } from '../errors.js';
import { exitCodeFor, type FailOn, type Report } from '../report/report.js';
import { renderText } from '../report/text.js';
import { writeFileAtomic, writeFilesAtomic, type OutputFile } from '../util/atomic-write.js';
import { errorCode } from '../util/error-code.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') io.stdout.write(text);
  else await writeFileAtomic(output, text);
}

export const REPORT_FORMATS = ['text', 'json', 'junit', 'github'] as const;

/** The flags of addReportOptions, as commander parses them. */
export interface ReportFlags {
  json?: boolean;
  format: (typeof REPORT_FORMATS)[number];
  output?: string;
  html?: string;
  failOn: FailOn;
  color: boolean;
  progress: boolean;
  quiet?: boolean;
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
  const text = await render(report, flags, io);
  const html =
    flags.html === undefined
      ? []
      : [{ file: flags.html, content: (await import('../report/html/index.js')).renderHtml(report) }];
  const toFile = flags.output === undefined || flags.output === '-' ? [] : [{ file: flags.output, content: text }];
  await writeFilesAtomic([...html, ...also, ...toFile]);
  if (toFile.length === 0) io.stdout.write(text);
  if (!flags.json && flags.format === 'github') await appendSummary(report, io);
  return exitCodeFor(report, flags.failOn);
}

async function render(report: Report, flags: ReportFlags, io: CliIo): Promise<string> {
  const format = flags.json ? 'json' : flags.format;
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  if (format === 'junit') return (await import('../report/junit.js')).renderJunit(report, flags.failOn);
  if (format === 'github') {
    const [{ renderGithub }, { findingLocator }] = await Promise.all([
      import('../report/github.js'),
      import('../report/fix-location.js'),
    ]);
    // Annotations point at config lines: the config is read again for its positions (it parsed a moment ago).
    const locate =
      report.config === null ? undefined : findingLocator(await loadConfig(report.config), report.findings);
    return renderGithub(report, flags.failOn, locate);
  }
  return renderText(report, paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color));
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
