/**
 * The diagnostic engine: one pure function from what is known about a run (data statistics, the
 * config's shape, a training trace when there is one) to findings, over the detector registry.
 */
import type { ConfigLintInput } from './config-input.js';
import type { DataCheckInput } from './data-input.js';
import type { DynamicsInput, TraceOrigin } from './dynamics-input.js';
import type { Detector, Finding } from './finding.js';
import { SEVERITIES, type SymptomId } from './ids.js';
import { allDetectors, DETECTORS, type DetectorRegistry } from './registry.js';
import { shortProbeReason } from './short-probe.js';
import { HELD_OUT_SIGNALS, traceSignals, type Signal } from './signal-needs.js';
import { mechanismSeverity } from './mechanism-severity.js';
import { severityFromHarm } from './unscaled-severity.js';

export interface EngineInput {
  /** The dataset's statistics; absent when judging a log alone. */
  data?: DataCheckInput;
  config?: ConfigLintInput;
  trace?: DynamicsInput['trace'];
  /** Where the trace comes from (default `probe`). */
  origin?: TraceOrigin;
  stepUnit?: DynamicsInput['stepUnit'];
  lossUnit?: DynamicsInput['lossUnit'];
  lossCurve?: DynamicsInput['lossCurve'];
}

export interface NotEvaluated {
  symptom: SymptomId;
  /** The signals it needs that the input lacks (all it needs when the trace is too short, see `reason`). */
  needs: Signal[];
  /** Why it was not judged, when the input has its signals but they are no evidence (a probe cut short). */
  reason?: string;
}

/** The signals an engine input holds: the trace's series, and the data and config when given. */
export function availableSignals({ data, config, trace }: EngineInput): Set<Signal> {
  const signals = trace === undefined ? new Set<Signal>() : traceSignals(trace);
  if (data !== undefined) signals.add('data');
  if (config !== undefined) signals.add('config');
  return signals;
}

/**
 * Every detector that cannot run on these signals, with the signals it lacks, in allDetectors order.
 * A symptom that a detector judges on one held-out signal (HELD_OUT_SIGNALS: a log's validation
 * accuracy or score where another reads the validation loss) was evaluated: its variants that read
 * another form of the held-out data are not listed as lacking theirs.
 */
export function notEvaluated(available: ReadonlySet<Signal>, registry: DetectorRegistry = DETECTORS): NotEvaluated[] {
  const detectors = allDetectors(registry);
  const canRun = (detector: Detector<never>) => detector.needs.every((signal) => available.has(signal));
  const heldOut = new Set(
    detectors
      .filter((detector) => canRun(detector) && detector.needs.some((signal) => HELD_OUT_SIGNALS.has(signal)))
      .map((detector) => detector.id),
  );
  return detectors.flatMap((detector) => {
    if (heldOut.has(detector.id)) return [];
    const missing = detector.needs.filter((signal) => !available.has(signal));
    return missing.length === 0 ? [] : [{ symptom: detector.id, needs: missing }];
  });
}

/** The dynamics checks a trace cut short by its time budget does not allow, with the reason (short-probe.ts). */
export function notJudged(trace: EngineInput['trace'], registry: DetectorRegistry = DETECTORS): NotEvaluated[] {
  const reason = trace === undefined ? undefined : shortProbeReason(trace);
  if (reason === undefined) return [];
  return registry.dynamics.map((detector) => ({ symptom: detector.id, needs: [...detector.needs], reason }));
}

/** Runs every detector whose signals the input holds; the others are left out (see notEvaluated, notJudged). */
export function findSymptoms(input: EngineInput, registry: DetectorRegistry = DETECTORS): Finding[] {
  const available = availableSignals(input);
  const evaluated = <Input>(detectors: readonly Detector<Input>[]) =>
    detectors.filter((detector) => detector.needs.every((signal) => available.has(signal)));
  const {
    data,
    config,
    trace,
    origin = 'probe',
    stepUnit = 'step',
    lossUnit = stepUnit,
    lossCurve = 'training',
  } = input;
  const judged = trace !== undefined && shortProbeReason(trace) === undefined;
  const findings = [
    ...(data === undefined ? [] : evaluated(registry.data).flatMap((detector) => detector.detect(data))),
    ...(config === undefined ? [] : evaluated(registry.config).flatMap((detector) => detector.detect(config))),
    ...(judged
      ? onePerPlace(
          evaluated(registry.dynamics).flatMap((detector) =>
            detector.detect({ trace, origin, stepUnit, lossUnit, lossCurve }),
          ),
        )
      : []),
  ];
  // A judged trace is evidence of whether the units' state (mechanism-severity.ts) and then badly
  // scaled data (unscaled-severity.ts) hurt this run: a mechanism the loss shows harmless is no
  // harm that keeps the data's finding critical either.
  return judged ? severityFromHarm(mechanismSeverity(findings, trace), trace) : findings;
}

/**
 * Several detectors share a symptom (plateau from a stall at chance, a frozen run, a log that never
 * learned): where two see it in the same place, the report names it once, by the most severe and
 * then most confident of them, instead of twice in different words.
 */
function onePerPlace(findings: readonly Finding[]): Finding[] {
  const place = (finding: Finding) => `${finding.symptom}\u0000${finding.layer ?? ''}`;
  const rank = (finding: Finding) => SEVERITIES.indexOf(finding.severity) * 2 - finding.confidence;
  const best = new Map<string, Finding>();
  for (const finding of findings) {
    const kept = best.get(place(finding));
    if (kept === undefined || rank(finding) < rank(kept)) best.set(place(finding), finding);
  }
  return findings.filter((finding) => best.get(place(finding)) === finding);
}
