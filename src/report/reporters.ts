/**
 * Every reporter by name, each loaded when first asked for: a command that prints text loads no
 * JUnit, GitHub or HTML code. A new reporter is one file with a Reporter and one line here.
 */
import { Chalk } from 'chalk';
import type { Report } from './report.js';
import type { Reporter, ReporterOptions } from './reporter.js';

export const REPORTERS = {
  text: async () => (await import('./text.js')).renderText,
  json: async () => (await import('./json.js')).renderJson,
  junit: async () => (await import('./junit.js')).renderJunit,
  github: async () => (await import('./github.js')).renderGithub,
  /** The job summary, Markdown: the CLI appends it to $GITHUB_STEP_SUMMARY with `--format github`. */
  'github-summary': async () => (await import('./github-summary.js')).renderGithubSummary,
  /** The self-contained page that `--html <file>` writes beside the main output. */
  html: async () => (await import('./html/index.js')).renderHtml,
} as const satisfies Record<string, () => Promise<Reporter>>;

export type ReporterName = keyof typeof REPORTERS;

/** What `--format` offers for the main output; the other reporters write the CLI's extra files. */
export const REPORT_FORMATS = ['text', 'json', 'junit', 'github'] as const satisfies readonly ReporterName[];

export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** A report through a reporter; by default without colour and failing on critical findings, as the CLI does. */
export async function renderReport(
  report: Report,
  name: ReporterName,
  options: Partial<ReporterOptions> = {},
): Promise<string> {
  const reporter = await REPORTERS[name]();
  return reporter(report, { failOn: 'critical', paint: new Chalk({ level: 0 }), ...options });
}
