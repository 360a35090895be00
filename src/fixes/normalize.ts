/**
 * The `normalize` fix (docs/ids.md): standardize the features with training-set statistics, which
 * the data pipeline saves and reuses on validation rows (data.normalize: standardize).
 *
 * Rule: `data.normalize: none → standardize`. Standardizing (zero mean, unit variance per feature)
 * is LeCun, Bottou, Orr & Müller 1998 ("Efficient BackProp", §4.3): inputs on one scale let one
 * learning rate suit every first-layer weight. A config that already standardizes or min-max scales
 * keeps its choice: for the features the fix is then a no-op (idempotent).
 *
 * When `unscaled-target` fired, the regression target is standardized too (data.normalizeTarget),
 * so the loss and its gradients no longer scale with the target's units.
 */
import type { Config } from '../config/schema.js';
import { embeddingInput } from '../model/embedding-input.js';
import type { Finding } from '../symptoms/finding.js';
import { formatNumber } from '../util/format.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { FixContext, FixResult, FixTransform } from './transform.js';
import type { FixCodeWriters } from './code/code-context.js';

const NORMALIZE_TO = 'standardize' as const;

export const normalizeFix: FixTransform = {
  apply(config: Config, context: FixContext): FixResult {
    const changes: ConfigChange[] = [];
    // Token ids feeding an Embedding are indices: scaling them would look up other tokens.
    if (config.data.normalize === 'none' && embeddingInput(context.layers) === undefined)
      changes.push({
        path: ['data', 'normalize'],
        from: config.data.normalize,
        to: NORMALIZE_TO,
        why: why(context.findings),
      });
    const target = context.findings.find((finding) => finding.symptom === 'unscaled-target');
    if (target !== undefined && config.data.normalizeTarget === 'none') {
      changes.push({
        path: ['data', 'normalizeTarget'],
        from: config.data.normalizeTarget,
        to: NORMALIZE_TO,
        why:
          `The target is far from unit scale (${target.evidence.what} ` +
          `${formatNumber(target.evidence.measured)}, limit ${formatNumber(target.evidence.threshold)}): ` +
          'standardize it with training-set statistics; losses are then in scaled units, ' +
          'and the report converts them back.',
      });
    }
    const fixed: Config =
      changes.length === 0
        ? config
        : {
            ...config,
            data: {
              ...config.data,
              ...Object.fromEntries(changes.map((change): [string, unknown] => [String(change.path[1]), change.to])),
            },
          };
    return { config: fixed, changes };
  },
};

function differentScales({ evidence, columns }: Finding): string {
  const worst = columns === undefined || columns.length === 0 ? '' : `; worst: ${columns.slice(0, 3).join(', ')}`;
  return (
    `The features are on different scales (${evidence.what} ${formatNumber(evidence.measured)}, ` +
    `limit ${formatNumber(evidence.threshold)}${worst})`
  );
}

function why(findings: readonly Finding[]): string {
  const unscaled = findings.find((finding) => finding.symptom === 'unscaled-inputs');
  const measured = unscaled === undefined ? 'The features are fed unscaled' : differentScales(unscaled);
  return (
    `${measured}: standardize each with the training-set mean and standard deviation, reused on validation rows, ` +
    'so that one learning rate suits every first-layer weight (LeCun et al. 1998, Efficient BackProp).'
  );
}

/** normalize as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const normalizeCode: FixCodeWriters = {
  pytorch: () =>
    [
      'from sklearn.preprocessing import StandardScaler',
      'scaler = StandardScaler().fit(x_train)  # training rows only, reused on validation and test',
      'x_train, x_val = scaler.transform(x_train), scaler.transform(x_val)',
      "# images: transforms.Normalize(mean, std) with the training set's per-channel mean and std",
    ].join('\n'),
  keras: () =>
    [
      'norm = keras.layers.Normalization()',
      "norm.adapt(x_train)  # training rows only; make norm the model's first layer",
    ].join('\n'),
  tfjs: () =>
    [
      'const { mean, variance } = tf.moments(xTrain, 0);  // training rows only',
      'const scale = (x) => x.sub(mean).div(variance.sqrt().add(1e-7));',
    ].join('\n'),
};
