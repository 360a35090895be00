/**
 * The layer types convdoc builds: tfjs-layers factories by their camelCase config name. Anything
 * else (Lambda, custom layers) is refused with a message naming it.
 */

/** Layers built as they are, by their tfjs-layers factory. */
export const LAYER_TYPES = [
  'dense',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'separableConv2d',
  'depthwiseConv2d',
  'conv3d',
  'conv3dTranspose',
  'maxPooling1d',
  'maxPooling2d',
  'maxPooling3d',
  'averagePooling1d',
  'averagePooling2d',
  'averagePooling3d',
  'globalAveragePooling1d',
  'globalAveragePooling2d',
  'globalMaxPooling1d',
  'globalMaxPooling2d',
  'flatten',
  'reshape',
  'permute',
  'repeatVector',
  'zeroPadding2d',
  'upSampling2d',
  'cropping2D',
  'dropout',
  'spatialDropout1d',
  'gaussianNoise',
  'gaussianDropout',
  'alphaDropout',
  'batchNormalization',
  'layerNormalization',
  'activation',
  'reLU',
  'leakyReLU',
  'elu',
  'softmax',
  'prelu',
  'thresholdedReLU',
  'simpleRNN',
  'lstm',
  'gru',
  'convLstm2d',
  'embedding',
  'add',
  'subtract',
  'multiply',
  'average',
  'maximum',
  'minimum',
  'concatenate',
  'dot',
  'bidirectional',
  'timeDistributed',
  'rescaling',
  // Not 'resizing': tfjs-layers' Resizing computes its output shape without the batch axis, so no layer fits after it.
  'centerCrop',
  'masking',
] as const;

/** Layers that wrap another layer, given as a layer spec under `layer`. */
export const WRAPPER_LAYERS: ReadonlySet<string> = new Set(['bidirectional', 'timeDistributed']);

/** Recurrent layers: their activation is applied inside the cell at every time step. */
export const RECURRENT_LAYERS: ReadonlySet<string> = new Set(['simpleRNN', 'lstm', 'gru', 'convLstm2d']);

/** Layers that pass values through unchanged or only rearranged: their statistics repeat the layer before. */
export const PASS_THROUGH_LAYERS: ReadonlySet<string> = new Set([
  'flatten',
  'reshape',
  'permute',
  'repeatVector',
  'dropout',
  'spatialDropout1d',
  'gaussianNoise',
  'gaussianDropout',
  'alphaDropout',
]);

/** Layers that are an activation, and which activation they apply. */
export const ACTIVATION_LAYERS: Readonly<Record<string, (config: Record<string, unknown>) => string>> = {
  activation: (config) => (typeof config['activation'] === 'string' ? config['activation'] : 'linear'),
  reLU: () => 'relu',
  leakyReLU: () => 'leakyRelu',
  elu: () => 'elu',
  softmax: () => 'softmax',
  prelu: () => 'prelu',
  thresholdedReLU: () => 'thresholdedRelu',
};
