/**
 * A worker process of the probe pool (probe-pool.ts): loads the config, its data and model once,
 * selects the same backend as the parent, then runs the jobs it is sent, one at a time. It writes
 * nothing to stdout; its parent reports any failure.
 */
import { loadConfig } from '../config/load.js';
import { ConvdocError } from '../errors.js';
import { selectBackend } from '../probe/backend.js';
import { loadProbeSubject, type ProbeSubject } from '../probe/index.js';
import type { ToParent, ToWorker } from './pool-messages.js';
import { runJob } from './run-job.js';

// The parent is gone (it finished or was killed): nothing is left to do.
process.on('disconnect', () => process.exit(0));

let subject: ProbeSubject | undefined;
let backend: string | undefined;

const send = (message: ToParent) => process.send!(message);

process.on('message', (message: ToWorker) => {
  if (message.type === 'init') void init(message);
  else runOne(message);
});

async function init({ configFile, backend: choice }: Extract<ToWorker, { type: 'init' }>): Promise<void> {
  try {
    subject = await loadProbeSubject(await loadConfig(configFile));
    backend = (
      await selectBackend(
        choice,
        subject.model.layers.map((layer) => layer.type),
      )
    ).name;
    send({ type: 'ready', backend });
  } catch (error) {
    // The parent loads the same config and reports the problem itself; this worker just stays idle.
    send({ type: 'init-failed', message: error instanceof Error ? error.message : String(error) });
  }
}

function runOne({ id, job, backend: expected }: Extract<ToWorker, { type: 'job' }>): void {
  try {
    if (backend !== expected) throw new Error(`worker backend ${backend} differs from the parent's ${expected}`);
    send({ type: 'result', id, result: runJob(subject!, backend, job) });
  } catch (error) {
    send({
      type: 'failed',
      id,
      message: error instanceof Error ? error.message : String(error),
      userError: error instanceof ConvdocError,
    });
  }
}
