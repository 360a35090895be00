/**
 * The one place a fix context is built, for the report's change lines (diagnose), the written
 * config (fix) and the trials (--apply-fix), so the three size a fix from the same facts.
 */
import type { Config } from '../config/schema.js';
import type { FixContext } from '../fixes/transform.js';
import type { ProbeSubject } from '../probe/index.js';
import type { Finding } from '../symptoms/finding.js';
import type { ProbeTrace } from '../trace/trace.js';
import { runPlan } from '../probe/run-plan.js';
import type { LrTest } from './lr-test.js';

/** `config` is the one the baseline ran: its plan sets the steps a schedule spans. */
export function fixContext(
  { model, dataset }: ProbeSubject,
  config: Config,
  findings: readonly Finding[],
  trace: ProbeTrace,
): FixContext {
  return {
    layers: model.layers,
    ...(model.graph === undefined ? {} : { graph: model.graph }),
    findings,
    trace,
    plannedSteps: runPlan(config, dataset.summary).steps,
  };
}

/** The context with an LR range test's rate and schedule, when the test suggested both. */
export function withLrTest(context: FixContext, { analysis, schedule }: LrTest): FixContext {
  return analysis.suggested === null || schedule === null
    ? context
    : { ...context, learningRateTest: { suggested: analysis.suggested, schedule } };
}
