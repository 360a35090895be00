/**
 * The library: the commands the CLI runs, as functions, and what renders and judges their reports.
 * Importing it loads no tfjs; the commands that train (diagnose, fixConfig, lrFind, search) load it
 * when called, as the CLI does.
 */
import type * as DiagnoseCommand from './commands/diagnose.js';
import type * as FixCommand from './commands/fix.js';
import type * as LrFindCommand from './commands/lr-find.js';
import type * as SearchCommand from './commands/search.js';

export async function diagnose(...args: Parameters<typeof DiagnoseCommand.diagnose>) {
  return (await import('./commands/diagnose.js')).diagnose(...args);
}
export async function fixConfig(...args: Parameters<typeof FixCommand.fixConfig>) {
  return (await import('./commands/fix.js')).fixConfig(...args);
}
export async function lrFind(...args: Parameters<typeof LrFindCommand.lrFind>) {
  return (await import('./commands/lr-find.js')).lrFind(...args);
}
export async function search(...args: Parameters<typeof SearchCommand.search>) {
  return (await import('./commands/search.js')).search(...args);
}
export type DiagnoseOptions = Parameters<typeof diagnose>[1];
export type FixOptions = Parameters<typeof fixConfig>[1];
export type LrFindOptions = Parameters<typeof lrFind>[1];
export type LrFindResult = Awaited<ReturnType<typeof lrFind>>;
export type SearchOptions = Parameters<typeof search>[1];
export type SearchResult = Awaited<ReturnType<typeof search>>;

export { analyze, type AnalyzeOptions } from './commands/analyze.js';
export { inspect, type InspectOptions } from './commands/inspect.js';
export { initConfig, type InitOptions } from './commands/init.js';
export { loadConfig, type LoadedConfig } from './config/load.js';
export type { Config } from './config/schema.js';
export { ConfigError, ConvdocError, DataError, UsageError } from './errors.js';
export { renderHtml } from './report/html/index.js';
export { exitCodeFor, failsRun, type FailOn, type Report, type ReportFinding, type Verdict } from './report/report.js';
export { reportJsonSchema, reportSchema, type ReportJson } from './report/report-schema.js';
export type { Reporter, ReporterOptions } from './report/reporter.js';
export { renderReport, REPORT_FORMATS, REPORTERS, type ReporterName, type ReportFormat } from './report/reporters.js';
export type { Finding } from './symptoms/finding.js';
export { FIX_IDS, SYMPTOM_IDS, type FixId, type Severity, type SymptomId } from './symptoms/ids.js';
