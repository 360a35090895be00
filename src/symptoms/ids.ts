/** The symptom and fix ids of docs/ids.md: the vocabulary of findings and reports. */

export const FIX_IDS = ['normalize', 'lr-schedule', 'clip', 'activation', 'batchnorm', 'search'] as const;
export type FixId = (typeof FIX_IDS)[number];

const NUMBER_WORDS = 'no one two three four five six seven eight nine ten eleven twelve'.split(' ');
/** How user text names the fixes ("the six fixes"): counted, so a new fix changes every such sentence. */
export const THE_FIXES = `the ${NUMBER_WORDS[FIX_IDS.length] ?? FIX_IDS.length} fixes`;

const TRAINING_SYMPTOM_IDS = [
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
] as const;

/** The data symptoms: problems in the dataset itself, found before any training. */
const DATA_SYMPTOM_IDS = [
  'unscaled-inputs',
  'unscaled-target',
  'data-nan',
  'data-constant-column',
  'data-label-invalid',
  'class-imbalance',
] as const;

/** Config bugs, which no fix repairs: the finding's edit does. */
const CONFIG_SYMPTOM_IDS = ['config-output-activation', 'config-loss-mismatch', 'config-shape-mismatch'] as const;

export const SYMPTOM_IDS = [...TRAINING_SYMPTOM_IDS, ...DATA_SYMPTOM_IDS, ...CONFIG_SYMPTOM_IDS] as const;
export type SymptomId = (typeof SYMPTOM_IDS)[number];

export const SEVERITIES = ['critical', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** The data symptoms as a set, for "is this a data problem" checks. */
export const DATA_SYMPTOMS: ReadonlySet<SymptomId> = new Set(DATA_SYMPTOM_IDS);
