/**
 * The parts every training-dynamics detector test shares: rows of real example traces, the
 * "must not trigger" block, and the checks every finding gets (each test adds its own on top).
 */
import { describe, expect, it } from 'vitest';
import type { ProbeTrace } from '../../src/trace/trace.js';
import type { DynamicsInput } from '../../src/symptoms/dynamics-input.js';
import type { Detector, Finding } from '../../src/symptoms/finding.js';
import type { FixId, Severity, SymptomId } from '../../src/symptoms/ids.js';
import { FIXTURE_TRACES, fixtureTrace, type FixtureTrace } from './trace-builder.js';

/** A table row: a named trace (the detector's verdict on it is the rest of the row, if any). */
export interface TraceRow {
  name: string;
  trace: ProbeTrace;
}

/** One row per stored example trace, named `<example><note>`. */
export function realTraceRows(names: readonly FixtureTrace[], note = ' (real trace)'): TraceRow[] {
  return names.map((name) => ({ name: `${name}${note}`, trace: fixtureTrace(name) }));
}

/** The `must not trigger` block: the detector finds nothing in any of the rows. */
export function describeMustNotTrigger(detector: Detector<DynamicsInput>, rows: readonly TraceRow[]): void {
  describe('must not trigger', () => {
    it.each(rows)('$name', ({ trace }) => {
      expect(detector.detect({ trace })).toEqual([]);
    });
  });
}

/** Every stored example trace has a row: `<example> (real trace)` or `<example>: …`. */
export function itCoversEveryFixtureTrace(rows: readonly { name: string }[]): void {
  it('covers every stored example trace', () => {
    expect(rows.filter((row) => / \(real trace\)|^[a-z-]+:/.test(row.name))).toHaveLength(FIXTURE_TRACES.length);
  });
}

export interface ExpectedFinding {
  symptom: SymptomId;
  severity: Severity;
  /** The layer it names; undefined for a finding about the whole run. */
  layer: string | undefined;
  step: number;
  threshold: number;
  /** Text the message must contain. */
  mentions?: readonly string[];
  fixes: readonly FixId[];
  /** The least and the most confidence allowed. */
  confidence: readonly [number, number];
}

/** What, how bad, where, when, against which limit, the message's text, the fixes and how sure. */
export function expectFinding(finding: Finding, expected: ExpectedFinding): void {
  expect(finding.symptom).toBe(expected.symptom);
  expect(finding.severity).toBe(expected.severity);
  expect(finding.layer).toBe(expected.layer);
  expect(finding.step).toBe(expected.step);
  expect(finding.evidence.threshold).toBe(expected.threshold);
  for (const text of expected.mentions ?? []) expect(finding.message).toContain(text);
  expect(finding.fixes).toEqual(expected.fixes);
  expect(finding.confidence).toBeGreaterThanOrEqual(expected.confidence[0]);
  expect(finding.confidence).toBeLessThanOrEqual(expected.confidence[1]);
}
