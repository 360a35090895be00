/** Sends a rendered report where the user asked: a file (atomically) or stdout. */
import { exitCodeFor, type FailOn, type Report } from '../report/report.js';
import { renderText } from '../report/text.js';
import { writeFileAtomic } from '../util/atomic-write.js';
import { paintFor } from './color.js';
import type { CliIo } from './io.js';

export async function emit(text: string, output: string | undefined, io: CliIo): Promise<void> {
  if (output === undefined || output === '-') io.stdout.write(text);
  else await writeFileAtomic(output, text);
}

/** The flags of addReportOptions, as commander parses them. */
export interface ReportFlags {
  json?: boolean;
  format: 'text' | 'json';
  output?: string;
  failOn: FailOn;
  color: boolean;
}

/** Renders a report as the flags ask, writes it, and returns the exit code it earns. */
export async function emitReport(report: Report, flags: ReportFlags, io: CliIo): Promise<number> {
  const json = flags.json || flags.format === 'json';
  const paint = paintFor(flags.output === undefined ? io.stdout : {}, io.env, flags.color);
  await emit(json ? `${JSON.stringify(report, null, 2)}\n` : renderText(report, paint), flags.output, io);
  return exitCodeFor(report, flags.failOn);
}
