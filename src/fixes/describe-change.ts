/**
 * What each fix would change in this config, in one line, for the report: the keys and values of
 * design.md's fix descriptions applied to the user's own run. (`convdoc fix` writes the changes.)
 */
import type { Config } from '../config/schema.js';
import type { LayerSpec } from '../model/layer-spec.js';
import type { FixId } from '../symptoms/ids.js';

/** Activations the `activation` fix replaces in hidden layers (design.md: sigmoid/tanh → ReLU). */
const SQUASHING = new Set(['sigmoid', 'tanh']);
const WEIGHTED = new Set(['dense', 'conv1d', 'conv2d']);

export function describeFixChange(fix: FixId, config: Config, layers: readonly LayerSpec[], layerKey: (index: number) => string): string {
  const hidden = layers.slice(0, -1).map((layer, index) => ({ layer, key: layerKey(index) }));
  switch (fix) {
    case 'normalize':
      return config.data.normalize === 'none'
        ? 'data.normalize: none → standardize (training-set mean and std, reused on validation rows)'
        : `keep data.normalize: ${config.data.normalize}, and scale the target with training-set statistics`;
    case 'lr-schedule':
      return `training.learningRate: ${config.training.learningRate} → the rate an LR range test suggests (convdoc lr-find), and training.schedule: ${config.training.schedule === null ? 'null' : config.training.schedule.type} → {type: cosine}`;
    case 'clip':
      return `training.clipNorm: ${config.training.clipNorm ?? 'null'} → 1.0 (clip the global gradient norm)`;
    case 'activation': {
      const squashing = hidden.filter(({ layer }) => typeof layer['activation'] === 'string' && SQUASHING.has(layer['activation']));
      return squashing.length === 0
        ? 'ReLU layers whose units die → LeakyReLU (alpha 0.01); the output layer stays'
        : `activation sigmoid/tanh → relu (He initialization) in ${squashing.map(({ key }) => key).join(', ')}; the output layer stays`;
    }
    case 'batchnorm': {
      const weighted = hidden.filter(({ layer }) => WEIGHTED.has(layer.type));
      return `insert {type: batchNormalization} after ${weighted.length === 0 ? 'each hidden dense/conv layer' : weighted.map(({ key }) => key).join(', ')}, before the activation`;
    }
    case 'search':
      return 'search learning rate (log scale), batch size and optimizer under a probe budget (convdoc search)';
  }
}
