/**
 * Worker processes for the probe runs of --apply-fix: each loads its own tfjs, the config's data
 * and model, and the same backend, so a job gives the same trace wherever it runs. They start when
 * the command starts (tfjs takes a few hundred milliseconds to load), while this process loads
 * and probes the baseline; this process runs jobs too, so one core per worker plus this one.
 *
 * Imports no tfjs: the CLI starts the pool before it loads the commands that train.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ConvdocError } from '../errors.js';
import type { BackendChoice } from './backend-choices.js';
import type { ToParent, ToWorker } from './pool-messages.js';
import { estimatedCost, type JobProgress, type JobResult, type ProbeExecutor, type ProbeJob, type RunHere } from './probe-jobs.js';

/** Characters of a worker's stderr kept for the message when it dies. */
const STDERR_TAIL = 2000;

interface Pending {
  resolve: (result: JobResult) => void;
  reject: (error: Error) => void;
}

class Worker {
  ready = false;
  readonly pending = new Map<number, Pending>();
  private stderr = '';

  constructor(readonly process: ChildProcess) {
    process.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-STDERR_TAIL);
    });
    process.on('message', (message: ToParent) => this.receive(message));
    process.on('exit', (code, signal) => this.fail(new Error(`a probe worker process ended (${signal ?? `exit code ${code}`}). ${this.stderr.trim()}`)));
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
      if (message.type === 'result') pending?.resolve(message.result);
      else pending?.reject(message.userError ? new ConvdocError(message.message) : new Error(message.message));
    }
  }

  private fail(error: Error): void {
    this.ready = false;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}

export class ProbePool {
  private readonly workers: Worker[];
  private nextId = 0;

  /** Starts `size` workers for the config; none when size is 0 (then every job runs in this process). */
  constructor(configFile: string, backend: BackendChoice, size: number) {
    const entry = new URL(`./probe-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);
    this.workers = Array.from({ length: size }, () => {
      const child = fork(fileURLToPath(entry), [], {
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
        // NaN and Infinity in traces survive structured clone; JSON would turn them into null.
        serialization: 'advanced',
        // From the TypeScript sources (tests), the worker runs through tsx like its parent.
        execArgv: entry.pathname.endsWith('.ts') ? ['--import', 'tsx'] : [],
      });
      const worker = new Worker(child);
      worker.send({ type: 'init', configFile, backend });
      return worker;
    });
  }

  /**
   * An executor that spreads jobs over the ready workers and this process, longest first (the
   * greedy rule that keeps the last job short), returning results in the jobs' order. A worker
   * holds one job at a time: a second could wait behind a long one while another core is free.
   * `runHere` runs a job in this process and blocks, so idle workers are served before it.
   */
  executor(backend: string, runHere: RunHere, progress?: JobProgress): ProbeExecutor {
    return {
      run: async (jobs) => {
        progress?.queued(jobs.length);
        const results: Promise<JobResult>[] = new Array(jobs.length);
        const queue = jobs.map((_, index) => index).sort((a, b) => estimatedCost(jobs[b]!) - estimatedCost(jobs[a]!));
        while (queue.length > 0) {
          for (const worker of this.workers) {
            if (worker.ready && worker.pending.size === 0 && queue.length > 0) {
              const index = queue.shift()!;
              results[index] = this.dispatch(worker, jobs[index]!, backend, progress);
            }
          }
          const index = queue.shift();
          if (index === undefined) break;
          const job = jobs[index]!;
          results[index] = Promise.resolve(runHere(job, progress && ((step, steps, loss) => progress.step(job, step, steps, loss))));
          progress?.finished(job);
          // Lets the workers' replies in, so that the next round hands out their next jobs.
          await new Promise((resolve) => setImmediate(resolve));
        }
        return Promise.all(results);
      },
    };
  }

  /** Stops the workers; they hold no state worth keeping. */
  close(): void {
    for (const worker of this.workers) worker.process.kill();
  }

  private dispatch(worker: Worker, job: ProbeJob, backend: string, progress?: JobProgress): Promise<JobResult> {
    const id = this.nextId++;
    const result = new Promise<JobResult>((resolve, reject) => {
      const done = (value: JobResult) => {
        progress?.finished(job);
        resolve(value);
      };
      worker.pending.set(id, { resolve: done, reject });
      worker.send({ type: 'job', id, job, backend });
    });
    // Awaited by the caller, unless a job in this process failed first: then this failure is moot.
    result.catch(() => undefined);
    return result;
  }
}
