/**
 * What `convdoc fix --apply suggested` writes. With the JSON report of a `diagnose --apply-fix` run
 * (`--report`): the fixes of the best trial verified on every seed, never a combination the trials
 * measured as lost. Without one: the single top-ranked config change, since a list of ranked fixes
 * applied together is a combination nobody measured.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import type { FixTable } from '../fixes/fix-table.js';
import type { RecommendedFix } from '../fixes/rank.js';
import { reportSchema } from '../report/report-schema.js';
import type { FixId } from '../symptoms/ids.js';
import { errorCode } from '../util/error-code.js';
import { displayPath } from '../util/paths.js';

export function topRankedFix(recommended: readonly RecommendedFix[], table: FixTable): FixId[] {
  const top = recommended.find((entry) => table.configChanges.includes(entry.fix));
  return top === undefined ? [] : [top.fix];
}

/** The best verified trial's fixes in `reportFile`, a report of `diagnose --apply-fix` on `configFile`. */
export async function verifiedFixes(reportFile: string, configFile: string): Promise<FixId[]> {
  const report = await readReport(reportFile);
  if (report.config === null || path.resolve(report.config) !== path.resolve(configFile))
    throw new UsageError(
      `${displayPath(reportFile)}: the report is of ${report.config ?? 'no config'}, not ${configFile}: ` +
        'pass the report of `convdoc diagnose` on this config',
    );
  if (report.trials === undefined)
    throw new UsageError(
      `${displayPath(reportFile)}: the report holds no trials: write one with ` +
        `convdoc diagnose ${configFile} --apply-fix suggested --json > report.json`,
    );
  const best = report.trials
    .filter((trial) => trial.verified === true && trial.finalLoss !== null)
    .sort((a, b) => a.finalLoss! - b.finalLoss!)[0];
  if (best === undefined)
    throw new UsageError(
      `${displayPath(reportFile)}: no trial verified a fix on every seed, so none is suggested; ` +
        'apply fix ids with --apply <ids> to write one anyway',
    );
  return best.fixes;
}

async function readReport(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${displayPath(file)}: cannot read the report (${errorCode(error)}). Check --report.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`${displayPath(file)}: not a JSON report: write one with convdoc diagnose --format json`);
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(
      `${displayPath(file)}: not a convdoc report: ${issue.path.join('.') || '(top)'}: ${issue.message}`,
    );
  }
  return parsed.data;
}
