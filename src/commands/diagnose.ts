/**
 * `convdoc diagnose <config>`: data checks and config lint before any training, then a probe, then
 * the engine over all of it; findings ranked into fixes. Config edits are placed at their line.
 */
import type { Framework } from '../fixes/code/code-context.js';
import { configCodeContext, fixCode } from '../fixes/code/fix-code.js';
import { configInputs, keyPosition, loadConfig, type LoadedConfig } from '../config/load.js';
import { checkOutputs, type PlannedOutput } from '../util/output-check.js';
import { describeFixChange } from '../fixes/describe-change.js';
import { rankFixes, type RecommendedFix } from '../fixes/rank.js';
import { runTrials, type FixSelection } from '../trials/apply-fixes.js';
import { probeSteps, trialProbes, type StatusLine } from './progress.js';
import type { BackendSelection } from '../probe/backend.js';
import { loadProbeSubject, probeSubject, withOverrides, type ProbeOptions, type ProbeSubject } from '../probe/index.js';
import type { ProbePool } from '../trials/probe-pool.js';
import { inProcess, type RunHere } from '../trials/probe-jobs.js';
import { runJob } from '../trials/run-job.js';
import { fixContext } from '../trials/fix-context.js';
import type { ProbeTrace } from '../trace/trace.js';
import { defaultLoss } from '../probe/probe-data.js';
import { trainRows } from '../probe/run-plan.js';
import { findingLocator } from '../report/fix-location.js';
import { buildReport, probeSection, type Report } from '../report/report.js';
import { withTrials } from '../report/measured-ranking.js';
import type { ConfigLintParts } from '../symptoms/config-lint-input.js';
import { modelLintInput, withOutputLint } from './output-lint.js';
import { findSymptoms, notJudged } from '../symptoms/engine.js';
import { standardizesInputs } from '../model/first-layer.js';
import { displayPath } from '../util/paths.js';
import type { Finding } from '../symptoms/finding.js';
import type { Config } from '../config/schema.js';

export interface DiagnoseOptions extends ProbeOptions {
  /** Re-run the probe with fixes applied and measure them (--apply-fix). */
  applyFix?: FixSelection;
  /** Worker processes for the --apply-fix runs, started early by the caller; without, they run here. */
  pool?: ProbePool;
  /** Where to say what is running. */
  status?: StatusLine;
  /** The frameworks to give each fix's code for (default Keras and TensorFlow.js). */
  code?: readonly Framework[];
  /** The files the caller will write the report to: checked before the probe runs. */
  outputs?: readonly PlannedOutput[];
}

/**
 * A baseline probe this long starts the pool's late worker (cli/diagnose.ts): the trials make at
 * least three more runs (two baseline seeds and a candidate), so the worker takes over one and a
 * half of them, more than its start-up of 1-2 CPU s on this 2-core machine; Boston's 0.5 s probe
 * does not, and with a worker its --apply-fix all took 0.7-1.4 s longer (docs/performance.md).
 */
const LATE_WORKER_MIN_SECONDS = 2;

/** A convdoc config describes a Keras / tfjs-layers model: its fixes are given in both. */
const CONFIG_FRAMEWORKS: readonly Framework[] = ['keras', 'tfjs'];

export async function diagnose(file: string, options: DiagnoseOptions): Promise<Report> {
  const loaded = await loadConfig(file);
  await checkOutputs(options.outputs ?? [], configInputs(loaded));
  const subject = await loadProbeSubject(loaded);
  const { status } = options;
  const { backend, trace } = await probeSubject(subject, {
    ...options,
    ...(status === undefined ? {} : { onStep: probeSteps(status, 'baseline probe') }),
  });
  const seed = options.seed ?? loaded.config.seed;
  const report = diagnoseSubject(subject, backend, trace, seed, options.code);
  if (options.applyFix === undefined) return report;
  if (trace.seconds >= LATE_WORKER_MIN_SECONDS) options.pool?.startLate();
  const runHere: RunHere = (job, onStep) => runJob(subject, backend.name, job, onStep);
  const progress = status === undefined ? undefined : trialProbes(status);
  const executor = options.pool?.executor(backend.name, runHere, progress) ?? inProcess(runHere, progress);
  const plan = {
    subject,
    config: trialSteps(withOverrides(loaded.config, options), trace),
    baseline: trace,
    seed,
    findings: report.findings,
    recommended: fixesToMeasure(report),
    selection: options.applyFix,
  };
  return withTrials(report, await runTrials(plan, executor));
}

/**
 * The config the trials run: the baseline's, for as many steps as the baseline ran when its time
 * budget stopped it. A trial runs all its steps whatever the clock (run-job.ts), so it is compared
 * with the baseline over the same steps, and the trials' budget counts them.
 */
export function trialSteps(config: Config, baseline: Pick<ProbeTrace, 'stoppedEarly' | 'stepsRun'>): Config {
  if (baseline.stoppedEarly !== 'time-budget') return config;
  return { ...config, probe: { ...config.probe, steps: Math.min(config.probe.steps, baseline.stepsRun) } };
}

/**
 * What `--apply-fix suggested` measures: the recommended fixes, or on a verdict of warnings only
 * (which recommends nothing: no finding is critical) the fixes the warnings carry, ranked the same
 * way. The verdict gives no advice, but a measurement was asked for.
 */
export function fixesToMeasure(report: Report): readonly RecommendedFix[] {
  return report.verdict === 'warning' ? rankFixes(report.findings) : report.recommendedFixes;
}

/** The diagnosis of a probed subject: data checks, config lint and the trace through the engine. */
export function diagnoseSubject(
  subject: ProbeSubject,
  backend: BackendSelection,
  trace: ProbeTrace,
  seed: number,
  frameworks: readonly Framework[] = CONFIG_FRAMEWORKS,
): Report {
  const { loaded, dataset, model } = subject;
  const { summary } = dataset;
  const parts: ConfigLintParts = {
    task: summary.task,
    taskSource: summary.taskSource,
    loss: loaded.config.training.loss ?? defaultLoss(summary.task, dataset),
    lossFromConfig: loaded.config.training.loss !== undefined,
    fromLogits: loaded.config.training.fromLogits ?? model.fromLogits ?? false,
    layers: model.layers,
    layerKey: model.layerKey,
    data: summary,
    batch: { size: loaded.config.training.batchSize, trainRows: trainRows(loaded.config, summary.rows) },
    ...declaredInput(subject),
  };
  const lint = modelLintInput(parts, trace);
  // Output units are left out of the data checks: config-shape-mismatch reports ids past the last unit, with the edit.
  const data = {
    data: summary,
    tokenIds: lint.embedding !== undefined,
    standardizedInModel: standardizesInputs(model.layers),
  };
  const findings = withOutputLint(findSymptoms({ data, config: lint, trace }), parts, subject, trace).map((finding) =>
    placeEdit(finding, loaded),
  );
  const context = fixContext(subject, loaded.config, findings, trace);
  const unjudged = notJudged(trace);
  const codeContext = configCodeContext(loaded.config, context, trace.layers, trace.plan?.steps);
  const report = buildReport({
    command: 'diagnose',
    config: loaded.file,
    backend: backend.name,
    seed,
    data: summary,
    probe: probeSection(trace, backend.reason, model.approximations),
    findings,
    describeChange: (fix) => describeFixChange(fix, loaded.config, context),
    describeCode: (fix) => fixCode(fix, frameworks, codeContext),
    locate: findingLocator(loaded, findings),
  });
  return unjudged.length === 0 ? report : { ...report, notEvaluated: unjudged };
}

/** The model file's input shape against the data's; not for several inputs, which read one flat row. */
function declaredInput({ loaded, model, dataset, io }: ProbeSubject): Pick<ConfigLintParts, 'declaredInput'> {
  if (model.declaredInputShape === undefined || io?.inputs !== undefined) return {};
  const file = displayPath(loaded.config.model.file!);
  return { declaredInput: { file, declared: model.declaredInputShape, data: dataset.inputShape } };
}

/** Adds file, line and column to an edit of a config key (edits inside a model file name their file already). */
function placeEdit(finding: Finding, loaded: LoadedConfig): Finding {
  const key = finding.edit?.key;
  if (key === undefined || !/^(data|model|training|probe)\./.test(key)) return finding;
  const keyPath = key.split('.').map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
  return { ...finding, edit: { ...finding.edit!, ...keyPosition(loaded, keyPath) } };
}
