/**
 * The one thing to do next, as the HTML page's first screen and the job summary's first lines say
 * it: the best verified fix with the `convdoc fix` command that writes it, else the config edit a
 * critical config bug needs, else the top-ranked fix with how to measure it first. A reader who
 * stops after it has the answer; the findings below are the reasons.
 */
import type { FixCode } from '../fixes/code/code-context.js';
import type { FixId } from '../symptoms/ids.js';
import { byMeasuredLoss, type Trial } from '../trials/trial-stats.js';
import { editText, fixChange, reportSubject } from './plain-text.js';
import type { Report } from './report.js';
import { measuredText, trialName } from './trial-facts.js';

export interface TopAction {
  /** What to do, in one sentence. */
  headline: string;
  /** The config change it makes (`key: from → to`), when the report knows it. */
  change?: string;
  /** Why to trust it: what the trials measured, or that nothing did yet. */
  proof?: string;
  /** Commands that carry it out, each with what it does. */
  commands: { what: string; command: string }[];
  /**
   * The fixes as code for the run's frameworks, as `recommendedFixes[].code` gives them: the change
   * to make by hand where no config carries it (a log's run, a training script).
   */
  code: (FixCode & { fix: FixId })[];
}

/** The verified trial ranked first (byMeasuredLoss: never a loss against one of another horizon): what to run next. */
export function bestVerifiedTrial(trials: readonly Trial[]): Trial | undefined {
  return trials.filter((trial) => trial.verified === true).sort(byMeasuredLoss)[0];
}

/** The command that writes the config with these fixes applied. */
export function fixCommand(report: Report, fixes: readonly string[]): string {
  return `convdoc fix ${reportSubject(report)} --apply ${fixes.join(',')} -o fixed.yaml`;
}

export function topAction(report: Report): TopAction {
  const configBug = report.findings.find((finding) => finding.severity === 'critical' && finding.edit !== undefined);
  if (configBug !== undefined)
    return {
      headline: `Edit the config: ${configBug.symptom} stops the run from learning, and no fix repairs it.`,
      change: editText(configBug.edit!),
      commands: rerun(report, 'then diagnose again'),
      code: [],
    };
  const best = bestVerifiedTrial(report.trials ?? []);
  if (best !== undefined) return verifiedAction(report, best);
  const [top] = report.recommendedFixes;
  if (top !== undefined) return rankedAction(report, top);
  const critical = report.findings.find((finding) => finding.severity === 'critical');
  if (critical !== undefined)
    return {
      headline: critical.advice ?? critical.message,
      commands: rerun(report, 'then diagnose again'),
      code: [],
    };
  return {
    headline:
      report.verdict === 'healthy'
        ? 'Nothing to fix: no finding is critical or a warning.'
        : 'Nothing must change: no finding is critical; the warnings below say what to watch.',
    commands: [],
    code: [],
  };
}

function verifiedAction(report: Report, best: Trial): TopAction {
  const name = trialName(best);
  const single =
    best.fixes.length === 1 ? report.recommendedFixes.find((entry) => entry.fix === best.fixes[0]) : undefined;
  return {
    headline: `Apply ${name}: measured, it repaired the run on every seed.`,
    change: best.fixes.map((fix) => fixChange(report, fix)).join('; '),
    ...(single === undefined ? {} : { proof: measuredText(single, report) }),
    commands:
      report.config === null ? [] : [{ what: 'write the fixed config', command: fixCommand(report, best.fixes) }],
    code: fixesCode(report, best.fixes),
  };
}

function rankedAction(report: Report, top: Report['recommendedFixes'][number]): TopAction {
  const measured =
    top.measured !== undefined
      ? measuredText(top, report)
      : report.config === null
        ? 'ranked first by the findings; a log cannot be re-run: convdoc diagnose measures fixes on a config'
        : 'ranked first by the findings, not measured yet';
  const commands =
    report.config === null
      ? []
      : [
          ...(report.trials === undefined
            ? [{ what: 'measure it first', command: `convdoc diagnose ${report.config} --apply-fix suggested` }]
            : []),
          { what: 'write the fixed config', command: fixCommand(report, [top.fix]) },
        ];
  const headline =
    report.trials === undefined
      ? `Try ${top.fix}: it answers ${top.because.join(', ')}.`
      : `No measured fix held on every seed; the best remaining advice is ${top.fix}.`;
  return {
    headline,
    change: fixChange(report, top.fix),
    proof: measured,
    commands,
    code: fixesCode(report, [top.fix]),
  };
}

/** The code the report gives for these fixes (none when it was asked for no framework). */
function fixesCode(report: Report, fixes: readonly FixId[]): TopAction['code'] {
  return fixes.flatMap((fix) =>
    (report.recommendedFixes.find((entry) => entry.fix === fix)?.code ?? []).map((code) => ({ fix, ...code })),
  );
}

function rerun(report: Report, what: string): TopAction['commands'] {
  return report.config === null ? [] : [{ what, command: `convdoc diagnose ${report.config}` }];
}
