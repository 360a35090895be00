import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { normalizeFix } from '../../src/fixes/normalize.js';
import type { Finding } from '../../src/symptoms/finding.js';
import { unscaledInputs } from '../../src/symptoms/unscaled-inputs.js';
import { unscaledTarget } from '../../src/symptoms/unscaled-target.js';
import { BOSTON_FEATURES, column, input } from '../symptoms/data-summary.js';
import { applyTwice, contextFor, exampleConfig, snapshot, withModelFile, type Example } from './fix-fixtures.js';

/** The real findings for Boston's raw features (tax RMS 442) and for a target in dollars. */
const bostonUnscaled = unscaledInputs.detect(input({ featureStats: BOSTON_FEATURES }));
const priceInDollars = unscaledTarget.detect(
  input({ targetStats: [column({ name: 'price', mean: 180_000, std: 80_000 })] }),
);

interface Row {
  name: string;
  example: Example;
  /** data.normalize as the config has it (the example's value unless set). */
  normalize?: Config['data']['normalize'];
  findings: Finding[];
  /** The new data.normalize, or null when the fix leaves it. */
  to: 'standardize' | null;
  /** The new data.normalizeTarget, when an unscaled-target finding asks for it. */
  target?: 'standardize';
  /** Evidence the why must name. */
  why?: RegExp[];
}

const rows: Row[] = [
  {
    name: 'Boston raw features with the unscaled-inputs finding',
    example: 'boston-unscaled',
    findings: bostonUnscaled,
    to: 'standardize',
    why: [
      /largest feature RMS, sqrt\(mean² \+ std²\), of tax 442, limit 10/,
      /worst: tax, b, age/,
      /training-set mean and standard deviation/,
    ],
  },
  {
    name: 'Boston raw features without findings (say, `convdoc fix --apply normalize`)',
    example: 'boston-unscaled',
    findings: [],
    to: 'standardize',
    why: [/fed unscaled/],
  },
  {
    name: 'the adding problem, normalize left at its default none',
    example: 'exploding-rnn',
    findings: [],
    to: 'standardize',
  },
  { name: 'already standardized features', example: 'boston-standardized', findings: [], to: null },
  {
    name: 'min-max scaled features keep min-max',
    example: 'boston-standardized',
    normalize: 'minmax',
    findings: [],
    to: null,
  },
  {
    name: 'standardized features with an unscaled target: the target is standardized too',
    example: 'boston-standardized',
    findings: priceInDollars,
    to: null,
    target: 'standardize',
  },
  {
    name: 'unscaled features and target: both are standardized',
    example: 'boston-unscaled',
    findings: [...bostonUnscaled, ...priceInDollars],
    to: 'standardize',
    target: 'standardize',
  },
];

describe('normalize fix', () => {
  it('the real detectors produce the findings the table uses', () => {
    expect(bostonUnscaled.map((finding) => finding.symptom)).toEqual(['unscaled-inputs']);
    expect(priceInDollars.map((finding) => finding.symptom)).toEqual(['unscaled-target']);
  });

  it.each(rows)('$name', ({ example, normalize, findings, to, target, why }) => {
    const loaded = exampleConfig(example);
    const config: Config = normalize === undefined ? loaded : { ...loaded, data: { ...loaded.data, normalize } };
    const before = snapshot(config);
    const { first, second } = applyTwice(normalizeFix, config, contextFor(config, { findings }));
    expect(config).toEqual(before);

    if (to === null && target === undefined) {
      expect(first.changes).toEqual([]);
      expect(first.config).toBe(config);
    } else {
      const expected = [
        ...(to === null ? [] : [{ path: ['data', 'normalize'], from: 'none', to, why: expect.any(String) }]),
        ...(target === undefined
          ? []
          : [
              {
                path: ['data', 'normalizeTarget'],
                from: 'none',
                to: target,
                why: expect.stringContaining('The target is far from unit scale'),
              },
            ]),
      ];
      expect(first.config).toEqual({
        ...config,
        data: {
          ...config.data,
          ...(to === null ? {} : { normalize: to }),
          ...(target === undefined ? {} : { normalizeTarget: target }),
        },
      });
      expect(first.changes).toEqual(expected);
      for (const pattern of why ?? []) expect(first.changes[0]!.why).toMatch(pattern);
    }
    // Idempotent: the second application finds the features scaled and changes nothing.
    expect(second.changes).toEqual([]);
    expect(second.config).toEqual(first.config);
    // Only data.normalize may differ: model, training and probe are the config's own.
    expect(first.config.model).toBe(config.model);
    expect(first.config.training).toBe(config.training);
  });

  it('leaves a model file where it is (normalize does not touch the model)', () => {
    const config = withModelFile(exampleConfig('boston-unscaled'));
    const result = normalizeFix.apply(
      config,
      contextFor(config, { layers: exampleConfig('boston-unscaled').model.layers! }),
    );
    expect(result.config.model).toEqual({ file: '/project/model.json' });
    expect(result.changes.map((change) => change.path)).toEqual([['data', 'normalize']]);
  });
});
