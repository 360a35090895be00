/** The six fixes of docs/ids.md: what each one changes, in the words reports use. */
import type { FixId } from '../symptoms/ids.js';

export const FIX_SUMMARIES: Record<FixId, string> = {
  normalize:
    'standardize features with training-set statistics (data.normalize: standardize); scale a regression target too when it is the problem',
  'lr-schedule': 'set the initial learning rate from an LR range test and add a decay schedule (training.schedule)',
  clip: 'clip the global gradient norm between computing and applying gradients (training.clipNorm: 1.0)',
  activation:
    'replace hidden sigmoid/tanh activations with ReLU (LeakyReLU 0.01 where units die); the output layer stays',
  batchnorm: 'insert batchNormalization after each hidden dense/conv layer, before its activation',
  search: 'search learning rate, batch size and optimizer under a probe budget (convdoc search)',
};

/**
 * Root cause first: fixing the data (normalize) or the architecture removes what the optimizer
 * settings only work around, and clipping or searching hides symptoms rather than curing them.
 */
export const FIX_PRIORITY: readonly FixId[] = ['normalize', 'activation', 'batchnorm', 'lr-schedule', 'clip', 'search'];
