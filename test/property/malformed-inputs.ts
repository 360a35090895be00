/**
 * Generators of malformed inputs for the loaders (config text and data files), and the check that
 * a loader's failure is one users may see: a ConvdocError with a short message and no stack trace.
 * Used by loaders.test.ts; kept apart so the generators can also be sampled outside vitest.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { NORMALIZATIONS, OPTIMIZERS, TASKS } from '../../src/config/schema.js';
import { ConfigError, ConvdocError } from '../../src/errors.js';

// ---------------------------------------------------------------------------------------------
// The outcome check
// ---------------------------------------------------------------------------------------------

/** A V8 stack frame line (`    at fn (file.ts:1:2)`, `    at file.ts:1:2`, `    at new X (<anonymous>)`). */
const STACK_FRAME = /^\s+at\s.+(?::\d+:\d+\)?|\((?:native|<anonymous>)\))$/m;

/** Data messages are one sentence or two; more lines than this is not "a few". */
const MAX_DATA_MESSAGE_LINES = 3;

/** `TypeError [ERR_X]: message (at first frame)`, for a failure report. */
export function describeThrown(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown non-Error value ${typeof error}: ${inspect(error)}`;
  const { code } = error as { code?: unknown };
  const shownCode = code === undefined ? '' : ` [${typeof code === 'string' ? code : inspect(code)}]`;
  const frame = error.stack
    ?.split('\n')
    .find((line) => /^\s+at\s/.test(line))
    ?.trim();
  return `${error.constructor.name}${shownCode}: ${JSON.stringify(error.message)}${frame === undefined ? '' : ` (${frame})`}`;
}

/**
 * Throws, failing the property, unless `error` is a ConvdocError whose message users can read:
 * not empty, no stack trace, a few lines at most. A ConfigError has one line per problem and each
 * starts with the config file's name (`configFile:`), so that editors can jump to it.
 */
export function expectUserError(error: unknown, configFile?: string): void {
  if (!(error instanceof ConvdocError)) {
    throw new Error(`expected a result or a ConvdocError, but the loader threw ${describeThrown(error)}`, {
      cause: error,
    });
  }
  const { message } = error;
  const lines = message.split(/\r\n|\r|\n/);
  if (message.trim() === '') throw new Error(`${error.name} with an empty message`, { cause: error });
  if (STACK_FRAME.test(message))
    throw new Error(`${error.name} message holds a stack trace: ${JSON.stringify(message)}`, { cause: error });
  if (error instanceof ConfigError) {
    if (configFile === undefined)
      throw new Error(`ConfigError from a data loader: ${JSON.stringify(message)}`, { cause: error });
    if (error.problems.length === 0) throw new Error('ConfigError without problems', { cause: error });
    const prefix = `${configFile}:`;
    const stray = lines.find((line) => !line.startsWith(prefix));
    if (stray !== undefined) {
      throw new Error(
        `ConfigError line does not start with "${prefix}": ${JSON.stringify(stray)} in ${JSON.stringify(message)}`,
        { cause: error },
      );
    }
    if (lines.length !== error.problems.length) {
      throw new Error(
        `ConfigError has ${error.problems.length} problem(s) but ${lines.length} lines: ${JSON.stringify(message)}`,
        { cause: error },
      );
    }
    return;
  }
  if (lines.length > MAX_DATA_MESSAGE_LINES) {
    throw new Error(
      `${error.name} message has ${lines.length} lines (more than ${MAX_DATA_MESSAGE_LINES}): ${JSON.stringify(message)}`,
      { cause: error },
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/** Characters that mean something to YAML, JSON or CSV, plus unicode that trips up decoders. */
const SYNTAX_CHARS = [
  ...'abxyz019 :-,;[]{}#&*!|>\'"%@`?.~\\/=+_',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\0',
  '\u00a0',
  '\u0085',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\ud800',
  '\udfff',
  'é',
  '€',
  '😀',
  '\u0301',
];

/** Odd numbers: huge, tiny, negative, non-finite, negative zero, past 2^53. */
const ODD_NUMBERS = [
  0,
  -0,
  -1,
  1.5,
  1e-320,
  5e-324,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  2 ** 53 + 2,
  -(2 ** 31),
  2 ** 32,
  Number.NaN,
  Infinity,
  -Infinity,
];

/** Strings that look like YAML syntax or like other types. */
const ODD_STRINGS = [
  '',
  ' ',
  'null',
  '~',
  'true',
  'yes',
  'NaN',
  '.nan',
  '.inf',
  '-.inf',
  '1',
  '1.0',
  '0x10',
  '0o7',
  '1e999',
  '- a',
  'a: b',
  ': b',
  '#c',
  '"q',
  "'",
  '\n',
  'a\nb',
  '&a',
  '*a',
  '!!str',
  '<<',
  '---',
  '...',
  '%YAML',
  '{',
  '[',
  '\t',
  '\ufeff',
  '\u2028',
  '\ud800',
  '😀',
  'x'.repeat(200),
];

const smallString = fc.string({ maxLength: 12 });
const unicodeString = fc.string({ unit: 'binary', maxLength: 8 });

/** A scalar of any type, often an odd one. */
const oddScalar: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(...ODD_NUMBERS),
  smallString,
  unicodeString,
  fc.constantFrom(...ODD_STRINGS),
);

const CONFIG_KEYS = [
  'version',
  'name',
  'seed',
  'data',
  'model',
  'training',
  'probe',
  'train',
  'validation',
  'validationSplit',
  'target',
  'features',
  'task',
  'inputShape',
  'normalize',
  'layers',
  'file',
  'type',
  'units',
  'activation',
  'optimizer',
  'learningRate',
  'momentum',
  'batchSize',
  'epochs',
  'loss',
  'metrics',
  'clipNorm',
  'clipValue',
  'schedule',
  'decaySteps',
  'decayRate',
  'stepSize',
  'gamma',
  'alpha',
  'factor',
  'patience',
  'minDelta',
  'minLearningRate',
  'warmupSteps',
  'steps',
  'evalEvery',
  'seeds',
  'sampleRows',
];

/** A mapping key: a real config key, a near miss, or something strange. */
const anyKey: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...CONFIG_KEYS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Version',
      'versoin',
      'trian',
      'learning_rate',
      'lr',
      'layer',
      'shedule',
      'version ',
      ' data',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      '<<',
      '?',
      '-',
      'a\nb',
      'a: b',
      '#',
      '0',
      '1.5',
      'null',
      '😀',
    ),
  },
  { weight: 1, arbitrary: smallString },
);

/** Any JSON-ish value, nested a few levels, mostly odd. */
const junk: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4 },
    oddScalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(anyKey, tie('value'), { maxKeys: 4 }),
  ),
})).value;

// ---------------------------------------------------------------------------------------------
// Configs
// ---------------------------------------------------------------------------------------------

/** YAML and JSON fragments, shuffled into token soup: anchors, aliases, tags, flow and block syntax. */
const YAML_TOKENS = [
  'version: 1\n',
  'version',
  'data:\n',
  '  train: x.csv\n',
  '  target: y\n',
  'model:\n',
  '  layers:\n',
  '    - type: dense\n',
  '  file: m.json\n',
  'training:\n',
  '  schedule:\n',
  '    type: cosine\n',
  'probe:\n',
  'seed: ',
  'name: ',
  ':',
  ': ',
  ' ',
  '  ',
  '    ',
  '\n',
  '\r\n',
  '\t',
  '- ',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '? ',
  '|',
  '>',
  '|-',
  '>+',
  '&a ',
  '&b ',
  '*a',
  '*b',
  '*c',
  '&a [*a]',
  '[*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  '&b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
  '&c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
  '<<: ',
  '<<: *a',
  '!!str ',
  '!!int ',
  '!!map ',
  '!!seq ',
  '!!binary ',
  '!!set ',
  '!!omap ',
  '!!float ',
  '!!null ',
  '!foo ',
  '!<tag:x> ',
  '!',
  '---\n',
  '...\n',
  '%YAML 1.2\n',
  '%TAG ! tag:x:\n',
  '%FOO\n',
  '1',
  '0',
  '-1',
  '1e999',
  '.nan',
  '.inf',
  'null',
  '~',
  'true',
  '0x1F',
  '0o17',
  '1_000',
  '12345678901234567890123',
  'x.csv',
  'dense',
  'adam',
  'mse',
  'a',
  'b',
  '😀',
  '\ufeff',
  '\u2028',
  '\0',
  '\\',
  '\\u',
  '"\\x',
  '"\\u12',
];

const arbitraryText = fc.string({ unit: 'binary', maxLength: 200 });
const graphemeText = fc.string({ unit: 'grapheme', maxLength: 200 });
const syntaxText = fc.string({ unit: fc.constantFrom(...SYNTAX_CHARS), maxLength: 300 });
const tokenSoup = fc.array(fc.constantFrom(...YAML_TOKENS), { maxLength: 60 }).map((tokens) => tokens.join(''));

/** (a) Arbitrary text: random unicode, YAML syntax characters, and token soup. */
export const configTextArbitrary: fc.Arbitrary<string> = fc.oneof(arbitraryText, graphemeText, syntaxText, tokenSoup);

/** Marks a key left out of a generated object. */
const MISSING = Symbol('missing');
type Field = fc.Arbitrary<unknown>;

/** A key's value: usually plausible, sometimes of the wrong type or odd, sometimes missing. */
function field(plausible: Field): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: plausible },
    { weight: 1, arbitrary: oddScalar },
    { weight: 1, arbitrary: junk },
    { weight: 1, arbitrary: fc.constant(MISSING) },
  );
}

/** A mapping with the given keys (each maybe missing or wrong), maybe extra keys, and now and then not a mapping at all. */
function shape(fields: Record<string, Field>): fc.Arbitrary<unknown> {
  const withFields = fc
    .tuple(
      fc.record(Object.fromEntries(Object.entries(fields).map(([key, value]) => [key, field(value)]))),
      fc.option(fc.dictionary(anyKey, junk, { minKeys: 1, maxKeys: 2 }), { freq: 4 }),
    )
    .map(([record, extra]) => {
      const object: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) if (value !== MISSING) object[key] = value;
      if (extra !== null)
        for (const [key, value] of Object.entries(extra))
          Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      return object;
    });
  return fc.oneof({ weight: 8, arbitrary: withFields }, { weight: 1, arbitrary: junk });
}

const int = (min: number, max: number) => fc.integer({ min, max });
const anyNumber = fc.oneof(fc.double({ min: -10, max: 10 }), int(-5, 1000), fc.constantFrom(...ODD_NUMBERS));
const path = fc.constantFrom(
  'train.csv',
  'data/train.tsv',
  '../x.jsonl',
  '/abs/x.csv',
  '',
  ' ',
  'C:\\x.csv',
  'x'.repeat(300),
  '\0',
);
const columnName = fc.constantFrom('y', 'label', 'x1', '', ' ', 'a b', '😀');
const names = fc.oneof(columnName, fc.array(columnName, { maxLength: 4 }));

const layer = shape({
  type: fc.constantFrom('dense', 'conv2d', 'dropout', 'flatten', '', 'Dense', 'nope'),
  units: int(-2, 64),
  activation: fc.constantFrom('relu', 'sigmoid', 'softmax', 'linear', ''),
  inputShape: fc.array(int(-1, 8), { maxLength: 3 }),
  rate: fc.double(),
});

const schedule = fc.oneof(
  fc.constant(null),
  shape({
    type: fc.constantFrom('constant', 'exponential', 'step', 'cosine', 'plateau', 'linear', '', 'Cosine'),
    decaySteps: anyNumber,
    decayRate: anyNumber,
    stepSize: anyNumber,
    gamma: anyNumber,
    alpha: anyNumber,
    factor: anyNumber,
    patience: anyNumber,
    minDelta: anyNumber,
    minLearningRate: anyNumber,
    warmupSteps: anyNumber,
  }),
);

/** A config-shaped value: the real keys at every level, each maybe wrong, missing or joined by extras. */
const configObjectArbitrary: fc.Arbitrary<unknown> = shape({
  version: fc.constantFrom(1, 2, 0, '1', 1.0000001, -1),
  name: fc.oneof(smallString, unicodeString),
  seed: anyNumber,
  data: shape({
    train: path,
    validation: path,
    target: names,
    features: names,
    task: fc.constantFrom(...TASKS, 'Binary', 'classification', ''),
    inputShape: fc.array(int(-2, 40), { maxLength: 4 }),
    normalize: fc.constantFrom(...NORMALIZATIONS, 'zscore', ''),
    validationSplit: fc.oneof(fc.double({ min: -1, max: 2 }), fc.constantFrom(0, 1, 0.2)),
  }),
  model: shape({
    layers: fc.oneof(fc.array(layer, { maxLength: 3 }), layer),
    file: path,
  }),
  training: shape({
    optimizer: fc.constantFrom(...OPTIMIZERS, 'Adam', 'adamw', ''),
    learningRate: anyNumber,
    momentum: anyNumber,
    batchSize: anyNumber,
    epochs: anyNumber,
    loss: fc.constantFrom(
      'mse',
      'mae',
      'binary_crossentropy',
      'categoricalCrossentropy',
      'BinaryCrossentropy',
      'msee',
      'crossentropy',
      '',
    ),
    metrics: fc.oneof(fc.array(smallString, { maxLength: 3 }), smallString),
    clipNorm: fc.oneof(fc.constant(null), anyNumber),
    clipValue: fc.oneof(fc.constant(null), anyNumber),
    schedule,
  }),
  probe: shape({ steps: anyNumber, evalEvery: anyNumber, seeds: anyNumber, sampleRows: anyNumber }),
});

type Serialization = 'json' | 'json-pretty' | 'yaml' | 'yaml-flow' | 'yaml-json';

function serialize(value: unknown, as: Serialization): string {
  try {
    switch (as) {
      case 'json':
        return JSON.stringify(value) ?? '';
      case 'json-pretty':
        return JSON.stringify(value, null, 2) ?? '';
      case 'yaml':
        return yamlStringify(value);
      case 'yaml-flow':
        return yamlStringify(value, { collectionStyle: 'flow' });
      case 'yaml-json':
        return yamlStringify(value, { defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN', indent: 4 });
    }
  } catch {
    // The generator, not the loader, failed: fall back to JSON so the run still tests something.
    return JSON.stringify(value) ?? '';
  }
}

/** Deep nesting, as text (building it as an object would overflow the serializers first). */
const deepText: fc.Arbitrary<string> = fc
  .tuple(
    int(10, 3000),
    fc.constantFrom('flow-seq', 'flow-map', 'block-map', 'block-seq'),
    fc.constantFrom('top', 'layer', 'data'),
  )
  .map(([depth, style, where]) => {
    switch (style) {
      case 'block-map':
        // Indentation grows with depth, so the text grows with its square: keep it a few hundred deep.
        return Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';
      case 'block-seq':
        return `${'- '.repeat(depth)}1\n`;
    }
    const nested =
      style === 'flow-seq'
        ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
        : `${'{"a": '.repeat(depth)}1${'}'.repeat(depth)}`;
    if (where === 'top') return nested;
    if (where === 'layer')
      return `{"version": 1, "data": {"train": "x.csv", "target": "y"}, "model": {"layers": [{"type": "dense", "config": ${nested}}]}}`;
    return `version: 1\ndata: ${nested}\nmodel: {file: m.json}\n`;
  });

/**
 * Anchors and aliases: chains where each anchor's node repeats the previous one `width` times (the
 * "billion laughs" shape), aliases used before or without their anchor, and self-references.
 */
const aliasText: fc.Arbitrary<string> = fc
  .record({
    depth: int(1, 5),
    width: int(1, 12),
    flow: fc.boolean(),
    where: fc.constantFrom('top', 'layer', 'target', 'key'),
    stray: fc.constantFrom('', '*nowhere', '*a0', '&x [*x]', '*a9'),
  })
  .map(({ depth, width, flow, where, stray }) => {
    const anchors = Array.from({ length: depth }, (_, level) => {
      const items = level === 0 ? ['x'] : Array.from({ length: width }, () => `*a${level - 1}`);
      return flow ? `&a${level} [${items.join(', ')}]` : `&a${level} [${items.join(',')}]`;
    });
    const last = `*a${depth - 1}`;
    const definitions = anchors.map((anchor, level) => `  l${level}: ${anchor}`).join('\n');
    switch (where) {
      case 'top':
        return `version: 1\nname: ${stray || 'x'}\nanchors:\n${definitions}\nuse: [${last}, ${last}]\n`;
      case 'layer':
        return `version: 1\ndata: {train: x.csv, target: y}\nmodel:\n  layers:\n    - type: dense\n      defs:\n${definitions.replace(/^/gm, '      ')}\n      use: ${last}\n    - ${stray || last}\n`;
      case 'target':
        return `version: 1\ndata:\n  train: x.csv\n  target: [${stray || last}, ${last}]\nmodel: {file: m.json}\nx:\n${definitions}\n`;
      case 'key':
        return `x:\n${definitions}\n? ${last}\n: ${stray || 1}\nversion: 1\n`;
    }
  });

/** (b) Serializations (JSON, YAML block and flow) of config-shaped objects, deeply nested text, and anchor/alias chains. */
export const configSerializationArbitrary: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc
      .tuple(
        configObjectArbitrary,
        fc.constantFrom<Serialization>('json', 'json-pretty', 'yaml', 'yaml-flow', 'yaml-json'),
      )
      .map(([value, as]) => serialize(value, as)),
  },
  { weight: 1, arbitrary: deepText },
  { weight: 1, arbitrary: aliasText },
);

/** A config that loads: every section and most keys, with comments. */
const VALID_CONFIG_YAML = `# convdoc config
version: 1
name: demo
seed: 7
data:
  train: data/train.csv
  validation: data/val.csv
  target: label
  features: [x1, x2]
  task: binary
  inputShape: [2]
  normalize: standardize   # zero mean, unit variance
  validationSplit: 0.2
model:
  layers:
    - type: dense
      units: 8
      activation: relu
    - type: dense
      units: 1
      activation: sigmoid
training:
  optimizer: adam
  learningRate: 0.001
  momentum: 0.9
  batchSize: 32
  epochs: 10
  loss: binary_crossentropy
  metrics: [accuracy]
  clipNorm: 1.0
  clipValue: null
  schedule:
    type: exponential
    decaySteps: 100
    decayRate: 0.96
    warmupSteps: 10
probe:
  steps: 300
  evalEvery: 10
  seeds: 1
  sampleRows: 1000
`;

const VALID_CONFIG_MINIMAL = `version: 1
data:
  train: train.csv
  target: [y1, y2]
model:
  file: model.json
training:
  schedule: {type: plateau, factor: 0.5, patience: 3}
`;

const VALID_CONFIG_JSON = JSON.stringify(
  {
    version: 1,
    data: { train: 'train.csv', target: 'y', normalize: 'minmax' },
    model: { layers: [{ type: 'dense', units: 1 }] },
    training: { optimizer: 'sgd', schedule: { type: 'step', stepSize: 10, gamma: 0.5 } },
    probe: { steps: 50 },
  },
  null,
  2,
);

/** Valid configs that the mutations start from. */
export const VALID_CONFIGS = [VALID_CONFIG_YAML, VALID_CONFIG_MINIMAL, VALID_CONFIG_JSON];

type Mutation =
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'replace'; at: number; text: string }
  | { kind: 'duplicate'; at: number; length: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'duplicateLine'; line: number }
  | { kind: 'deleteLine'; line: number }
  | { kind: 'swapLines'; line: number; other: number }
  | { kind: 'indent'; line: number; delta: number }
  | { kind: 'tabs'; line: number }
  | { kind: 'lineEnding'; line: number; ending: string }
  | { kind: 'renameKey'; line: number; key: string }
  | { kind: 'changeValue'; line: number; value: string };

const insertion = fc.oneof(
  fc.constantFrom(...YAML_TOKENS),
  fc.constantFrom(...SYNTAX_CHARS),
  fc.string({ unit: 'binary', maxLength: 4 }),
);
const scalarText = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.constantFrom(
    '1',
    '-1',
    '0',
    '0.5',
    '1e999',
    '-1e999',
    '.nan',
    '1e-400',
    '99999999999999999999',
    '[]',
    '{}',
    '[1, 2]',
    '{a: 1}',
    '*a',
    '&a 1',
    '!!binary AAAA',
    '|',
    '>',
  ),
  fc.double().map(String),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: int(1, 20) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: insertion }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), text: insertion }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: int(1, 40) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('duplicateLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('deleteLine' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swapLines' as const), line: fc.nat(), other: fc.nat() }),
  fc.record({ kind: fc.constant('indent' as const), line: fc.nat(), delta: int(-4, 4) }),
  fc.record({ kind: fc.constant('tabs' as const), line: fc.nat() }),
  fc.record({
    kind: fc.constant('lineEnding' as const),
    line: fc.nat(),
    ending: fc.constantFrom('\r\n', '\r', '', '\n\n', '\u2028', '\u0085'),
  }),
  fc.record({ kind: fc.constant('renameKey' as const), line: fc.nat(), key: anyKey }),
  fc.record({ kind: fc.constant('changeValue' as const), line: fc.nat(), value: scalarText }),
);

function mutate(text: string, change: Mutation): string {
  const at = 'at' in change ? change.at % (text.length + 1) : 0;
  const lines = text.split('\n');
  const index = 'line' in change ? change.line % lines.length : 0;
  const line = lines[index] ?? '';
  const withLine = (replacement: string[]) =>
    [...lines.slice(0, index), ...replacement, ...lines.slice(index + 1)].join('\n');
  switch (change.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + change.length);
    case 'insert':
      return text.slice(0, at) + change.text + text.slice(at);
    case 'replace':
      return text.slice(0, at) + change.text + text.slice(at + change.text.length);
    case 'duplicate':
      return text.slice(0, at + change.length) + text.slice(at);
    case 'truncate':
      return text.slice(0, at);
    case 'duplicateLine':
      return withLine([line, line]);
    case 'deleteLine':
      return withLine([]);
    case 'swapLines': {
      const other = change.other % lines.length;
      const swapped = [...lines];
      [swapped[index], swapped[other]] = [lines[other] ?? '', line];
      return swapped.join('\n');
    }
    case 'indent':
      return withLine([
        change.delta >= 0 ? ' '.repeat(change.delta) + line : line.replace(new RegExp(`^ {0,${-change.delta}}`), ''),
      ]);
    case 'tabs':
      return withLine([line.replace(/^( +)/, (spaces) => '\t'.repeat(Math.max(1, spaces.length / 2)))]);
    case 'lineEnding':
      return lines.slice(0, index + 1).join('\n') + change.ending + lines.slice(index + 1).join('\n');
    case 'renameKey':
      return withLine([
        line.replace(/^(\s*(?:- )?)"?[^:"]*"?:/, (_, indent: string) => `${indent}${yamlKey(change.key)}:`),
      ]);
    case 'changeValue':
      return withLine([line.replace(/:\s.*$|:$/, `: ${change.value}`)]);
  }
}

/** A key as YAML or JSON text: quoted when plain text would not do. */
function yamlKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : JSON.stringify(key);
}

/** (c) A valid config after 1 to 6 mutations: deleted, duplicated and inserted text, broken indentation, tabs, duplicate keys. */
export const configMutationArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...VALID_CONFIGS), fc.array(mutation, { minLength: 1, maxLength: 6 }))
  .map(([text, changes]) => changes.reduce(mutate, text));

// ---------------------------------------------------------------------------------------------
// Data files
// ---------------------------------------------------------------------------------------------

const DATA_EXTENSIONS = ['.csv', '.tsv', '.txt', '.tab', '.CSV'] as const;
const JSON_LINES_EXTENSIONS = ['.jsonl', '.ndjson'] as const;
const UNSUPPORTED_EXTENSIONS = ['.json', '.xlsx', '', '.csv.gz', '.parquet'];

/** Header names: usual ones, blank, padded, duplicated (by the small pool), quoted, with newlines. */
const headerName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('x', 'y', 'x2', 'label', 'target', 'feature_1') },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      ' ',
      ' x ',
      'a b',
      'a,b',
      'a\tb',
      'a"b',
      '"',
      'a\nb',
      'a\r\nb',
      '__proto__',
      'constructor',
      'toString',
      'é',
      '😀',
      '\ufeffx',
      '#',
      'NaN',
      '0',
      '\0',
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
);

const MISSING_SPELLINGS = [
  'NaN',
  'nan',
  'NA',
  'na',
  'n/a',
  'N/A',
  'null',
  'NULL',
  'None',
  '?',
  '',
  ' ',
  'inf',
  'Inf',
  'INF',
  '+inf',
  '-inf',
  'Infinity',
  '-Infinity',
  '+Infinity',
  'infinity',
  '-nan',
  '#N/A',
  'nil',
  '.',
];
const NUMBER_LOOKALIKES = [
  '1e5',
  '1E-3',
  '.5',
  '5.',
  '-.5',
  '+1',
  ' 1 ',
  '1e400',
  '-1e400',
  '1e-400',
  '0x1F',
  '0b1',
  '0o7',
  '1_000',
  '1,5',
  '1.2.3',
  '--1',
  '١٢',
  '１',
  'true',
  'false',
  'TRUE',
  'abc',
  'cat',
  'dog',
  '1 2',
];

const cellText = fc.oneof(
  { weight: 4, arbitrary: fc.double().map(String) },
  { weight: 3, arbitrary: int(-3, 3).map(String) },
  { weight: 3, arbitrary: fc.constantFrom(...MISSING_SPELLINGS, ...NUMBER_LOOKALIKES) },
  { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
);

type Quoting = 'raw' | 'quoted' | 'open' | 'junkAfter' | 'inner' | 'spaced';
const quoting = fc.oneof(
  { weight: 12, arbitrary: fc.constant<Quoting>('raw') },
  { weight: 3, arbitrary: fc.constant<Quoting>('quoted') },
  { weight: 1, arbitrary: fc.constantFrom<Quoting>('open', 'junkAfter', 'inner', 'spaced') },
);

function quote(text: string, how: Quoting): string {
  switch (how) {
    case 'raw':
      return text;
    case 'quoted':
      return `"${text.replaceAll('"', '""')}"`;
    case 'open':
      return `"${text}`;
    case 'junkAfter':
      return `"${text}"x`;
    case 'inner':
      return `${text}"${text}`;
    case 'spaced':
      return ` "${text}" `;
  }
}

const csvField = <T>(text: fc.Arbitrary<T>) => fc.tuple(text, quoting);
const ending = fc.oneof(
  { weight: 6, arbitrary: fc.constant('\n') },
  { weight: 2, arbitrary: fc.constant('\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('\r', '\n\n', '\r\n\r\n', '\n \n', '\n\t\n') },
);

/** Target columns: picks from the header (by index) or names that may not exist. */
const targetChoice = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.nat().map((pick) => ({ pick })) },
    { weight: 1, arbitrary: fc.constantFrom('y', 'label', 'missing', 'Y', ' y', '', 'x').map((name) => ({ name })) },
  ),
  { minLength: 1, maxLength: 3 },
);

function resolveTargets(
  header: readonly string[],
  choices: readonly ({ pick: number } | { name: string })[],
): string[] {
  return choices.map((choice) =>
    'name' in choice ? choice.name : (header[choice.pick % Math.max(1, header.length)] ?? 'y').trim(),
  );
}

/** Keeps content small so that thousands of file round trips stay fast. */
const MAX_CONTENT = 2000;

export interface DataCase {
  extension: string;
  content: string | Uint8Array;
  target: string[];
}

/** CSV, TSV and .txt/.tab content: odd headers, ragged rows, broken quotes, mixed line endings, BOM, blank lines, odd cells. */
export const delimitedCaseArbitrary: fc.Arbitrary<DataCase> = fc
  .record({
    extension: fc.constantFrom(...DATA_EXTENSIONS),
    wrongDelimiter: fc.oneof(
      { weight: 8, arbitrary: fc.constant(undefined) },
      { weight: 1, arbitrary: fc.constantFrom(';', ',', '\t', '|', ', ') },
    ),
    bom: fc.boolean(),
    header: fc.array(csvField(headerName), { maxLength: 6 }),
    headerEnding: ending,
    ragged: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    rows: fc.array(fc.tuple(fc.array(csvField(cellText), { maxLength: 7 }), ending), { maxLength: 10 }),
    trailingEnding: fc.boolean(),
    cut: fc.option(fc.nat(), { freq: 8 }),
    target: targetChoice,
  })
  .map((spec) => {
    const delimiter = spec.wrongDelimiter ?? (/\.(tsv|tab)$/.test(spec.extension) ? '\t' : ',');
    const width = spec.header.length;
    const rows = spec.rows.map(([cells, eol]) => {
      const fitted = spec.ragged
        ? cells
        : Array.from({ length: width }, (_, i) => cells[i] ?? (['1', 'raw'] as [string, Quoting]));
      return fitted.map(([text, how]) => quote(text, how)).join(delimiter) + eol;
    });
    const headerLine = spec.header.map(([text, how]) => quote(text, how)).join(delimiter);
    let content =
      (spec.bom ? '\ufeff' : '') +
      headerLine +
      (rows.length > 0 || spec.trailingEnding ? spec.headerEnding : '') +
      rows.join('');
    if (!spec.trailingEnding) content = content.replace(/[\r\n]+$/, '');
    if (spec.cut !== null) content = content.slice(0, spec.cut % (content.length + 1));
    return {
      extension: spec.extension,
      content: content.slice(0, MAX_CONTENT),
      target: resolveTargets(
        spec.header.map(([text]) => text),
        spec.target,
      ),
    };
  });

/** A JSON value for a JSON Lines cell: numbers, strings, booleans, null, and the lists and objects that are not allowed. */
const jsonCell = fc.oneof(
  { weight: 4, arbitrary: fc.double() },
  { weight: 2, arbitrary: int(-3, 3) },
  { weight: 2, arbitrary: cellText },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.array(int(0, 3), { maxLength: 3 }),
      fc.dictionary(smallString, int(0, 3), { maxKeys: 2 }),
      fc.jsonValue({ maxDepth: 3 }),
    ),
  },
);

const RAW_JSON_LINES = [
  '{',
  '}',
  '{"x":',
  '{"x": 1,}',
  "{'x': 1}",
  '{x: 1}',
  'NaN',
  '{"x": NaN}',
  '{"x": Infinity}',
  '{"x": 1e400, "y": -1e400}',
  '{"x": 1}{"y": 2}',
  '{"x": 1} trailing',
  '[1, 2]',
  '[]',
  '[{"x": 1}]',
  '1',
  '"text"',
  'null',
  'true',
  '{"x": {"y": {"z": [1, [2, [3]]]}}}',
  '{"": 1}',
  '{" ": 1}',
  '{"x": 1, "x": 2}',
  '{"__proto__": 1, "y": 2}',
  '{"constructor": 1, "y": 2}',
  '{"a\\nb": 1, "y": 0}',
  '{"x": "\\ud800", "y": 1}',
  '\ufeff{"x": 1, "y": 2}',
  '{"x":1,"y":2}\u2028',
  '\u0000',
];

const jsonLine = fc.oneof(
  { weight: 8, arbitrary: fc.dictionary(headerName, jsonCell, { maxKeys: 5 }).map((object) => JSON.stringify(object)) },
  { weight: 2, arbitrary: fc.constantFrom(...RAW_JSON_LINES) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? '') },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\t', '\ufeff', '\r') },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
);

/** JSON Lines content: objects with odd keys and values, arrays, numbers, nested objects, broken JSON, blank lines, BOM. */
export const jsonLinesCaseArbitrary: fc.Arbitrary<DataCase> = fc
  .record({
    extension: fc.constantFrom(...JSON_LINES_EXTENSIONS),
    bom: fc.boolean(),
    lines: fc.array(fc.tuple(jsonLine, ending), { maxLength: 10 }),
    cut: fc.option(fc.nat(), { freq: 8 }),
    target: targetChoice,
  })
  .map((spec) => {
    let content = (spec.bom ? '\ufeff' : '') + spec.lines.map(([line, eol]) => line + eol).join('');
    if (spec.cut !== null) content = content.slice(0, spec.cut % (content.length + 1));
    // Targets picked from the first object's keys, when there is one.
    let keys: string[] = [];
    try {
      const first = JSON.parse(spec.lines[0]?.[0] ?? '') as unknown;
      if (first !== null && typeof first === 'object' && !Array.isArray(first)) keys = Object.keys(first);
    } catch {
      // Not an object line; targets fall back to plain names.
    }
    return {
      extension: spec.extension,
      content: content.slice(0, MAX_CONTENT),
      target: resolveTargets(keys, spec.target),
    };
  });

/** Files no table has: empty, a BOM, blank lines, header only, binary garbage, random text, unsupported extensions. */
export const oddFileCaseArbitrary: fc.Arbitrary<DataCase> = fc.record({
  extension: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...DATA_EXTENSIONS, ...JSON_LINES_EXTENSIONS) },
    { weight: 1, arbitrary: fc.constantFrom(...UNSUPPORTED_EXTENSIONS) },
  ),
  content: fc.oneof(
    fc.constantFrom(
      '',
      '\ufeff',
      '\n',
      '\r\n\r\n',
      ' \n\t\n',
      'x,y',
      'x,y\n',
      'x\ty\r\n',
      '{"x": 1, "y": 2}',
      '"x","y"\n\n\n',
      '\ufeff\ufeffx,y\n1,2\n',
      'x,y\n\0\0\0\n',
    ),
    fc.uint8Array({ maxLength: 512 }),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Uint8Array.from([0x78, 0x2c, 0x79, 0x0a, ...bytes])),
    fc.string({ unit: 'binary', maxLength: 300 }),
    syntaxText,
  ),
  target: fc.constantFrom(['y'], ['x'], ['missing'], ['x', 'y'], ['']),
});
