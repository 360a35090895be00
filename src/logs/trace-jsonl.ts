/**
 * A probe trace as a JSON Lines log that `convdoc analyze` reads back (diagnose --trace-out): one
 * line per step with `step`, `loss`, `lr`, `grad_norm`, `grad_norm/<variable>`,
 * `update_ratio/<variable>` and, on evaluation steps, `val_loss`. An evaluation after the last step gets a line of its own. JSON has no NaN or
 * Infinity, and null would lose which one it was (a NaN loss and an overflow read differently), so
 * non-finite numbers are written as the strings "nan", "inf" and "-inf".
 */
import type { ProbeTrace } from '../trace/trace.js';
import { GRAD_NORM_PREFIX, UPDATE_RATIO_PREFIX } from './jsonl-log.js';

type LogValue = number | 'nan' | 'inf' | '-inf';

/** A number as the log writes it. A JSON trace already holds null for a non-finite value: written as "nan". */
function logValue(value: number | null | undefined): LogValue {
  if (typeof value !== 'number' || Number.isNaN(value)) return 'nan';
  if (value === Number.POSITIVE_INFINITY) return 'inf';
  return value === Number.NEGATIVE_INFINITY ? '-inf' : value;
}

/** The per-step and per-evaluation series of a probe: a trace, or the report's copy of it. */
export type TraceSeries = Pick<
  ProbeTrace,
  'step' | 'loss' | 'learningRate' | 'globalGradNorm' | 'gradNorm' | 'updateRatio' | 'evalStep' | 'valLoss'
>;

export function traceToJsonl(trace: TraceSeries): string {
  // A probe without validation rows records NaN at every evaluation: no validation loss to log.
  const validated = trace.valLoss.some(Number.isFinite);
  const valLossAt = new Map(
    validated ? trace.evalStep.map((step, index) => [step, trace.valLoss[index]] as const) : [],
  );
  const lines = trace.step.map((step, index) => {
    const line: Record<string, LogValue> = { step, loss: logValue(trace.loss[index]) };
    if (index < trace.learningRate.length) line['lr'] = logValue(trace.learningRate[index]);
    if (index < trace.globalGradNorm.length) line['grad_norm'] = logValue(trace.globalGradNorm[index]);
    if (valLossAt.has(step)) line['val_loss'] = logValue(valLossAt.get(step));
    for (const [variable, norms] of Object.entries(trace.gradNorm))
      if (index < norms.length) line[`${GRAD_NORM_PREFIX}${variable}`] = logValue(norms[index]);
    // The step that ends in a NaN loss applies no update: its ratio is not written.
    for (const [variable, ratios] of Object.entries(trace.updateRatio))
      if (index < ratios.length) line[`${UPDATE_RATIO_PREFIX}${variable}`] = logValue(ratios[index]);
    return line;
  });
  const lastStep = trace.step.at(-1) ?? -1;
  for (const [step, valLoss] of valLossAt) if (step > lastStep) lines.push({ step, val_loss: logValue(valLoss) });
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
