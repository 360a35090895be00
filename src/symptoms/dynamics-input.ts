/**
 * What the training-dynamics detectors judge: a probe trace (or a trace read from another
 * framework's logs). Plain numbers only; see src/trace/trace.ts for what each series means.
 */
import type { ProbeTrace } from '../trace/trace.js';

/**
 * `probe`: convdoc's short probe of the run's first steps, where a symptom may still be noise that
 * a longer run averages out. `log`: the whole training run as its logs recorded it (convdoc analyze).
 */
export type TraceOrigin = 'probe' | 'log';

export interface DynamicsInput {
  trace: ProbeTrace;
  /** Default `probe`. */
  origin?: TraceOrigin;
  /** What a step of the trace counts: a log written once per epoch says `epoch` (default `step`). */
  stepUnit?: 'step' | 'epoch';
  /**
   * What one training loss of the trace stands for (default: the stepUnit): `epoch` when a log on a
   * step axis holds each epoch's mean (Lightning's `train_loss_epoch`), so that its losses count epochs.
   */
  lossUnit?: 'step' | 'epoch';
  /**
   * Which curve the trace's loss is (default `training`): `validation` for a log that holds only a
   * validation loss (log-trace.ts), whose loss series is that validation loss.
   */
  lossCurve?: 'training' | 'validation';
}
