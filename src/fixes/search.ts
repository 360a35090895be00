/** search: no config transform (`convdoc search` runs its own trials), only its code. */
import type { FixCodeWriters } from './code/code-context.js';

/** search as the change a user makes in a PyTorch, Keras or TensorFlow.js training script (`recommendedFixes[].code`). */
export const searchCode: FixCodeWriters = {
  pytorch: () =>
    '# no single edit: search lr (log-uniform 1e-5..1e-1), batch size (8..128) and the optimizer, e.g. with Optuna',
  keras: () =>
    '# no single edit: keras_tuner.RandomSearch over learning_rate (log scale), batch_size and the optimizer',
  tfjs: () => '// no single edit: convdoc search <config> samples the learning rate, batch size and optimizer',
};
