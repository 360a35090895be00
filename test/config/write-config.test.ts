import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { FIX_NOTE_WIDTH, writeFixedConfig, type AppliedFix } from '../../src/config/writer/write-config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const GOLDEN = path.join(import.meta.dirname, 'golden');
/** `UPDATE_GOLDEN=1 npx vitest run test/config/write-config.test.ts` rewrites the golden files; read the diff before keeping it. */
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';

const example = (name: string) => path.join(ROOT, 'examples', name, 'convdoc.yaml');
const dense = (units: number, activation?: string) =>
  activation === undefined ? { type: 'dense', units } : { type: 'dense', units, activation };

/** A model exported from Keras: `model.file`, blank lines between sections, 4-space indentation, no `training:`. */
const MODEL_FILE_CONFIG = `# A regression model exported from Keras, probed with convdoc's defaults.
version: 1
name: exported

data:
    train: data/train.csv   # relative to this file
    target: price
    normalize: standardize

# The architecture comes from the exported file.
model:
    file: model.json

probe:
    steps: 200
# seeds: 3
`;

interface GoldenCase {
  name: string;
  file: string;
  text: string;
  applied: AppliedFix[];
}

const GOLDEN_CASES: GoldenCase[] = [
  {
    name: 'boston-unscaled',
    file: example('boston-unscaled'),
    text: readFileSync(example('boston-unscaled'), 'utf8'),
    applied: [
      {
        fix: 'normalize',
        changes: [
          {
            path: ['data', 'normalize'],
            from: 'none',
            to: 'standardize',
            why: 'features span five orders of magnitude; scale them with training-set mean and std',
          },
        ],
      },
      {
        fix: 'batchnorm',
        changes: [
          {
            path: ['model', 'layers'],
            from: [dense(64, 'relu'), dense(64, 'relu'), dense(1)],
            to: [
              dense(64),
              { type: 'batchNormalization' },
              { type: 'activation', activation: 'relu' },
              dense(64),
              { type: 'batchNormalization' },
              { type: 'activation', activation: 'relu' },
              dense(1),
            ],
            why: 'batchNormalization after each hidden dense layer, before its activation',
          },
        ],
      },
      {
        fix: 'clip',
        changes: [{ path: ['training', 'clipNorm'], from: null, to: 1, why: 'clip the global gradient norm at 1.0' }],
      },
    ],
  },
  {
    name: 'deep-sigmoid',
    file: example('deep-sigmoid'),
    text: readFileSync(example('deep-sigmoid'), 'utf8'),
    applied: [
      {
        fix: 'activation',
        changes: [
          {
            path: ['model', 'layers'],
            from: [...Array.from({ length: 8 }, () => dense(32, 'sigmoid')), dense(1, 'sigmoid')],
            to: [...Array.from({ length: 8 }, () => dense(32, 'relu')), dense(1, 'sigmoid')],
            why: 'hidden sigmoid → relu, so gradients do not shrink 4x per layer; the output layer stays',
          },
        ],
      },
      {
        fix: 'lr-schedule',
        changes: [
          { path: ['training', 'learningRate'], from: 0.1, to: 0.03, why: 'the LR range test' },
          {
            path: ['training', 'schedule'],
            from: null,
            to: { type: 'cosine', decaySteps: 3000 },
            why: 'decay the rate over the run',
          },
        ],
      },
    ],
  },
  {
    name: 'model-file',
    file: '/project/convdoc.yaml',
    text: MODEL_FILE_CONFIG,
    applied: [
      {
        fix: 'batchnorm',
        changes: [
          {
            path: ['model', 'layers'],
            from: [dense(16, 'relu'), dense(1)],
            to: [dense(16), { type: 'batchNormalization' }, { type: 'activation', activation: 'relu' }, dense(1)],
            why: 'the layers of model.json, with batchNormalization before the hidden activation',
          },
        ],
      },
      {
        fix: 'clip',
        changes: [{ path: ['training', 'clipNorm'], from: null, to: 1, why: 'clip the global gradient norm at 1.0' }],
      },
    ],
  },
];

describe('writeFixedConfig: golden files', () => {
  it.each(GOLDEN_CASES)(
    '$name: the whole output text matches test/config/golden/$name.yaml',
    ({ name, file, text, applied }) => {
      const output = writeFixedConfig(parseConfig(text, file), applied);
      const golden = path.join(GOLDEN, `${name}.yaml`);
      if (UPDATE) writeFileSync(golden, output);
      expect(output).toBe(readFileSync(golden, 'utf8'));
    },
  );

  it.each(GOLDEN_CASES)('$name: the output validates and holds every change', ({ file, text, applied }) => {
    const output = writeFixedConfig(parseConfig(text, file), applied);
    const { config } = parseConfig(output, file);
    for (const { changes } of applied) {
      for (const change of changes) {
        let value: unknown = config;
        for (const segment of change.path) value = (value as Record<string | number, unknown>)[segment];
        if (typeof change.to === 'object' && change.to !== null && !Array.isArray(change.to))
          expect(value).toMatchObject(change.to);
        else expect(value).toEqual(change.to);
      }
    }
  });

  it.each(GOLDEN_CASES)('$name: every comment of the input is still there, in order', ({ file, text, applied }) => {
    const output = writeFixedConfig(parseConfig(text, file), applied);
    const comments = (yaml: string) =>
      yaml
        .split('\n')
        .flatMap((line) => (/#(?! convdoc fix )/.test(line) ? [line.slice(line.indexOf('#')).trim()] : []))
        // A changed value's comment is marked with the value it was written for; the text stays.
        .map((comment) => comment.replace(/^# \(was [^)]*\)/, '#'));
    expect(comments(output)).toEqual(comments(text));
  });

  it.each(GOLDEN_CASES)('$name: applying the same fixes to the output changes nothing', ({ file, text, applied }) => {
    const output = writeFixedConfig(parseConfig(text, file), applied);
    expect(writeFixedConfig(parseConfig(output, file), applied)).toBe(output);
  });

  it('boston-unscaled: each fix comment names its fix and sits on or above the key it changed', () => {
    const { file, text, applied } = GOLDEN_CASES[0]!;
    const lines = writeFixedConfig(parseConfig(text, file), applied).split('\n');
    const at = (prefix: string) => lines.findIndex((line) => line.startsWith(prefix));
    // The user's own comment on normalize stays beside it (in its column), so the note goes above;
    // it described the old value, so it says which (issue 15: it read as if standardize were the bug).
    expect(lines[at('  normalize:') - 1]).toMatch(/^ {2}# convdoc fix normalize: /);
    expect(lines[at('  normalize:')]).toBe(
      '  normalize: standardize     # (was none) the bug: features span five orders of magnitude',
    );
    // A block list: the note goes above the key.
    expect(lines[at('  layers:') - 1]).toMatch(/^ {2}# convdoc fix batchnorm: /);
    // A new scalar with room on its line: the note goes beside it.
    expect(lines[at('  clipNorm:')]).toBe('  clipNorm: 1.0  # convdoc fix clip: clip the global gradient norm at 1.0');
  });
});

describe('writeFixedConfig', () => {
  const MINIMAL = `# no training section
version: 1
data:
  train: data.csv
  target: y   # the label column
model:
  layers:
    - {type: dense, units: 1}
`;

  it('never changes the caller’s document or config', () => {
    const { file, text, applied } = GOLDEN_CASES[0]!;
    const loaded = parseConfig(text, file);
    const [documentBefore, configBefore] = [loaded.document.toString(), structuredClone(loaded.config)];
    writeFixedConfig(loaded, applied);
    expect(loaded.document.toString()).toBe(documentBefore);
    expect(loaded.config).toEqual(configBefore);
    // Writing twice from the same loaded config gives the same text.
    expect(writeFixedConfig(loaded, applied)).toBe(writeFixedConfig(loaded, applied));
  });

  it('creates the training section when the config has none', () => {
    const output = writeFixedConfig(parseConfig(MINIMAL, '/p/convdoc.yaml'), [
      {
        fix: 'clip',
        changes: [{ path: ['training', 'clipNorm'], from: null, to: 1, why: 'clip the global gradient norm at 1.0' }],
      },
    ]);
    expect(output).toBe(
      `${MINIMAL}training:\n  clipNorm: 1.0  # convdoc fix clip: clip the global gradient norm at 1.0\n`,
    );
    expect(parseConfig(output, '/p/convdoc.yaml').config.training.clipNorm).toBe(1);
  });

  it.each(readdirSync(path.join(ROOT, 'examples')))(
    'returns %s unchanged, byte for byte, when there is nothing to change',
    (name) => {
      const text = readFileSync(example(name), 'utf8');
      const loaded = parseConfig(text, example(name));
      expect(writeFixedConfig(loaded, [])).toBe(text);
      expect(writeFixedConfig(loaded, [{ fix: 'normalize', changes: [] }])).toBe(text);
    },
  );

  it('leaves a change that restates the current value alone (a relative path the config resolved, a default)', () => {
    const loaded = parseConfig(MINIMAL, '/p/convdoc.yaml');
    const output = writeFixedConfig(loaded, [
      {
        fix: 'normalize',
        changes: [
          { path: ['data', 'train'], from: '/p/data.csv', to: '/p/data.csv', why: 'unchanged' },
          { path: ['training', 'clipValue'], from: null, to: null, why: 'the default' },
        ],
      },
    ]);
    expect(output).toBe(MINIMAL);
  });

  it('returns JSON for a JSON config, changes applied, key order and indentation kept', () => {
    const json = `{
    "version": 1,
    "data": { "train": "train.csv", "target": "y", "normalize": "none" },
    "model": { "layers": [{ "type": "dense", "units": 1 }] }
}
`;
    const output = writeFixedConfig(parseConfig(json, '/p/convdoc.json'), [
      {
        fix: 'normalize',
        changes: [{ path: ['data', 'normalize'], from: 'none', to: 'standardize', why: 'scale the features' }],
      },
      { fix: 'clip', changes: [{ path: ['training', 'clipNorm'], from: null, to: 1, why: 'clip' }] },
    ]);
    expect(output).not.toContain('#');
    expect(output.startsWith('{\n    "version": 1,\n')).toBe(true);
    expect(JSON.parse(output)).toEqual({
      version: 1,
      data: { train: 'train.csv', target: 'y', normalize: 'standardize' },
      model: { layers: [{ type: 'dense', units: 1 }] },
      training: { clipNorm: 1 },
    });
    expect(parseConfig(output, '/p/convdoc.json').config.data.normalize).toBe('standardize');
  });

  it('puts a note above the key when it would make the line too long, or when several fixes changed the key', () => {
    const long = 'x'.repeat(FIX_NOTE_WIDTH);
    const output = writeFixedConfig(parseConfig(MINIMAL, '/p/convdoc.yaml'), [
      { fix: 'clip', changes: [{ path: ['training', 'clipNorm'], from: null, to: 0.5, why: long }] },
      {
        fix: 'lr-schedule',
        changes: [{ path: ['training', 'learningRate'], from: 0.001, to: 0.01, why: 'the LR range test' }],
      },
      { fix: 'search', changes: [{ path: ['training', 'learningRate'], from: 0.01, to: 0.003, why: 'searched' }] },
    ]);
    expect(output).toContain(
      [
        'training:',
        '  # convdoc fix lr-schedule: the LR range test',
        '  # convdoc fix search: searched',
        '  learningRate: 0.003',
        `  # convdoc fix clip: ${long}`,
        '  clipNorm: 0.5',
        '',
      ].join('\n'),
    );
  });

  it('keeps a changed value’s style and trailing comment, and edits list items in place', () => {
    const text = `version: 1
data: {train: d.csv, target: y}
model:
  layers:   # two layers
  - {type: dense, units: 8, activation: sigmoid}   # hidden
  - {type: dense, units: 1}
training:
  optimizer: 'sgd'
  learningRate: 1e-5      # tiny
`;
    const output = writeFixedConfig(parseConfig(text, '/p/c.yaml'), [
      {
        fix: 'activation',
        changes: [{ path: ['model', 'layers', 0, 'activation'], from: 'sigmoid', to: 'relu', why: 'relu' }],
      },
      {
        fix: 'search',
        changes: [
          { path: ['training', 'optimizer'], from: 'sgd', to: 'adam', why: 'searched' },
          { path: ['training', 'learningRate'], from: 1e-5, to: 0.0003, why: 'searched' },
          { path: ['data', 'normalize'], from: 'none', to: 'standardize', why: 'scale' },
        ],
      },
    ]);
    // A key inside a flow mapping is commented on the line that holds the mapping; an item with
    // a comment of the user's gets the note above it.
    expect(output).toBe(`version: 1
data: {train: d.csv, target: y, normalize: standardize}  # convdoc fix search: scale
model:
  layers:   # two layers
  # convdoc fix activation: relu
  - {type: dense, units: 8, activation: relu}   # hidden
  - {type: dense, units: 1}
training:
  optimizer: 'adam'  # convdoc fix search: searched
  # convdoc fix search: searched
  learningRate: 3e-4      # (was 1e-5) tiny
`);
  });
});
