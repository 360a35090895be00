/**
 * Property test: generated layer objects with unknown or mistyped keys and values of the wrong type
 * end in a ConfigError of one line per problem at the config file, or build a layer whose every
 * key tfjs reads. Never a raw tfjs error, a stack trace, or an unknown key built silently (before
 * issue 15, `activaton: relu` built a linear layer). Fixed seed, so CI is deterministic.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { locateKey, parseConfig } from '../../src/config/load.js';
import { buildModel } from '../../src/model/build.js';
import { checkConfigLayers } from '../../src/model/layer-check.js';
import type { LayerSpec } from '../../src/model/layer-spec.js';
import { expectUserError } from '../property/malformed-inputs.js';
import { knownKeys, LAYER_INPUT, layerCaseArbitrary, type LayerCase } from '../property/semantic-inputs.js';

const SEED = 15;
/** Each run builds a tiny tfjs model; 400 cover every kind with one to three changes many times. */
const RUNS = 400;
const CONFIG_FILE = 'gen.yaml';

/** Every key of a layer (and of a wrapped layer) is one its type takes. */
function unknownKeys(spec: LayerSpec): string[] {
  const known = knownKeys(spec.type);
  const own = Object.keys(spec).filter((key) => !known.has(key));
  const wrapped = spec['layer'];
  return typeof wrapped === 'object' && wrapped !== null && 'type' in wrapped
    ? [...own, ...unknownKeys(wrapped as LayerSpec)]
    : own;
}

function checkLayerCase({ kind, text }: LayerCase): void {
  let built;
  try {
    const loaded = parseConfig(text, CONFIG_FILE);
    checkConfigLayers(loaded);
    const layers = loaded.config.model.layers!;
    built = buildModel(layers, LAYER_INPUT[kind], (index) => locateKey(loaded, ['model', 'layers', index]));
    const unknown = layers.flatMap(unknownKeys);
    if (unknown.length > 0) throw new Error(`built a layer with unknown key(s) ${unknown.join(', ')}`);
  } catch (error) {
    expectUserError(error, CONFIG_FILE);
  } finally {
    built?.model.dispose();
  }
}

describe('generated layer objects', () => {
  it('an unknown key, a mistyped key or a wrong value type: one line per problem, or a layer tfjs reads whole', () => {
    fc.assert(fc.property(layerCaseArbitrary, checkLayerCase), { seed: SEED, numRuns: RUNS });
  });

  it('the generator makes both outcomes: refusals and layers that build', () => {
    const cases = fc.sample(layerCaseArbitrary, { seed: SEED, numRuns: 200 });
    const refused = cases.filter(({ text }) => {
      try {
        checkConfigLayers(parseConfig(text, CONFIG_FILE));
        return false;
      } catch {
        return true;
      }
    });
    expect(refused.length).toBeGreaterThan(50);
    expect(refused.length).toBeLessThan(cases.length);
  });
});
