/**
 * One signature for every reporter (knip's shape): the report and how to show it in, text out.
 * Reporters are pure: what they print comes from the report and these options alone, so a report
 * read back from JSON renders as the command printed it. Writing the text somewhere (stdout, -o,
 * --html, $GITHUB_STEP_SUMMARY) is the caller's job.
 *
 * `lr-find` and `search` print their own results through ResultRenderer (lr-find-text.ts,
 * search-text.ts), a different kind of thing: a result is not a Report (no findings, so no
 * `--fail-on` and no exit code to earn) and it has only text or `--json`, so no `--format` chooses
 * among renderers and they are not in the registry.
 */
import type { ChalkInstance } from 'chalk';
import type { FailOn, Report } from './report.js';

export interface ReporterOptions {
  /** Which findings fail the run: they are errors in annotations and failures in test reports. */
  failOn: FailOn;
  /** Colour for text reports; a colourless chalk returns its input untouched. */
  paint: ChalkInstance;
}

export type Reporter = (report: Report, options: ReporterOptions) => string;

/** A command's own result as text: the reporter's options, less the one that judges findings. */
export type ResultRenderer<Result> = (result: Result, options: Pick<ReporterOptions, 'paint'>) => string;
