/**
 * One signature for every reporter (knip's shape): the report and how to show it in, text out.
 * Reporters are pure: what they print comes from the report and these options alone, so a report
 * read back from JSON renders as the command printed it.
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
