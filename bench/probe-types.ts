/**
 * What a probe-speed worker (probe-worker.ts, one child process per backend) sends back to the
 * parent (probe.ts) as one JSON line on stdout. No tfjs here: the parent never loads a backend.
 */

/** The timed paths, in the order they run within each repetition. */
export const PROBE_PATHS = ['fit', 'bareLoop', 'probeNoEval', 'probeFull'] as const;
export type ProbePath = (typeof PROBE_PATHS)[number];

/** The backends benchmarked, by the `--backend` choice that selects each and the tfjs name it gets. */
export const PROBE_BACKENDS = [
  { choice: 'wasm', name: 'wasm' },
  { choice: 'cpu', name: 'cpu' },
  { choice: 'node', name: 'tensorflow' },
] as const;
export type ProbeBackendChoice = (typeof PROBE_BACKENDS)[number]['choice'];

/** The models, in the order a worker runs them (Boston first: its first run is in a cold process). */
export const PROBE_CASE_NAMES = ['boston-mlp', 'mnist-mlp', 'cnn'] as const;
export type ProbeCaseName = (typeof PROBE_CASE_NAMES)[number];

/** Marks the result line on the worker's stdout, so that a stray log line cannot be mistaken for it. */
export const RESULT_MARKER = 'PROBE_BENCH_RESULT ';

export interface PathTiming {
  /** Wall seconds of each repetition, in run order. */
  seconds: number[];
  /** Median of `seconds`: the number every derived figure uses. */
  medianSeconds: number;
  stepsPerSecond: number;
  /**
   * CPU seconds of the worker process over each run (user + system, all its threads). On the
   * single-threaded wasm and cpu backends this equals the wall time on an idle machine, and it
   * hardly moves when other processes compete for the CPUs; not comparable for multi-threaded tensorflow.
   */
  cpuSeconds: number[];
  medianCpuSeconds: number;
}

export interface ProbeCaseMeasurement {
  case: ProbeCaseName;
  /** e.g. "MLP 13→64→64→1 on Boston (404 training rows)". */
  description: string;
  steps: number;
  batchSize: number;
  evalEvery: number;
  trainRows: number;
  validationRows: number;
  trainableParams: number;
  timings: Record<ProbePath, PathTiming>;
  /** Evaluations (validation pass + activation statistics) each probe variant ran: step 0, every evalEvery, and the end. */
  evaluations: { probeNoEval: number; probeFull: number };
  /** The first model of a worker only: wall seconds of its first full probe, in a cold process (as `convdoc probe` runs). */
  coldProbeSeconds?: number;
  /** The probe's own `trace.seconds` (training loop only, without model building), median over the repetitions. */
  traceSeconds: number;
  /** Seconds to load the dataset (CSV scan for Boston, generation for the synthetic sets); not in any timing. */
  datasetSeconds: number;
  /**
   * Mean training loss over the steps of the last repetition (model.fit's epoch loss), to show that
   * the paths train alike: same initial weights, batches, optimizer; fit uses tfjs' built-in loss.
   */
  meanLoss: Record<'fit' | 'bareLoop' | 'probeFull', number>;
  /** tfjs tensors left behind after all runs of this case (should be 0). */
  leakedTensors: number;
}

export type WorkerReport =
  | {
      available: true;
      backend: string;
      reason: string;
      tfjsVersion: string;
      nodeVersion: string;
      cases: ProbeCaseMeasurement[];
    }
  | { available: false; choice: ProbeBackendChoice; reason: string };
