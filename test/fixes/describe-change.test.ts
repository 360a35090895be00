import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config/schema.js';
import { describeFixChange } from '../../src/fixes/describe-change.js';
import { FIX_SUMMARIES, FIXES } from '../../src/fixes/registry.js';
import type { FixContext } from '../../src/fixes/transform.js';
import { FIX_IDS, type FixId } from '../../src/symptoms/ids.js';
import { contextFor, diagnosedContext, exampleConfig, snapshot, withModelFile, type Example } from './fix-fixtures.js';

const SIGMOID_LAYERS = '0, 1, 2, 3, 4, 5, 6, 7';

function withClipNorm(config: Config, clipNorm: number | null): Config {
  return { ...config, training: { ...config.training, clipNorm } };
}

/** The run as diagnosed, or only its config (no trace, no findings). */
type Context = 'diagnosed' | 'config only';

function contextOf(example: Example, config: Config, context: Context): FixContext {
  return context === 'diagnosed' ? diagnosedContext(example, config) : contextFor(config);
}

interface Row {
  name: string;
  example: Example;
  fix: FixId;
  context: Context;
  /** Edits the example's config first. */
  edit?: (config: Config) => Config;
  /** The whole line. */
  line: string;
}

const nothing = (fix: FixId) => `nothing to change in this config (${FIX_SUMMARIES[fix]})`;

const rows: Row[] = [
  {
    name: 'normalize on raw Boston features',
    example: 'boston-unscaled',
    fix: 'normalize',
    context: 'diagnosed',
    line: 'data.normalize: none → standardize',
  },
  {
    name: 'normalize without a diagnosis says the same',
    example: 'boston-unscaled',
    fix: 'normalize',
    context: 'config only',
    line: 'data.normalize: none → standardize',
  },
  {
    name: 'clip with no trace: the default norm',
    example: 'boston-unscaled',
    fix: 'clip',
    context: 'config only',
    line: 'training.clipNorm: null → 1',
  },
  {
    name: 'clip on the exploded Boston run: still 1',
    example: 'boston-unscaled',
    fix: 'clip',
    context: 'diagnosed',
    line: 'training.clipNorm: null → 1',
  },
  {
    name: 'clip already set on a run that exploded: halved',
    example: 'boston-unscaled',
    fix: 'clip',
    context: 'diagnosed',
    edit: (config) => withClipNorm(config, 1),
    line: 'training.clipNorm: 1 → 0.5',
  },
  {
    name: 'search: the summary text',
    example: 'boston-unscaled',
    fix: 'search',
    context: 'diagnosed',
    line: FIX_SUMMARIES.search,
  },
  {
    name: 'search without a diagnosis: the summary text',
    example: 'deep-sigmoid',
    fix: 'search',
    context: 'config only',
    line: FIX_SUMMARIES.search,
  },
  {
    name: 'normalize on already standardized data: nothing to change',
    example: 'deep-sigmoid',
    fix: 'normalize',
    context: 'diagnosed',
    line: nothing('normalize'),
  },
  {
    name: 'activation on a ReLU model: nothing to change',
    example: 'boston-unscaled',
    fix: 'activation',
    context: 'diagnosed',
    line: nothing('activation'),
  },
  {
    name: 'clip already set on a run that did not explode: nothing to change',
    example: 'boston-unscaled',
    fix: 'clip',
    context: 'config only',
    edit: (config) => withClipNorm(config, 1),
    line: nothing('clip'),
  },
];

describe('describeFixChange', () => {
  it.each(rows)('$name', ({ example, fix, context, edit, line }) => {
    const config = (edit ?? ((same: Config) => same))(exampleConfig(example));
    expect(describeFixChange(fix, config, contextOf(example, config, context))).toBe(line);
  });

  describe('deep-sigmoid, activation: the same edit in many layers is grouped', () => {
    const config = exampleConfig('deep-sigmoid');
    const line = describeFixChange('activation', config, diagnosedContext('deep-sigmoid', config));
    const parts = line.split('; ');

    it('one group per edited key, the activation first', () => {
      expect(parts[0]).toBe(`activation: sigmoid → relu in model.layers ${SIGMOID_LAYERS}`);
      expect(parts).toHaveLength(new Set(parts.map((part) => part.split(':')[0])).size);
    });

    it('the ReLU layers get He initialization, grouped the same way', () => {
      expect(parts).toContain(`kernelInitializer: null → heNormal in model.layers ${SIGMOID_LAYERS}`);
    });

    it('the output layer (8) is not edited', () => {
      expect(line).not.toMatch(/model\.layers [\d, ]*\b8\b/);
      expect(line).not.toContain('model.layers.8');
    });

    it('no per-layer key path is spelled out', () => {
      expect(line).not.toMatch(/model\.layers\.\d/);
    });
  });

  it('a whole layer list: its key and the first sentence of why', () => {
    const config = exampleConfig('deep-sigmoid');
    const line = describeFixChange('batchnorm', config, diagnosedContext('deep-sigmoid', config));
    expect(line).toMatch(
      /^model\.layers: Batch normalization after dense_1, dense_2, .*dense_8, before their activations/,
    );
    expect(line).not.toContain('→');
    expect(line.endsWith('.')).toBe(true);
  });

  it('layers from a model file: the move into the config, then the new layer list, by their first sentences', () => {
    const config = exampleConfig('deep-sigmoid');
    const line = describeFixChange('activation', withModelFile(config), diagnosedContext('deep-sigmoid', config));
    const [moved, layers, ...rest] = line.split('; ');
    expect(moved).toMatch(/^model: The fix changes the model's layers, .*\/project\/model\.json is no longer read\.$/);
    expect(layers).toMatch(/^model\.layers: Hidden layers dense_1 \(sigmoid\), .*dense_8 \(sigmoid\) → relu/);
    expect(rest).toEqual([]);
  });

  describe('lr-schedule: values shown in YAML flow style', () => {
    const config = exampleConfig('boston-unscaled');

    it('without a range test: a decade down, and lr-find named', () => {
      const line = describeFixChange('lr-schedule', config, diagnosedContext('boston-unscaled', config));
      expect(line).toMatch(
        /^training\.learningRate: 0\.01 → 0\.001; training\.schedule: null → \{type: cosine, decaySteps: \d+, alpha: 0, warmupSteps: \d+\}/,
      );
      expect(line.endsWith(' (convdoc lr-find measures the rate)')).toBe(true);
    });

    it('with a range test: its rate, and no pointer to lr-find', () => {
      const context = contextFor(config, {
        learningRateTest: {
          suggested: 0.003,
          schedule: { type: 'cosine', decaySteps: 1300, alpha: 0, warmupSteps: 0 },
        },
        plannedSteps: config.training.epochs * 13,
      });
      const line = describeFixChange('lr-schedule', config, context);
      expect(line).toBe(
        'training.learningRate: 0.01 → 0.003; training.schedule: null → {type: cosine, decaySteps: 1300, alpha: 0, warmupSteps: 0}',
      );
    });
  });

  it('says exactly what the transform changes: one part per change or per grouped layer edit', () => {
    for (const example of ['boston-unscaled', 'deep-sigmoid', 'iris-healthy'] as const) {
      const config = exampleConfig(example);
      const context = diagnosedContext(example, config);
      for (const fix of FIX_IDS) {
        const { transform } = FIXES.definition(fix);
        const line = describeFixChange(fix, config, context);
        if (transform === 'none') {
          expect(line).toBe(FIX_SUMMARIES[fix]);
          continue;
        }
        const { changes } = transform.apply(config, context);
        if (changes.length === 0) expect(line).toBe(nothing(fix));
        else
          for (const change of changes.filter((entry) => entry.path.length !== 4))
            expect(line).toContain(`${change.path.join('.')}:`);
      }
    }
  });

  it('leaves the config and context alone', () => {
    const config = exampleConfig('deep-sigmoid');
    const context = diagnosedContext('deep-sigmoid', config);
    const before = snapshot({ config, context });
    for (const fix of FIX_IDS) describeFixChange(fix, config, context);
    expect({ config, context }).toEqual(before);
  });
});
