/**
 * A fix is a pure function from a config to a config: the change docs/ids.md describes, applied to
 * this run. It also lists each change with the reason, for `convdoc fix` (a comment on each
 * changed key) and for reports.
 */
import type { Config } from '../config/schema.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { ModelGraph } from '../model/model-graph.js';
import type { ProbeTrace } from '../trace/trace.js';
import type { Finding } from '../symptoms/finding.js';
import type { ScheduleRecommendation } from './lr-schedule.js';
import type { FixId } from '../symptoms/ids.js';
import type { FixCodeWriters } from './code/code-context.js';

/** What a fix may take into account besides the config. */
export interface FixContext {
  /** The model's layers: config.model.layers, or the layers read from model.file. */
  layers: readonly LayerSpec[];
  /** The model as a graph of those layers, when model.file's model is not one chain: layer fixes edit it. */
  graph?: ModelGraph;
  /**
   * The diagnosis' findings, to tailor the fix (LeakyReLU where units died, target scaling when
   * unscaled-target fired).
   */
  findings: readonly Finding[];
  /** The baseline probe, e.g. for the gradient norms that justify a clip value. */
  trace?: ProbeTrace;
  /** The LR range test, when one ran: the rate it suggests and the schedule to decay from it. */
  learningRateTest?: { suggested: number; schedule: ScheduleRecommendation };
  /** The planned run's optimizer steps (epochs × steps per epoch, or training.steps), for schedules over the run. */
  plannedSteps?: number;
}

export interface FixResult {
  /** The fixed config. When the fix changes layers, `model.layers` holds them (and `model.file` is gone). */
  config: Config;
  changes: ConfigChange[];
  /** The edited graph, when the fix changed a graph model (the config then names the file it is written to). */
  graph?: ModelGraph;
}

export interface FixTransform {
  apply(config: Config, context: FixContext): FixResult;
}

/** A config key as a path (`['training', 'clipNorm']`). */
type ConfigKey = readonly string[];

/** One fix's whole contract: the registry (registry.ts) lists one per fix, in priority order. */
export interface FixDefinition {
  id: FixId;
  /** What it changes, in the words reports use when they cannot say what it would change in this config. */
  summary: string;
  /**
   * The config keys it changes: each change is at one of them, inside one, or at the section that holds
   * one (a layer list written from a model file). The first is where an annotation points when the fix
   * would change nothing in this config.
   */
  keys: readonly [ConfigKey, ...ConfigKey[]];
  /** What must be measured before it is applied as meant: the LR range test that sets lr-schedule's rate. */
  measureFirst: 'lr-range-test' | 'nothing';
  /** The config transform; `none` for a fix that is no config change (`search` runs its own trials). */
  transform: FixTransform | 'none';
  /** The fix as the change to a PyTorch, Keras or TensorFlow.js training script. */
  code: FixCodeWriters;
}
