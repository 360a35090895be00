/**
 * Probe speed: for each reference model (probe-cases.ts) on each backend (wasm, cpu, and
 * tensorflow when @tensorflow/tfjs-node loads), steps/s of the instrumented probe against plain
 * model.fit over the same steps and batch size, and what each of the probe's signals costs.
 * One child process per backend (tfjs picks its backend once per process): probe-worker.ts.
 *
 * Acceptance, on the default backend (wasm without tfjs-node): the full probe takes at most 1.3×
 * the time of model.fit for every model, and a 300-step probe of the Boston MLP under 1.5 s.
 *
 * From the medians T of the worker's paths (each from the layer specs to a trained, disposed model):
 *   probe/fit ratio      T(probeFull) / T(fit)
 *   per-step signals     T(probeNoEval) − T(bareLoop) − evaluations(probeNoEval) × one evaluation:
 *                        gradient and weight read-backs, norms, update ratios, clipping copy, trace
 *   eval + activations   evaluations(probeFull) × one evaluation, where one evaluation is
 *                        (T(probeFull) − T(probeNoEval)) / (evaluations(probeFull) − evaluations(probeNoEval))
 * both per step and as a percentage of model.fit's time, so that
 *   ratio = T(bareLoop)/T(fit) + signals% + evaluations%.
 * Budgets and the table use wall time, as the acceptance says; every figure is also derived from
 * CPU time (`probeToFitRatioCpu`, `costsCpu`), which tells a real cost from another process's load.
 */
import { availableParallelism, loadavg } from 'node:os';
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { runWorker } from './run-worker.js';
import { formatTable } from './table.js';
import {
  PROBE_BACKENDS,
  PROBE_CASE_NAMES,
  RESULT_MARKER,
  type PathTiming,
  type ProbeBackendChoice,
  type ProbeCaseMeasurement,
  type ProbeCaseName,
  type ProbePath,
  type WorkerReport,
} from './probe-types.js';

const WORKER = 'bench/probe-worker.ts';

/** Acceptance budgets, held on the default backend only. */
const BUDGET_BACKEND = 'wasm';
const MAX_PROBE_TO_FIT_RATIO = 1.3;
const BOSTON_CASE: ProbeCaseName = 'boston-mlp';
const MAX_BOSTON_PROBE_SECONDS = 1.5;

interface Cost {
  msPerStep: number;
  /** Of model.fit's time per step. */
  percentOfFit: number;
}

interface Costs {
  /** The custom loop against model.fit on the same model (no instrumentation in either). */
  bareLoopVsFit: Cost;
  perStepSignals: Cost;
  evalAndActivations: Cost & { msPerEvaluation: number; evaluations: number };
}

/** The 1-minute load average before and after a backend's worker, and the CPU count: other load makes timings noisy. */
interface Machine {
  loadAverageBefore: number;
  loadAverageAfter: number;
  cpus: number;
}

export type ProbeBenchmarkResult = GroupEntry & { case: ProbeCaseName; backend: string } & (
    | {
        status: 'measured';
        description: string;
        steps: number;
        batchSize: number;
        stepsPerSecond: Record<ProbePath, number>;
        /** T(probeFull) / T(fit) in wall time: the acceptance ratio. */
        probeToFitRatio: number;
        /** The same from CPU time, which other processes on the machine hardly disturb (wasm and cpu are single-threaded). */
        probeToFitRatioCpu: number;
        /** The largest (max − min) / median of wall time over the paths' 3 runs, in %: how much to trust a difference. */
        maxSpreadPercent: number;
        /** What the probe's parts cost, from wall-time medians. */
        costs: Costs;
        /** The same from CPU-time medians. */
        costsCpu: Costs;
        /** Boston only: the full 300-step probe, warm median and (first model of the worker) cold. */
        bostonProbeSeconds?: { warm: number; cold?: number };
        budget: { maxProbeToFitRatio?: number; maxBostonProbeSeconds?: number };
        machine: Machine;
        tfjsVersion: string;
        nodeVersion: string;
        date: string;
        measurement: ProbeCaseMeasurement;
      }
    | { status: 'unavailable'; reason: string }
    | { status: 'error'; error: string }
  );

const backendNameOf = (choice: ProbeBackendChoice) => PROBE_BACKENDS.find((backend) => backend.choice === choice)!.name;
const nameOf = (probeCase: ProbeCaseName, backend: string) => `probe-${probeCase}-${backend}`;

export function probeGroup(): BenchmarkGroup<ProbeBenchmarkResult> {
  const all = PROBE_BACKENDS.flatMap((backend) =>
    PROBE_CASE_NAMES.map((probeCase) => ({ choice: backend.choice, probeCase, name: nameOf(probeCase, backend.name) })),
  );
  return {
    key: 'probe',
    names: all.map((entry) => entry.name),
    async run(names) {
      const results: ProbeBenchmarkResult[] = [];
      for (const { choice } of PROBE_BACKENDS) {
        const cases = all
          .filter((entry) => entry.choice === choice && names.includes(entry.name))
          .map((entry) => entry.probeCase);
        if (cases.length === 0) continue;
        console.error(`running probe speed on ${backendNameOf(choice)}: ${cases.join(', ')} ...`);
        results.push(...(await runBackend(choice, cases)));
      }
      return { results, errors: [] };
    },
    format: formatProbeTable,
  };
}

async function runBackend(
  choice: ProbeBackendChoice,
  cases: readonly ProbeCaseName[],
): Promise<ProbeBenchmarkResult[]> {
  const backend = backendNameOf(choice);
  let report: WorkerReport;
  const loadAverageBefore = loadavg()[0]!;
  try {
    report = await runProbeWorker(choice, cases);
  } catch (error) {
    const message = (error as Error).message;
    return cases.map((probeCase) => ({
      name: nameOf(probeCase, backend),
      case: probeCase,
      backend,
      status: 'error',
      error: message,
      failures: [message],
    }));
  }
  if (!report.available) {
    console.error(`  ${backend} is not available: ${report.reason}`);
    return cases.map((probeCase) => ({
      name: nameOf(probeCase, backend),
      case: probeCase,
      backend,
      status: 'unavailable',
      reason: report.reason,
      failures: [],
    }));
  }
  const machine = { loadAverageBefore, loadAverageAfter: loadavg()[0]!, cpus: availableParallelism() };
  return report.cases.map((measurement) =>
    evaluate(measurement, report.backend, report.tfjsVersion, report.nodeVersion, machine),
  );
}

function evaluate(
  measurement: ProbeCaseMeasurement,
  backend: string,
  tfjsVersion: string,
  nodeVersion: string,
  machine: Machine,
): ProbeBenchmarkResult {
  const { timings, steps } = measurement;
  const wall = (timing: PathTiming) => timing.medianSeconds;
  const probeSeconds = wall(timings.probeFull);
  const ratio = probeSeconds / wall(timings.fit);
  const ratioCpu = timings.probeFull.medianCpuSeconds / timings.fit.medianCpuSeconds;
  const isBoston = measurement.case === BOSTON_CASE;
  const budgeted = backend === BUDGET_BACKEND;
  const failures: string[] = [];
  if (budgeted && ratio > MAX_PROBE_TO_FIT_RATIO) {
    failures.push(
      `the probe takes ${ratio.toFixed(2)}× the time of model.fit (budget ${MAX_PROBE_TO_FIT_RATIO}×; ${ratioCpu.toFixed(2)}× in CPU time)`,
    );
  }
  if (budgeted && isBoston && probeSeconds >= MAX_BOSTON_PROBE_SECONDS)
    failures.push(
      `the ${steps}-step Boston probe takes ${probeSeconds.toFixed(2)} s (budget < ${MAX_BOSTON_PROBE_SECONDS} s)`,
    );
  if (measurement.leakedTensors !== 0) failures.push(`${measurement.leakedTensors} tensors leaked`);
  for (const [path, loss] of Object.entries(measurement.meanLoss))
    if (!Number.isFinite(loss)) failures.push(`${path} trained to a non-finite loss (${loss})`);
  const spread = (timing: PathTiming) =>
    (100 * (Math.max(...timing.seconds) - Math.min(...timing.seconds))) / timing.medianSeconds;
  return {
    name: nameOf(measurement.case, backend),
    case: measurement.case,
    backend,
    status: 'measured',
    description: measurement.description,
    steps,
    batchSize: measurement.batchSize,
    stepsPerSecond: {
      fit: timings.fit.stepsPerSecond,
      bareLoop: timings.bareLoop.stepsPerSecond,
      probeNoEval: timings.probeNoEval.stepsPerSecond,
      probeFull: timings.probeFull.stepsPerSecond,
    },
    probeToFitRatio: ratio,
    probeToFitRatioCpu: ratioCpu,
    maxSpreadPercent: Math.max(...Object.values(timings).map(spread)),
    costs: costsOf(measurement, wall),
    costsCpu: costsOf(measurement, (timing) => timing.medianCpuSeconds),
    ...(isBoston
      ? {
          bostonProbeSeconds: {
            warm: probeSeconds,
            ...(measurement.coldProbeSeconds === undefined ? {} : { cold: measurement.coldProbeSeconds }),
          },
        }
      : {}),
    budget: budgeted
      ? {
          maxProbeToFitRatio: MAX_PROBE_TO_FIT_RATIO,
          ...(isBoston ? { maxBostonProbeSeconds: MAX_BOSTON_PROBE_SECONDS } : {}),
        }
      : {},
    machine,
    tfjsVersion,
    nodeVersion,
    date: new Date().toISOString(),
    measurement,
    failures,
  };
}

/** The decomposition of the module comment, from the medians that `secondsOf` picks (wall or CPU). */
function costsOf(
  { timings, steps, evaluations }: ProbeCaseMeasurement,
  secondsOf: (timing: PathTiming) => number,
): Costs {
  const [fit, bareLoop, probeNoEval, probeFull] = [
    timings.fit,
    timings.bareLoop,
    timings.probeNoEval,
    timings.probeFull,
  ].map(secondsOf) as [number, number, number, number];
  const cost = (totalSeconds: number): Cost => ({
    msPerStep: (totalSeconds * 1000) / steps,
    percentOfFit: (100 * totalSeconds) / fit,
  });
  const evaluationSeconds = (probeFull - probeNoEval) / (evaluations.probeFull - evaluations.probeNoEval);
  return {
    bareLoopVsFit: cost(bareLoop - fit),
    perStepSignals: cost(probeNoEval - bareLoop - evaluations.probeNoEval * evaluationSeconds),
    evalAndActivations: {
      ...cost(evaluations.probeFull * evaluationSeconds),
      msPerEvaluation: evaluationSeconds * 1000,
      evaluations: evaluations.probeFull,
    },
  };
}

/** Runs the worker for one backend; its progress (stderr) is passed through, its report parsed from stdout. */
function runProbeWorker(choice: ProbeBackendChoice, cases: readonly ProbeCaseName[]): Promise<WorkerReport> {
  const command = [process.execPath, '--expose-gc', '--import', 'tsx', WORKER, choice, ...cases];
  return runWorker<WorkerReport>(command, RESULT_MARKER, `the ${backendNameOf(choice)} worker`);
}

function formatProbeTable(results: readonly ProbeBenchmarkResult[]): string {
  const header = [
    'model',
    'backend',
    'steps',
    'fit steps/s',
    'bare loop steps/s',
    'probe steps/s',
    'probe/fit (cpu time)',
    'signals ms/step',
    'eval+act ms/step',
    'Boston 300-step s',
    'status',
  ];
  const rows: string[][] = [];
  const notes: string[] = [];
  for (const result of results) {
    if (result.status !== 'measured') {
      const why = result.status === 'unavailable' ? `not available: ${result.reason}` : `error: ${result.error}`;
      if (!notes.some((note) => note.startsWith(`${result.backend}:`))) notes.push(`${result.backend}: ${why}`);
      rows.push([
        result.case,
        result.backend,
        ...header.slice(2, -1).map(() => ''),
        result.status === 'error' ? 'FAIL' : 'n/a',
      ]);
      continue;
    }
    const { stepsPerSecond: rate, costs } = result;
    const costCell = (cost: { msPerStep: number; percentOfFit: number }) =>
      `${cost.msPerStep.toFixed(2)} (${signed(cost.percentOfFit)}%)`;
    const ratioFails =
      result.budget.maxProbeToFitRatio !== undefined && result.probeToFitRatio > result.budget.maxProbeToFitRatio;
    const boston = result.bostonProbeSeconds;
    const bostonFails =
      boston !== undefined &&
      result.budget.maxBostonProbeSeconds !== undefined &&
      boston.warm >= result.budget.maxBostonProbeSeconds;
    rows.push([
      result.case,
      result.backend,
      String(result.steps),
      perSecond(rate.fit),
      perSecond(rate.bareLoop),
      perSecond(rate.probeFull),
      `${result.probeToFitRatio.toFixed(2)} (cpu ${result.probeToFitRatioCpu.toFixed(2)})${result.budget.maxProbeToFitRatio === undefined ? '' : ` / ${result.budget.maxProbeToFitRatio}`}${ratioFails ? ' FAIL' : ''}`,
      costCell(costs.perStepSignals),
      costCell(costs.evalAndActivations),
      boston === undefined
        ? ''
        : `${boston.warm.toFixed(2)}${boston.cold === undefined ? '' : ` (cold ${boston.cold.toFixed(2)})`}${result.budget.maxBostonProbeSeconds === undefined ? '' : ` / ${result.budget.maxBostonProbeSeconds}`}${bostonFails ? ' FAIL' : ''}`,
      result.failures.length === 0 ? 'ok' : 'FAIL',
    ]);
  }
  const legend: string[] = [
    'batch 32, adam 1e-3; each timing is the median of 3 runs from layer specs to a trained model; wall time, and for',
    '  probe/fit also CPU time (equal on an idle machine for single-threaded wasm/cpu, barely moved by other load).',
    'every path trains the same model (buildModel, as written) from the same initial weights on the same batches.',
    'bare loop: variableGrads + applyGradients + loss read, the probe minus instrumentation. probe: runProbe with evalEvery 10.',
    'signals: per-step gradient/weight read-backs, norms and update ratios (probe without evaluations − bare loop);',
    "eval+act: validation loss/metric and activation statistics every 10 steps; both in ms/step (% of model.fit's time).",
    `budgets on ${BUDGET_BACKEND} (the default backend without tfjs-node): probe/fit ≤ ${MAX_PROBE_TO_FIT_RATIO}, Boston 300-step probe < ${MAX_BOSTON_PROBE_SECONDS} s.`,
  ];
  const measured = results.flatMap((result) => (result.status === 'measured' ? [result] : []));
  if (measured.length > 0) {
    const spread = Math.max(...measured.map((result) => result.maxSpreadPercent));
    const loads = measured.flatMap((result) => [result.machine.loadAverageBefore, result.machine.loadAverageAfter]);
    legend.push(
      `run-to-run spread of a path's 3 runs, (max − min)/median: up to ${spread.toFixed(0)}%, with a 1-min load average of ` +
        `${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} on ${measured[0]!.machine.cpus} CPUs; smaller differences are noise.`,
    );
  }
  return [formatTable(header, rows), ...legend, ...notes].join('\n');
}

function perSecond(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toPrecision(3);
}

function signed(value: number): string {
  return `${value >= 0 ? '+' : ''}${value.toFixed(0)}`;
}
