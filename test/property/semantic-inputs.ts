/**
 * Generators of inputs that parse but mean something wrong (issue 15): layer objects with unknown
 * keys and wrong value types, validation files whose columns are reordered, missing or extra, and
 * target columns that mix numbers, text and missing values. Each property checks that convdoc
 * refuses them (a ConvdocError, one line per problem), reports them (a finding), or reads them right.
 */
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { BASE_LAYER_KEYS, OWN_LAYER_KEYS } from '../../src/model/layer-keys.js';

// ---------------------------------------------------------------------------------------------
// Layer objects
// ---------------------------------------------------------------------------------------------

/** A layer of each common kind that builds on `LAYER_INPUT[kind]`, as the mutations start from it. */
const VALID_LAYERS = {
  dense: { type: 'dense', units: 3, activation: 'relu', kernelInitializer: 'heNormal' },
  conv2d: { type: 'conv2d', filters: 2, kernelSize: 2, activation: 'tanh' },
  conv1d: { type: 'conv1d', filters: 2, kernelSize: 2, padding: 'same' },
  lstm: { type: 'lstm', units: 2, recurrentActivation: 'sigmoid' },
  dropout: { type: 'dropout', rate: 0.5 },
  batchNormalization: { type: 'batchNormalization', momentum: 0.9 },
  activation: { type: 'activation', activation: 'relu' },
  bidirectional: { type: 'bidirectional', layer: { type: 'gru', units: 2 }, mergeMode: 'concat' },
} as const;

type LayerKind = keyof typeof VALID_LAYERS;

/** The example shape each kind of layer takes as the first layer. */
export const LAYER_INPUT: Record<LayerKind, number[]> = {
  dense: [4],
  conv2d: [4, 4, 1],
  conv1d: [5, 3],
  lstm: [5, 3],
  dropout: [4],
  batchNormalization: [4],
  activation: [4],
  bidirectional: [5, 3],
};

/** The keys a layer of this type takes: its own and the base LayerArgs. */
export function knownKeys(type: string): Set<string> {
  return new Set(['type', ...(OWN_LAYER_KEYS[type] ?? '').split(' '), ...BASE_LAYER_KEYS.split(' ')]);
}

/** A typo of a key: a letter dropped, doubled, swapped or changed, as people mistype. */
const typo = (key: string) =>
  fc.tuple(fc.nat(key.length - 1), fc.constantFrom('drop', 'double', 'swap', 'change')).map(([at, how]) => {
    if (how === 'drop') return key.slice(0, at) + key.slice(at + 1);
    if (how === 'double') return key.slice(0, at + 1) + key.slice(at);
    if (how === 'swap' && at + 1 < key.length) return key.slice(0, at) + key[at + 1] + key[at] + key.slice(at + 2);
    return key.slice(0, at) + (key[at] === 'z' ? 'y' : 'z') + key.slice(at + 1);
  });

/**
 * Values of the wrong type for most keys: text, booleans, lists, mappings, null, and names tfjs
 * does not know. Numbers stay small: a huge `units` is a memory question, not a type error.
 */
const wrongValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -3, max: 6 }),
  fc.double({ min: -2, max: 2, noNaN: true }),
  fc.constantFrom('', 'rleu', 'heNormall', 'same', 'valid', 'relu', 'zeros', '3', 'NaN', 'channelsLast'),
  fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }),
  fc.constant({ className: 'RandomNormall' }),
  fc.constant({ className: 'RandomNormal', config: { stddev: 0.1 } }),
  fc.constant({ type: 'dense', unitz: 1 }),
);

/** One change to a valid layer: an unknown or mistyped key, or a known key given a wrong value. */
const layerChange = (layer: Record<string, unknown>) => {
  const keys = Object.keys(layer).filter((key) => key !== 'type');
  return fc.oneof(
    fc.tuple(fc.constantFrom(...keys).chain(typo), wrongValue),
    fc.tuple(fc.constantFrom(...keys), wrongValue),
    fc.tuple(fc.constantFrom('unitz', 'activaton', 'kernel_initializer', 'input_shape', 'foo', 'Units'), wrongValue),
  );
};

export interface LayerCase {
  kind: LayerKind;
  layer: Record<string, unknown>;
  /** The config text holding it as model.layers[0], with a dense output after it. */
  text: string;
}

export const layerCaseArbitrary: fc.Arbitrary<LayerCase> = fc
  .constantFrom(...(Object.keys(VALID_LAYERS) as LayerKind[]))
  .chain((kind) => {
    const valid = VALID_LAYERS[kind] as Record<string, unknown>;
    return fc.tuple(fc.constant(kind), fc.array(layerChange(valid), { minLength: 1, maxLength: 3 }));
  })
  .map(([kind, changes]) => {
    const layer: Record<string, unknown> = { ...VALID_LAYERS[kind] };
    for (const [key, value] of changes) layer[key] = value;
    const config = {
      version: 1,
      data: { train: 'd.csv', target: 'y' },
      model: { layers: [layer, { type: 'flatten' }, { type: 'dense', units: 1 }] },
    };
    return { kind, layer, text: yamlStringify(config) };
  });

// ---------------------------------------------------------------------------------------------
// Validation files
// ---------------------------------------------------------------------------------------------

export interface ValidationCase {
  trainHeader: string[];
  validationHeader: string[];
  missing: string[];
  extra: string[];
}

/** A training header of 2-5 features and a target, and a validation header reordered, maybe with a column dropped or added. */
export const validationCaseArbitrary: fc.Arbitrary<ValidationCase> = fc
  .integer({ min: 2, max: 5 })
  .chain((features) => {
    const trainHeader = [...Array.from({ length: features }, (_, index) => `f${index}`), 'y'];
    return fc.record({
      trainHeader: fc.constant(trainHeader),
      order: fc.shuffledSubarray(trainHeader, { minLength: trainHeader.length, maxLength: trainHeader.length }),
      drop: fc.option(fc.constantFrom(...trainHeader), { freq: 2 }),
      add: fc.option(fc.constantFrom('extra', 'f9', 'Y', 'f0 '), { freq: 2 }),
    });
  })
  .map(({ trainHeader, order, drop, add }) => {
    const kept = order.filter((name) => name !== drop);
    // 'f0 ' is trimmed to f0 by the header check: a duplicate, not an extra column; not generated twice.
    const extra = add === null || add === 'f0 ' ? [] : [add];
    return {
      trainHeader,
      validationHeader: [...kept, ...extra],
      missing: drop === null ? [] : [drop],
      extra,
    };
  });

/** The cell of a row for a column: features are 10 × row + column, so a misread column shows. */
export function cellFor(name: string, row: number): number {
  return name === 'y' ? row + 0.5 : 10 * row + Number(name.slice(1) || 0);
}

// ---------------------------------------------------------------------------------------------
// Mixed-type targets
// ---------------------------------------------------------------------------------------------

type TargetCell = { kind: 'number'; text: string } | { kind: 'text'; text: string } | { kind: 'missing'; text: string };

const targetCell: fc.Arbitrary<TargetCell> = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: -5, max: 50 }).map((n) => ({ kind: 'number' as const, text: String(n) })) },
  {
    weight: 2,
    arbitrary: fc
      .double({ min: -10, max: 10, noNaN: true, noDefaultInfinity: true })
      .map((n) => ({ kind: 'number' as const, text: String(n) })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom('cat', 'dog', 'twenty', '21.5k', 'n/a?', 'yes', '1,5', '0x1F')
      .map((text) => ({ kind: 'text' as const, text })),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', 'NA', 'NaN', 'null').map((text) => ({ kind: 'missing' as const, text })),
  },
);

export interface TargetCase {
  cells: TargetCell[];
  task: 'regression' | 'binary' | 'multiclass' | undefined;
}

export const targetCaseArbitrary: fc.Arbitrary<TargetCase> = fc.record({
  cells: fc.array(targetCell, { minLength: 4, maxLength: 30 }),
  task: fc.constantFrom('regression' as const, 'binary' as const, 'multiclass' as const, undefined),
});
