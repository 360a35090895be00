/** The symptom and fix ids of shared/design.md: the vocabulary of findings and reports. */

export const FIX_IDS = ['normalize', 'lr-schedule', 'clip', 'activation', 'batchnorm', 'search'] as const;
export type FixId = (typeof FIX_IDS)[number];

export const SYMPTOM_IDS = [
  // training dynamics
  'nan-loss',
  'exploding-gradients',
  'vanishing-gradients',
  'dead-relu',
  'saturated-activations',
  'lr-too-high',
  'oscillating-loss',
  'lr-too-low',
  'plateau',
  'unstable-activations',
  'overfitting',
  // data
  'unscaled-inputs',
  'unscaled-target',
  'data-nan',
  'data-constant-column',
  'data-label-invalid',
  'class-imbalance',
  // config bugs outside the six fixes
  'config-output-activation',
  'config-loss-mismatch',
  'config-shape-mismatch',
] as const;
export type SymptomId = (typeof SYMPTOM_IDS)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The data symptoms: problems in the dataset itself, found before any training. */
export const DATA_SYMPTOMS: ReadonlySet<SymptomId> = new Set([
  'unscaled-inputs',
  'unscaled-target',
  'data-nan',
  'data-constant-column',
  'data-label-invalid',
  'class-imbalance',
]);
