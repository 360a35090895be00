/**
 * What the training-dynamics detectors judge: a probe trace (or a trace read from another
 * framework's logs). Plain numbers only; see src/probe/trace.ts for what each series means.
 */
import type { ProbeTrace } from '../probe/trace.js';

export interface DynamicsInput {
  trace: ProbeTrace;
}
