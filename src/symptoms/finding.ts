/**
 * A finding is one symptom seen in one place, with the measurement that shows it. Detectors are
 * pure: statistics or traces in, findings out, so they can judge runs convdoc did not make.
 */
import type { FixId, Severity, SymptomId } from './ids.js';
import type { Signal } from './signal-needs.js';

export interface Evidence {
  /** The measured value that crossed the threshold. */
  measured: number;
  threshold: number;
  /** What was measured, in words. */
  what: string;
}

export interface Finding {
  symptom: SymptomId;
  severity: Severity;
  /** How sure the detector is that this symptom is real, in [0, 1]. */
  confidence: number;
  /** The layer, when the symptom is in one. */
  layer?: string;
  /** The output layer, when the symptom concerns one output of a model with several. */
  output?: string;
  /** The optimizer step at which it was seen, for training dynamics. */
  step?: number;
  /** The data columns involved, worst first, for data findings. */
  columns?: string[];
  evidence: Evidence;
  message: string;
  /** Fix ids that address it, best first; empty when no fix does (see `advice`). */
  fixes: FixId[];
  /** What to do when no fix applies (or in addition to it). */
  advice?: string;
  /**
   * For config bugs: the exact change, as a key path (`model.layers.2.activation`, `training.loss`)
   * and the value it has and should have. The report adds the file, line and column.
   */
  edit?: ConfigEdit;
}

export interface ConfigEdit {
  key: string;
  /** The value written today; null when the key is absent. */
  from: string | number | null;
  to: string | number;
  /** Where the key is (or, when absent, where it goes), added by the report for config keys. */
  file?: string;
  line?: number;
  column?: number;
}

export interface Detector<Input> {
  id: SymptomId;
  /** What the symptom means and why it stops training, shown in reports and docs. */
  description: string;
  /** The fixes it points to; empty when the cure lies outside the fixes. */
  fixes: readonly FixId[];
  /** For detectors without fixes: what cures the symptom instead, for reports and the meta-test. */
  remedy?: string;
  /** The evidence it judges; without every one of these it is not run (and reports say so). */
  needs: readonly Signal[];
  detect(input: Input): Finding[];
}

/**
 * A finding as a detector's `detect` writes it: defineDetector adds the symptom id and the
 * detector's fixes, unless the finding names its own (some of them, or another order).
 */
export type Detection = Omit<Finding, 'symptom' | 'fixes'> & { fixes?: FixId[] };

interface DetectorSpec<Input, Id extends SymptomId> extends Omit<Detector<Input>, 'id' | 'detect'> {
  id: Id;
  detect(input: Input): Detection[];
}

/** A detector with its whole contract in one object: its id and its fixes are written once, here. */
export function defineDetector<Input, const Id extends SymptomId>(
  spec: DetectorSpec<Input, Id>,
): Detector<Input> & { id: Id } {
  return { ...spec, detect: (input) => spec.detect(input).map((detection) => asFinding(spec, detection)) };
}

/**
 * The finding with the detector's id first and its fixes right after the message, where findings
 * without their own list have always had them: the JSON report keeps its key order.
 */
function asFinding({ id, fixes }: Pick<Detector<never>, 'id' | 'fixes'>, detection: Detection): Finding {
  const entries = Object.entries(detection).flatMap(([key, value]): [string, unknown][] =>
    key === 'message' && detection.fixes === undefined
      ? [
          [key, value],
          ['fixes', [...fixes]],
        ]
      : [[key, value]],
  );
  return { symptom: id, ...Object.fromEntries(entries) } as Finding;
}

/**
 * Confidence from how far a measurement is past its threshold: 0.6 just past it, rising by 0.15
 * per order of magnitude, capped at 0.99. Data checks measure exactly; what is uncertain is only
 * whether the excess matters for this run, which grows with the margin.
 */
export function confidenceFromMargin(measured: number, threshold: number): number {
  const orders = Math.log10(Math.abs(measured / threshold));
  const confidence = 0.6 + 0.15 * (Number.isFinite(orders) ? Math.max(0, orders) : 3);
  return Math.round(Math.min(0.99, confidence) * 100) / 100;
}
