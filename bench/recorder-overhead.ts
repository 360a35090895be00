/**
 * The cost of convdoc_torch (issue 13): CPU seconds of PyTorch training loops with and without the
 * recorder at every=10, measured by bench/recorder-overhead.py (one thread, process CPU time, plain
 * and recorded runs alternating, the fastest of seven each), and directly: CPU time inside the
 * recorder's calls and hooks. Acceptance: the direct cost at most 5% on the CPU MLP and the small CNN
 * (the end-to-end difference swings by +-10% on a shared machine).
 * The five scenario loops are listed too; their steps take well under a millisecond, so the fixed
 * cost of a recorded step weighs far more there than in any loop worth recording.
 */
import type { BenchmarkGroup, GroupEntry } from './benchmark.js';
import { runWorker } from './run-worker.js';
import { formatTable } from './table.js';

const PYTHON = '/usr/bin/python3';
const MARKER = 'RECORDER_OVERHEAD ';
const MAX_OVERHEAD = 0.05;
const NAMES = [
  'recorder-mlp-784-512-256-10',
  'recorder-cnn-2conv-28x28',
  'recorder-scenario-deep-sigmoid',
  'recorder-scenario-exploding-rnn',
  'recorder-scenario-lr-too-high',
  'recorder-scenario-lr-too-low',
  'recorder-scenario-healthy',
] as const;

interface Measured {
  steps: number;
  every: number;
  plainSeconds: number;
  recordedSeconds: number;
  /** Recorded over plain loop time, end to end: noisy on a shared machine. */
  overhead: number;
  /** CPU time inside the recorder's calls and hooks over the rest of the loop: what MAX_OVERHEAD holds. */
  directOverhead: number;
  /** Held to MAX_OVERHEAD. */
  acceptance: boolean;
}

export interface RecorderOverheadResult extends GroupEntry, Measured {
  torch: string;
}

export function recorderOverheadGroup(): BenchmarkGroup<RecorderOverheadResult> {
  return {
    key: 'recorder',
    names: NAMES,
    async run(names) {
      const report = await runWorker<{ torch: string; results: Record<string, Measured> }>(
        [PYTHON, 'bench/recorder-overhead.py'],
        MARKER,
        'the recorder overhead script (needs apt-get install -y python3-torch)',
      );
      const results = Object.entries(report.results)
        .filter(([name]) => names.includes(name))
        .map(([name, measured]) => ({
          name,
          torch: report.torch,
          ...measured,
          failures:
            measured.acceptance && measured.directOverhead > MAX_OVERHEAD
              ? [`recorder overhead ${percent(measured.directOverhead)} exceeds ${percent(MAX_OVERHEAD)}`]
              : [],
        }));
      return { results, errors: [] };
    },
    format: (results) =>
      formatTable(
        ['benchmark', 'steps', 'every', 'plain CPU s', 'recorded CPU s', 'end to end', 'in recorder', 'status'],
        results.map((result) => [
          result.name,
          String(result.steps),
          String(result.every),
          result.plainSeconds.toFixed(3),
          result.recordedSeconds.toFixed(3),
          percent(result.overhead),
          percent(result.directOverhead),
          result.acceptance ? (result.failures.length === 0 ? 'ok' : 'FAIL') : 'info',
        ]),
      ),
  };
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}
