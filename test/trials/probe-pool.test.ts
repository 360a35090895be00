import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { selectBackend } from '../../src/probe/backend.js';
import { loadProbeSubject, type ProbeSubject } from '../../src/probe/index.js';
import type { JobResult, ProbeJob } from '../../src/trials/probe-jobs.js';
import { ProbePool } from '../../src/trials/probe-pool.js';
import { runJob } from '../../src/trials/run-job.js';

const CONFIG = 'examples/boston-standardized/convdoc.yaml';
let subject: ProbeSubject;
let jobs: ProbeJob[];

beforeAll(async () => {
  await selectBackend('wasm', []);
  subject = await loadProbeSubject(await loadConfig(CONFIG));
  const config = { ...subject.loaded.config, probe: { ...subject.loaded.config.probe, steps: 20 } };
  jobs = [1, 2, 3].map((seed) => ({ kind: 'probe', label: `seed ${seed}`, cost: 1, config, seed }));
});

/** A result without its wall time, the one thing that differs from run to run. */
const timeless = (result: JobResult) => (result.kind === 'probe' ? { ...result.trace, seconds: 0 } : result);

describe('the probe pool', () => {
  const pools: ProbePool[] = [];
  const startedPool = async () => {
    const pool = new ProbePool(CONFIG, 'wasm', 1);
    pools.push(pool);
    await pool.started();
    return pool;
  };
  afterAll(() => pools.forEach((pool) => pool.close()));

  it('spreads jobs over a worker and this process, and returns what one process computes, in order', async () => {
    const pool = await startedPool();
    const here: string[] = [];
    const results = await pool
      .executor('wasm', (job) => (here.push(job.label), runJob(subject, 'wasm', job)))
      .run(jobs);
    expect(pool.jobsDone()[0]).toBeGreaterThan(0);
    expect(here.length).toBeGreaterThan(0);
    expect(results.map(timeless)).toEqual(jobs.map((job) => timeless(runJob(subject, 'wasm', job))));
  }, 60_000);

  it('runs the job of a worker that died in this process', async () => {
    const pool = await startedPool();
    const running = pool.executor('wasm', (job) => runJob(subject, 'wasm', job)).run(jobs.slice(0, 1));
    // The one job went to the ready worker; it dies holding it (killed, as by the OOM killer).
    pool['workers'][0]!.process.kill('SIGKILL');
    const [result] = await running;
    expect(timeless(result!)).toEqual(timeless(runJob(subject, 'wasm', jobs[0]!)));
    expect(pool.jobsDone()).toEqual([0]);
  }, 60_000);

  it('runs nothing more once closed: the jobs its workers held are dropped', async () => {
    const pool = await startedPool();
    const here: string[] = [];
    const running = pool
      .executor('wasm', (job) => (here.push(job.label), runJob(subject, 'wasm', job)))
      .run(jobs.slice(0, 1));
    pool.close();
    await expect(running).rejects.toThrow(/closed/);
    expect(here).toEqual([]);
  }, 60_000);

  it('fails the batch with the error of a job that failed in a worker', async () => {
    const pool = await startedPool();
    // The worker selected wasm; a parent on another backend would get other traces: refused.
    await expect(pool.executor('cpu', () => ({}) as JobResult).run(jobs.slice(0, 1))).rejects.toThrow(
      /worker backend wasm differs from the parent's cpu/,
    );
  }, 60_000);

  it('starts the workers held back only when asked, then spreads jobs over them', async () => {
    const pool = new ProbePool(CONFIG, 'wasm', 0, 1);
    pools.push(pool);
    expect(pool.jobsDone()).toEqual([]);
    pool.startLate();
    await pool.started();
    await pool.executor('wasm', (job) => runJob(subject, 'wasm', job)).run(jobs);
    expect(pool.jobsDone()[0]).toBeGreaterThan(0);
  }, 60_000);

  it('runs everything here when no worker could start', async () => {
    const pool = new ProbePool('no-such-config.yaml', 'wasm', 1);
    pools.push(pool);
    await pool.started();
    const results = await pool.executor('wasm', (job) => runJob(subject, 'wasm', job)).run(jobs.slice(0, 2));
    expect(results).toHaveLength(2);
    expect(pool.jobsDone()).toEqual([0]);
  }, 60_000);
});

describe('a probe job', () => {
  it('runs every step it plans, whatever probe.maxSeconds says: its steps were fixed from the baseline', () => {
    const job = jobs[0]! as Extract<ProbeJob, { kind: 'probe' }>;
    const hurried = { ...job, config: { ...job.config, probe: { ...job.config.probe, maxSeconds: 1e-6 } } };
    const result = runJob(subject, 'wasm', hurried);
    expect(result).toMatchObject({ kind: 'probe', trace: { stoppedEarly: null, stepsRun: 20 } });
  });
});
