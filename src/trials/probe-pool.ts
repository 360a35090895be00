/**
 * Worker processes for the probe runs of --apply-fix: each loads its own tfjs, the config's data
 * and model, and the same backend, so a job gives the same trace wherever it runs. They start when
 * the command starts (tfjs takes a few hundred milliseconds to load), while this process loads
 * and probes the baseline; this process runs jobs too, so one core per worker plus this one.
 * A worker that dies (killed, out of memory) is dropped and its job runs here: jobs are plain data.
 *
 * Imports no tfjs: the CLI starts the pool before it loads the commands that train.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConvdocError } from '../errors.js';
import type { BackendChoice } from '../probe/backend-choices.js';
import type { ToParent, ToWorker } from './pool-messages.js';
import {
  runTracked,
  type JobProgress,
  type JobResult,
  type ProbeExecutor,
  type ProbeJob,
  type RunHere,
} from './probe-jobs.js';

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

/** A worker process ended with jobs in hand: they run in this process instead. */
class WorkerGone extends Error {}

class Worker {
  /** Ready for jobs; false again once it failed to load or ended. */
  ready = false;
  /** Settled when the worker is ready, failed to load, or ended. */
  readonly started: Promise<void>;
  readonly pending = new Map<number, Pending>();
  /** Jobs this worker finished, for tests. */
  jobsDone = 0;
  /** Stopped on purpose: its jobs are dropped, not run elsewhere (the command is ending). */
  closed = false;

  constructor(readonly process: ChildProcess) {
    let settle = () => {};
    this.started = new Promise((resolve) => (settle = resolve));
    process.on('message', (message: ToParent) => {
      if (message.type === 'ready' || message.type === 'init-failed') settle();
      this.receive(message);
    });
    const gone = (reason: string) => {
      settle();
      this.fail(
        this.closed
          ? new Error('the probe pool was closed')
          : new WorkerGone(`a probe worker process ended (${reason})`),
      );
    };
    process.on('exit', (code, signal) => gone(signal ?? `exit code ${code}`));
    // Fork failures and sends to a process that just died arrive here, not as exceptions.
    process.on('error', (error) => gone(error.message));
  }

  send(message: ToWorker): void {
    this.process.send(message);
  }

  private receive(message: ToParent): void {
    if (message.type === 'ready') this.ready = true;
    else if (message.type === 'init-failed') this.ready = false;
    else {
      const pending = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'result') {
        this.jobsDone++;
        pending?.resolve(message.result);
      } else pending?.reject(message.userError ? new ConvdocError(message.message) : new Error(message.message));
    }
  }

  private fail(error: Error): void {
    this.ready = false;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

export class ProbePool {
  private readonly workers: Worker[] = [];
  private nextId = 0;

  /**
   * Starts `size` workers for the config now (none when 0: then every job runs in this process),
   * and holds `late` more back for startLate.
   */
  constructor(
    private readonly configFile: string,
    private readonly backend: BackendChoice,
    size: number,
    private late = 0,
  ) {
    this.spawn(size);
  }

  /**
   * Starts the workers held back: on a core that this process's baseline probe would share with
   * them, a worker's start-up (Node, tfjs and the data, 1-2 CPU s) pays only when the trials are
   * long, which the baseline's time shows (commands/diagnose.ts).
   */
  startLate(): void {
    this.spawn(this.late);
    this.late = 0;
  }

  private spawn(size: number): void {
    const { configFile, backend } = this;
    const entry = new URL(`./probe-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    for (let index = 0; index < size; index++) {
      const child = fork(fileURLToPath(entry), [], {
        // A worker writes nothing for the user: whatever it prints would only garble the output.
        stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
        // NaN and Infinity in traces survive structured clone; JSON would turn them into null.
        serialization: 'advanced',
        // From the TypeScript sources (tests), the worker runs through tsx like its parent.
        execArgv: entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      });
      const worker = new Worker(child);
      worker.send({ type: 'init', configFile, backend });
      this.workers.push(worker);
    }
  }

  /** Settles when every worker is ready or has failed: tests wait for it to be sure workers take jobs. */
  async started(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.started));
  }

  /** Jobs finished by each worker. */
  jobsDone(): number[] {
    return this.workers.map((worker) => worker.jobsDone);
  }

  /**
   * An executor that spreads jobs over the ready workers and this process, longest first (the
   * greedy rule that keeps the last job short), returning results in the jobs' order. A worker
   * holds one job at a time: a second could wait behind a long one while another core is free.
   * `runHere` runs a job in this process and blocks, so idle workers are served before it. The
   * first job that fails ends the batch: nothing more is started.
   */
  executor(backend: string, runHere: RunHere, progress?: JobProgress): ProbeExecutor {
    const here = (job: ProbeJob) => runTracked(runHere, job, progress);
    return {
      run: async (jobs) => {
        progress?.queued(jobs.length);
        let failure: Error | undefined;
        const results = new Array<Promise<JobResult>>(jobs.length);
        const queue = jobs.map((_, index) => index).sort((a, b) => jobs[b]!.cost - jobs[a]!.cost);
        while (queue.length > 0 && failure === undefined) {
          for (const worker of this.workers) {
            if (worker.ready && worker.pending.size === 0 && queue.length > 0) {
              const index = queue.shift()!;
              const job = jobs[index]!;
              results[index] = this.dispatch(worker, job, backend, progress).catch((error: Error) =>
                error instanceof WorkerGone ? here(job) : Promise.reject(error),
              );
              results[index].catch((error: Error) => (failure ??= error));
            }
          }
          const index = queue.shift();
          if (index === undefined) break;
          results[index] = Promise.resolve(here(jobs[index]!));
          // Lets the workers' replies in, so that the next round hands out their next jobs.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return Promise.all(results);
      },
    };
  }

  /** Stops the workers; they hold no state worth keeping. */
  close(): void {
    for (const worker of this.workers) {
      worker.closed = true;
      worker.process.kill();
    }
  }

  private dispatch(worker: Worker, job: ProbeJob, backend: string, progress?: JobProgress): Promise<JobResult> {
    const id = this.nextId++;
    return new Promise<JobResult>((resolve, reject) => {
      const done = (value: JobResult) => {
        progress?.finished(job);
        resolve(value);
      };
      worker.pending.set(id, { resolve: done, reject });
      worker.send({ type: 'job', id, job, backend });
    });
  }
}
