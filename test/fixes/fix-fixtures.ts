/**
 * Realistic inputs for the fix transforms: the examples' configs as the loader returns them, the
 * real probe traces of those examples with the findings the real detectors make of them, and
 * checks every fix result must pass.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import type { FixContext, FixResult, FixTransform } from '../../src/fixes/transform.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import type { ProbeTrace } from '../../src/trace/trace.js';
import { DETECTORS } from '../../src/symptoms/registry.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { fixtureTrace, type FixtureTrace } from '../symptoms/trace-builder.js';

export type Example = FixtureTrace;

/** examples/<name>/convdoc.yaml, parsed and validated as `convdoc` loads it. */
export function exampleConfig(name: Example): Config {
  const file = fileURLToPath(new URL(`../../examples/${name}/convdoc.yaml`, import.meta.url));
  return parseConfig(readFileSync(file, 'utf8'), file).config;
}

/** The example's real probe trace (fixtures/traces) and what the dynamics detectors find in it. */
export function exampleDiagnosis(name: Example): { trace: ProbeTrace; findings: Finding[] } {
  const trace = fixtureTrace(name);
  return { trace, findings: DETECTORS.dynamics.flatMap((detector) => detector.detect({ trace })) };
}

/** A context from the config's own layers, plus findings and a trace when given. */
export function contextFor(config: Config, extra: Partial<FixContext> = {}): FixContext {
  return { layers: config.model.layers ?? [], findings: [], ...extra };
}

/** The example's context with its real trace and findings. */
export function diagnosedContext(name: Example, config = exampleConfig(name)): FixContext {
  return contextFor(config, exampleDiagnosis(name));
}

/** The same config with its layers in a model file: `model.file` instead of `model.layers`. */
export function withModelFile(config: Config, file = '/project/model.json'): Config {
  return { ...config, model: { file } };
}

/** A deep copy, to show that a fix leaves its inputs alone. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}

/**
 * What every fix result must satisfy: the config still validates (and validating it changes
 * nothing), `model` holds either layers or a file, and each change has a path and a one-sentence why.
 */
function expectValidResult(result: FixResult): void {
  expect(configSchema.parse(result.config)).toEqual(result.config);
  expect((result.config.model.layers === undefined) !== (result.config.model.file === undefined)).toBe(true);
  for (const change of result.changes) {
    expect(change.path.length).toBeGreaterThan(0);
    expect(change.why).toMatch(/^[A-Z0-9].*\.$/s);
    expect(change.why.slice(0, -1)).not.toMatch(/\.\s+[A-Z]/);
  }
}

/** Applies a fix, checks the result, and applies it again to its own output. */
export function applyTwice(
  fix: FixTransform,
  config: Config,
  context: FixContext,
): { first: FixResult; second: FixResult } {
  const first = fix.apply(config, context);
  expectValidResult(first);
  const second = fix.apply(first.config, { ...context, layers: first.config.model.layers ?? context.layers });
  expectValidResult(second);
  return { first, second };
}

/** The output part of a layer list: its last layer with units or filters, and what follows it. */
export function outputPart(layers: readonly LayerSpec[]): LayerSpec[] {
  let start = layers.length - 1;
  while (start > 0 && !('units' in layers[start]!) && !('filters' in layers[start]!)) start--;
  return layers.slice(start);
}

/** A critical finding as the engine gives it, with nothing measured: `extra` adds its fixes or edit. */
export function criticalFinding(symptom: Finding['symptom'], extra: Partial<Finding> = {}): Finding {
  return {
    symptom,
    severity: 'critical',
    confidence: 1,
    evidence: { measured: 1, threshold: 1, what: '' },
    message: '',
    fixes: [],
    ...extra,
  };
}
