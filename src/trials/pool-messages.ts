/** What the probe pool and its worker processes say to each other (structured clone over IPC). */
import type { BackendChoice } from '../probe/backend-choices.js';
import type { JobResult, ProbeJob } from './probe-jobs.js';

export type ToWorker =
  | { type: 'init'; configFile: string; backend: BackendChoice }
  /** `backend`: the parent's selection, which the worker's must equal for the traces to be the same. */
  | { type: 'job'; id: number; job: ProbeJob; backend: string };

export type ToParent =
  | { type: 'ready'; backend: string }
  | { type: 'init-failed'; message: string }
  | { type: 'result'; id: number; result: JobResult }
  | { type: 'failed'; id: number; message: string; userError: boolean };
