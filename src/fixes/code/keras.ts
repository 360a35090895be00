/** The six fixes as Keras code. */
import {
  codeNumber,
  hiddenWeightedLayers,
  nameList,
  rateNote,
  rateText,
  squashingLayers,
  type CodeWriters,
} from './code-context.js';

export const KERAS_CODE: CodeWriters = {
  normalize: () =>
    [
      'norm = keras.layers.Normalization()',
      "norm.adapt(x_train)  # training rows only; make norm the model's first layer",
    ].join('\n'),
  'lr-schedule': (context) =>
    [
      `schedule = keras.optimizers.schedules.CosineDecay(initial_learning_rate=${rateText(context, 'lr')}, decay_steps=${context.steps ?? 'total_steps'})`,
      `optimizer = keras.optimizers.SGD(learning_rate=schedule)  # your optimizer, this schedule${rateNote(context)}`,
    ].join('\n'),
  clip: (context) =>
    `optimizer = keras.optimizers.SGD(learning_rate=lr, clipnorm=${codeNumber(context.clipNorm ?? 1)})  # your optimizer, clipnorm added`,
  activation: (context) => {
    const layers = squashingLayers(context);
    return layers.length === 0
      ? 'keras.layers.LeakyReLU(0.01)  # after each hidden layer whose ReLU units die'
      : `keras.layers.LeakyReLU(0.01)  # after ${nameList(layers)}, in place of their sigmoid/tanh (activation=None)`;
  },
  batchnorm: (context) => {
    const layers = hiddenWeightedLayers(context).map(({ layer }) => layer);
    return `keras.layers.BatchNormalization()  # after ${layers.length === 0 ? 'each hidden Dense/Conv' : nameList(layers)}, before its activation`;
  },
  search: () =>
    '# no single edit: keras_tuner.RandomSearch over learning_rate (log scale), batch_size and the optimizer',
};
