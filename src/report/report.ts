/**
 * The JSON report of docs/report.md (schemaVersion 1): what every command prints with --json and
 * what CI gates on. Built here from findings; rendered by the reporters beside this file.
 */
import type { LrRangeCurve, UntriedFix } from '../trials/apply-fixes.js';
import type { Trial } from '../trials/trial-stats.js';
import type { TrialBudget } from '../trials/trial-budget.js';
import type { LogSection } from '../logs/log-section.js';
import type { DataSummary } from '../data/summary.js';
import type { LayerSummary, OutputTrace, ProbeTrace, RunPlan, StopReason } from '../trace/trace.js';
import type { FixCode } from '../fixes/code/code-context.js';
import { isExplained, rankFixes } from '../fixes/rank.js';
import { originalUnitsFactor } from '../trace/loss-units.js';
import type { NotEvaluated } from '../symptoms/engine.js';
import { cutShort, type CutShort } from './short-probe-advice.js';
import type { Finding } from '../symptoms/finding.js';
import { planEnd, type PlanEnd } from '../symptoms/projection.js';
import { DATA_SYMPTOMS, SEVERITIES, type FixId, type Severity } from '../symptoms/ids.js';
import type { SourcePosition } from '../errors.js';
import { TOOL_VERSION } from '../version.js';
import type { FindingLocator } from './fix-location.js';
import type { ReportFix } from './measured-ranking.js';

/**
 * `unhealthy` when any finding is critical, `warning` when the worst is a warning, else `healthy`
 * (info findings do not change the verdict), like eslint's errors and warnings.
 */
export type Verdict = 'healthy' | 'warning' | 'unhealthy';

export interface Report {
  schemaVersion: 1;
  tool: { name: 'convdoc'; version: string };
  command: string;
  /** The config file as given, or null when the command ran on a data file alone. */
  config: string | null;
  /** The tfjs backend the probe ran on; null when nothing was trained. */
  backend: string | null;
  seed: number;
  verdict: Verdict;
  /** The dataset's summary; absent for `analyze`, since a training log holds no dataset. */
  data?: DataSummary;
  /** The probe run; absent for commands that train nothing (inspect). */
  probe?: ProbeSection;
  findings: ReportFinding[];
  /** Best first; after trials, ranked by what they measured (measured-ranking.ts). */
  recommendedFixes: ReportFix[];
  /** With --apply-fix: the baseline first, then each fix (or combination) measured against it. */
  trials?: Trial[];
  /** With --apply-fix, when the lr-schedule trial started from an LR range test: its curve and suggestions. */
  lrRangeTest?: LrRangeCurve;
  /** With --apply-fix: fixes asked for that were not measured, and why (search; a fix that changes nothing here). */
  untriedFixes?: UntriedFix[];
  /** With --apply-fix: the total probe time the trials were planned in, and the trials left out to keep within it. */
  trialBudget?: TrialBudget;
  /** `analyze`: the log that was judged (`config` is null then). */
  log?: LogSection;
  /** `analyze`: detectors whose signals the log lacks, so they were not run (not silently skipped). */
  notEvaluated?: NotEvaluated[];
}

export interface ReportFinding extends Finding {
  /**
   * Where in the config file the finding is answered: a config bug's edit, else the key its top fix
   * changes (see fix-location.ts). Placed when the report is built, so no reporter reads the config
   * again; absent when the command ran without a config or nothing places it.
   */
  location?: SourcePosition;
}

export interface ProbeSection {
  steps: number;
  stepsPlanned: number;
  stoppedEarly: StopReason | null;
  nanStep: number | null;
  seconds: number;
  tfjsVersion: string;
  /** Why this backend was chosen. */
  backendReason: string;
  lossName: string;
  /**
   * Losses on the training batches: first, last (NaN once non-finite), best; the chance level; and
   * what to multiply them by for the target's original units when the run scales it (1 when not;
   * null for losses that do not convert).
   */
  loss: { initial: number; final: number; best: number; chance: number | null; originalUnitsFactor: number | null };
  layers: LayerSummary[];
  /** Where the probe only approximates the user's model (Keras options tfjs lacks). */
  approximations: string[];
  /** A model with several outputs: each output's loss (the `loss` above is their weighted sum). */
  outputs?: OutputSummary[];
  /** The run the user planned and where its loss ends there, measured or projected (src/symptoms/projection.ts). */
  plan?: PlanSection;
  /** Present when the time budget ended the probe too early to judge training dynamics. */
  cutShort?: CutShort;
  trace: Omit<
    ProbeTrace,
    | 'backend'
    | 'tfjsVersion'
    | 'lossName'
    | 'stepsPlanned'
    | 'plan'
    | 'stepsRun'
    | 'stoppedEarly'
    | 'nanStep'
    | 'seconds'
    | 'initialLoss'
    | 'chanceLoss'
    | 'layers'
  >;
}

interface OutputSummary {
  name: string;
  lossName: string;
  task: string;
  weight: number;
  loss: { initial: number; final: number; best: number; chance: number | null };
  /** The last validation loss (NaN without validation rows). */
  valLoss: number;
}

function outputSummary(output: OutputTrace): OutputSummary {
  return {
    name: output.name,
    lossName: output.lossName,
    task: output.task,
    weight: output.weight,
    loss: { ...lossEnds(output.loss), chance: output.chanceLoss },
    valLoss: output.valLoss.at(-1) ?? Number.NaN,
  };
}

/** A loss series' first, last and best value (NaN where there is none; a non-finite last value stays). */
function lossEnds(losses: readonly number[]): { initial: number; final: number; best: number } {
  const finite = losses.filter(Number.isFinite);
  return {
    initial: losses[0] ?? Number.NaN,
    final: losses.at(-1) ?? Number.NaN,
    best: finite.length > 0 ? finite.reduce((least, loss) => Math.min(least, loss)) : Number.NaN,
  };
}

/** `{ cutShort }` when the time budget ended the probe too early to judge, else nothing (the key is optional). */
function cutShortField(trace: ProbeTrace): { cutShort?: CutShort } {
  const found = cutShort(trace);
  return found === undefined ? {} : { cutShort: found };
}

export function probeSection(
  trace: ProbeTrace,
  backendReason: string,
  approximations: readonly string[],
): ProbeSection {
  const {
    backend: _backend,
    tfjsVersion,
    lossName,
    stepsPlanned,
    plan,
    stepsRun,
    stoppedEarly,
    nanStep,
    seconds,
    initialLoss,
    chanceLoss,
    layers,
    ...series
  } = trace;
  const ends = lossEnds(series.loss);
  return {
    steps: stepsRun,
    stepsPlanned,
    stoppedEarly,
    nanStep,
    seconds,
    tfjsVersion,
    backendReason,
    lossName,
    loss: {
      initial: initialLoss,
      final: ends.final,
      best: ends.best,
      chance: chanceLoss,
      originalUnitsFactor: originalUnitsFactor(lossName, series.targetScale),
    },
    layers,
    approximations: [...approximations],
    ...(series.outputs === undefined ? {} : { outputs: series.outputs.map(outputSummary) }),
    ...(plan === undefined ? {} : { plan: planSection(plan, planEnd(trace)) }),
    ...cutShortField(trace),
    trace: series,
  };
}

interface PlanSection extends RunPlan {
  /**
   * The loss at the plan's last step: measured when the probe ran the whole plan (the interval is the
   * noise of that reading), else projected with an interval.
   */
  end: Pick<PlanEnd, 'kind' | 'series' | 'loss' | 'low' | 'high'> | null;
}

function planSection(plan: RunPlan, end: PlanEnd | null): PlanSection {
  return {
    ...plan,
    end: end === null ? null : { kind: end.kind, series: end.series, loss: end.loss, low: end.low, high: end.high },
  };
}

export function buildReport(parts: {
  command: string;
  config: string | null;
  backend: string | null;
  seed: number;
  data?: DataSummary;
  probe?: ProbeSection;
  findings: readonly Finding[];
  /** What each fix would change in this config, for the recommended fixes. */
  describeChange?: (fix: FixId) => string;
  /** Each fix as code for the run's frameworks, for the recommended fixes. */
  describeCode?: (fix: FixId) => FixCode[];
  /** Where each finding is answered in the config file, when the command loaded one. */
  locate?: FindingLocator;
}): Report {
  const findings = sortFindings(parts.findings).map((finding) => placeFinding(finding, parts.locate));
  const verdict = verdictOf(findings);
  // Healthy means no advice: a run without a critical finding gets no recommended fixes (docs/report.md);
  // a warning keeps its fixes inside the finding, for a reader who wants to act on it.
  const ranked = verdict === 'unhealthy' ? rankFixes(findings) : [];
  return {
    schemaVersion: 1,
    tool: { name: 'convdoc', version: TOOL_VERSION },
    command: parts.command,
    config: parts.config,
    backend: parts.backend,
    seed: parts.seed,
    verdict,
    ...(parts.data === undefined ? {} : { data: parts.data }),
    ...(parts.probe === undefined ? {} : { probe: parts.probe }),
    findings,
    recommendedFixes: ranked.map((entry) => {
      const code = parts.describeCode?.(entry.fix) ?? [];
      return {
        ...entry,
        ...(parts.describeChange === undefined ? {} : { change: parts.describeChange(entry.fix) }),
        ...(code.length === 0 ? {} : { code }),
      };
    }),
  };
}

/**
 * Most severe first; among equals config bugs, then data, then training symptoms; then a cause
 * before what it explains (a learning rate too high before the ReLUs it killed); then the surest.
 */
function sortFindings(findings: readonly Finding[]): Finding[] {
  const explained = new Set(findings.filter((finding) => isExplained(finding, findings)));
  return [...findings].sort(
    (a, b) =>
      SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) ||
      categoryRank(a) - categoryRank(b) ||
      Number(explained.has(a)) - Number(explained.has(b)) ||
      b.confidence - a.confidence,
  );
}

/**
 * Among equally severe findings, config bugs come first (no training fix helps while they stand),
 * then data problems (they cause training symptoms), then the training symptoms themselves.
 */
function categoryRank({ symptom }: Finding): number {
  if (symptom.startsWith('config-')) return 0;
  return DATA_SYMPTOMS.has(symptom) ? 1 : 2;
}

function placeFinding(finding: Finding, locate: FindingLocator | undefined): ReportFinding {
  const { edit } = finding;
  // Edits inside a model file may name the file only.
  const location =
    edit?.file === undefined ? locate?.(finding) : { file: edit.file, line: edit.line, column: edit.column };
  return location === undefined ? finding : { ...finding, location };
}

function verdictOf(findings: readonly Finding[]): Verdict {
  if (findings.some((finding) => finding.severity === 'critical')) return 'unhealthy';
  return findings.some((finding) => finding.severity === 'warning') ? 'warning' : 'healthy';
}

/** `--fail-on`: the least severe finding that makes the exit code 1; `never` keeps it 0. */
export type FailOn = Exclude<Severity, 'info'> | 'never';

/** The one exit-code rule, for one finding: it fails the run when at or above `failOn`. */
export function failsRun(severity: Severity, failOn: FailOn): boolean {
  return failOn !== 'never' && SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(failOn);
}

/** The eslint convention: 1 when a finding is at or above `failOn`, else 0. */
export function exitCodeFor(report: Report, failOn: FailOn): 0 | 1 {
  return report.findings.some((finding) => failsRun(finding.severity, failOn)) ? 1 : 0;
}
