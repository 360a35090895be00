/** The six fixes as TensorFlow.js code. */
import {
  codeNumber,
  hiddenWeightedLayers,
  nameList,
  rateNote,
  rateText,
  squashingLayers,
  type CodeWriters,
} from './code-context.js';

export const TFJS_CODE: CodeWriters = {
  normalize: () =>
    [
      'const { mean, variance } = tf.moments(xTrain, 0);  // training rows only',
      'const scale = (x) => x.sub(mean).div(variance.sqrt().add(1e-7));',
    ].join('\n'),
  'lr-schedule': (context) =>
    [
      `const lr0 = ${rateText(context, 'lr')}, total = ${context.steps ?? 'totalSteps'};  // cosine decay${rateNote(context)}`,
      'const optimizer = tf.train.sgd(lr0);  // tfjs has no schedules: set the rate per batch',
      'let step = 0;',
      'const callbacks = { onBatchEnd: () => { optimizer.setLearningRate(lr0 * 0.5 * (1 + Math.cos(Math.PI * Math.min(++step, total) / total))); } };',
    ].join('\n'),
  clip: (context) =>
    [
      '// tfjs optimizers do not clip: scale the gradients to a global norm of at most clipNorm',
      `const clipNorm = ${codeNumber(context.clipNorm ?? 1)};`,
      'const { grads } = tf.variableGrads(lossFn);',
      'const norm = tf.sqrt(tf.addN(Object.values(grads).map((g) => g.square().sum()))).dataSync()[0];',
      'optimizer.applyGradients(Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, g.mul(Math.min(1, clipNorm / norm))])));',
    ].join('\n'),
  activation: (context) => {
    const layers = squashingLayers(context);
    return layers.length === 0
      ? 'tf.layers.leakyReLU({ alpha: 0.01 })  // after each hidden layer whose ReLU units die'
      : `tf.layers.leakyReLU({ alpha: 0.01 })  // after ${nameList(layers)}, in place of their sigmoid/tanh (activation: 'linear')`;
  },
  batchnorm: (context) => {
    const layers = hiddenWeightedLayers(context).map(({ layer }) => layer);
    return `tf.layers.batchNormalization()  // after ${layers.length === 0 ? 'each hidden dense/conv layer' : nameList(layers)}, before its activation`;
  },
  search: () => '// no single edit: convdoc search <config> samples the learning rate, batch size and optimizer',
};
