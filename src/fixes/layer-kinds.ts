/**
 * The kinds of layers the layer fixes (`activation`, `batchnorm`) tell apart, on a layer list and on
 * a graph alike, and the values they write.
 */
import type { LayerSpec } from '../model/layer-spec.js';

/** Layers with a kernel whose activation is applied in the layer itself: the dense/conv layers of docs/ids.md. */
export const WEIGHTED_LAYERS: ReadonlySet<string> = new Set([
  'dense',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'separableConv2d',
  'depthwiseConv2d',
]);

/** Layers between a weighted layer and its activation that do not change which activation it is. */
export const TRANSPARENT_LAYERS: ReadonlySet<string> = new Set([
  'batchNormalization',
  'layerNormalization',
  'dropout',
  'spatialDropout1d',
  'gaussianNoise',
  'gaussianDropout',
  'alphaDropout',
  'flatten',
  'reshape',
  'permute',
]);

/** docs/ids.md: sigmoid/tanh in hidden layers are what the fix replaces. */
export const SQUASHING: ReadonlySet<string> = new Set(['sigmoid', 'tanh']);
/** He et al. 2015 ("Delving Deep into Rectifiers"): Var(w) = 2 / fan_in keeps the signal variance through ReLU layers. */
export const RELU_INITIALIZER = 'heNormal';
/** Maas, Hannun & Ng 2013 ("Rectifier Nonlinearities Improve Neural Network Acoustic Models") use 0.01; docs/ids.md too. */
export const LEAKY_ALPHA = 0.01;

/** A weighted layer's activation: the tfjs default for dense/conv layers is linear. */
export function activationOf(layer: LayerSpec): string {
  return typeof layer['activation'] === 'string' ? layer['activation'] : 'linear';
}

/** The spec without some keys (a copy; specs are never mutated). */
export function without(layer: LayerSpec, ...keys: string[]): LayerSpec {
  const copy: LayerSpec = { ...layer };
  for (const key of keys) delete copy[key];
  return copy;
}

/** Which initializer keys a weighted layer has for its kernel(s). */
export function kernelInitializerKeys(type: string): string[] {
  if (type === 'separableConv2d') return ['depthwiseInitializer', 'pointwiseInitializer'];
  if (type === 'depthwiseConv2d') return ['depthwiseInitializer'];
  return ['kernelInitializer'];
}

/** A reLU layer, or an activation layer applying relu. */
export function isReluLayer(layer: LayerSpec): boolean {
  return layer.type === 'reLU' || (layer.type === 'activation' && layer['activation'] === 'relu');
}
