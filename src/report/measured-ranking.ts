/**
 * One ranking after --apply-fix. Before trials the recommended fixes follow the engine's reading of
 * the findings (fixes/rank.ts); once trials have measured them, advice must not contradict the
 * measurement: a fix that lost stays listed, marked as lost, below one nobody has tried yet. Every
 * reporter shows `recommendedFixes` in the order given here (docs/report.md).
 */
import type { RecommendedFix } from '../fixes/rank.js';
import type { FixId } from '../symptoms/ids.js';
import type { TrialResults } from '../trials/apply-fixes.js';
import { byMeasuredLoss, type Trial } from '../trials/trial-stats.js';
import type { Report } from './report.js';

/**
 * What the trials said of a fix, in the order fixes are ranked by: verified on every seed; not
 * measured (it may still help); measured and finished but not verified; measured and lost (stopped
 * early behind the best trial, or diverged).
 */
export const MEASURED_STATUSES = ['verified', 'untried', 'not-verified', 'lost'] as const;
type MeasuredStatus = (typeof MEASURED_STATUSES)[number];

/** A recommended fix as the report carries it: after trials, with what they measured. */
export interface ReportFix extends RecommendedFix {
  measured?: MeasuredStatus;
}

/** The report with the trials' results, its recommended fixes re-ranked by what was measured. */
export function withTrials(report: Report, results: TrialResults): Report {
  const { trials } = results;
  // Within a status the trials' order (byMeasuredLoss: the trial's horizon first, then the lower
  // loss); untried fixes keep the findings' order.
  const byTrial = (a: FixId, b: FixId) => {
    const [first, second] = [trialOf(a, trials), trialOf(b, trials)];
    return first === undefined || second === undefined ? 0 : byMeasuredLoss(first, second);
  };
  const ranked = report.recommendedFixes
    .map((entry) => ({ ...entry, measured: measuredStatus(entry.fix, trials) }))
    .sort(
      (a, b) =>
        MEASURED_STATUSES.indexOf(a.measured) - MEASURED_STATUSES.indexOf(b.measured) ||
        byTrial(a.fix, b.fix) ||
        a.rank - b.rank,
    )
    .map((entry, index) => ({ ...entry, rank: index + 1 }));
  return { ...report, ...results, recommendedFixes: ranked };
}

/** The trial that measured a fix alone; combinations judge the combination, not each of its fixes. */
export function trialOf(fix: FixId, trials: readonly Trial[]): Trial | undefined {
  return trials.find((trial) => trial.fixes.length === 1 && trial.fixes[0] === fix);
}

function measuredStatus(fix: FixId, trials: readonly Trial[]): MeasuredStatus {
  const trial = trialOf(fix, trials);
  if (trial === undefined) return 'untried';
  if (trial.verified === true) return 'verified';
  return trial.lost || trial.diverged ? 'lost' : 'not-verified';
}
