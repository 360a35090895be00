/**
 * Where a config's NumPy data come from: `data.train` a `.npy` of examples with `data.target` the
 * `.npy` of their targets, or a `.npz` archive with the arrays `data.arrays` names (x_train and
 * y_train; x_test and y_test, when present, are the validation set). Problems point at the key.
 */
import type { LoadedConfig } from '../config/load.js';
import { configProblem } from '../config/load.js';
import { isNpyFile, isNpzFile, NPZ_ARRAY_DEFAULTS } from '../config/schema.js';
import { displayPath } from '../util/paths.js';
import { openNpyFile, type NumpyArray } from './numpy-array.js';
import { scanNumpy } from './numpy-scan.js';
import { missingArrayMessage, readNpzArrays } from './npz.js';
import type { TableScan } from './scan.js';

export interface Sampling {
  sampleRows: number;
  seed: number;
}

export const isNumpyFile = (file: string) => isNpyFile(file) || isNpzFile(file);

/** The training scan and, when the files hold one, the validation scan. */
export async function scanNumpySources(
  loaded: LoadedConfig,
  sampling: Sampling,
): Promise<{ train: TableScan; validation: TableScan | undefined }> {
  const { data } = loaded.config;
  if (data.features !== undefined)
    throw configProblem(
      loaded,
      ['data', 'features'],
      'selects columns of a table; a NumPy array has none. Remove it, or slice the array in numpy before saving.',
    );
  if (isNpyFile(data.train)) {
    if (data.validation !== undefined && !isNpzFile(data.validation)) throw npyValidationProblem(loaded);
    const train = await scanNpyPair(loaded, sampling);
    const validation =
      data.validation === undefined ? undefined : await scanNpz(loaded, data.validation, 'test', sampling);
    if (validation !== undefined) checkValidationShape(loaded, train, validation);
    return { train, validation };
  }
  if (data.target !== undefined)
    throw configProblem(
      loaded,
      ['data', 'target'],
      `is not used with a .npz file: the targets are its array "${(data.arrays ?? NPZ_ARRAY_DEFAULTS).yTrain}" (data.arrays.yTrain). Remove data.target.`,
    );
  if (data.validation !== undefined && !isNpzFile(data.validation)) throw npyValidationProblem(loaded);
  const train = await scanNpz(loaded, data.train, 'train', sampling);
  const validation = await scanNpz(
    loaded,
    data.validation ?? data.train,
    'test',
    sampling,
    data.validation === undefined,
  );
  if (validation !== undefined) checkValidationShape(loaded, train!, validation);
  return { train: train!, validation };
}

/**
 * NumPy arrays have no column names to match by, so the validation examples and targets must have
 * the training ones' shape: otherwise the validation pass reads past its rows (an internal error).
 */
function checkValidationShape(loaded: LoadedConfig, train: TableScan, validation: TableScan): void {
  const shape = (scan: TableScan) => `(${(scan.exampleShape ?? [scan.featureNames.length]).join(', ')})`;
  const where = loaded.config.data.validation === undefined ? ['data', 'train'] : ['data', 'validation'];
  if (shape(train) !== shape(validation))
    throw configProblem(
      loaded,
      where,
      `the validation examples are of shape ${shape(validation)} but the training examples of ${shape(train)}: save both with the same shape per example.`,
    );
  if (train.targetNames.length !== validation.targetNames.length)
    throw configProblem(
      loaded,
      where,
      `the validation targets have ${validation.targetNames.length} values per example but the training targets ${train.targetNames.length}: save both with the same shape per example.`,
    );
}

function npyValidationProblem(loaded: LoadedConfig) {
  return configProblem(
    loaded,
    ['data', 'validation'],
    'with NumPy data, a validation file must be a .npz holding its examples and targets (x_test and y_test). Or leave data.validation out and use data.validationSplit.',
  );
}

async function scanNpyPair(loaded: LoadedConfig, sampling: Sampling): Promise<TableScan> {
  const { train, target } = loaded.config.data;
  if (typeof target !== 'string' || !isNpyFile(target))
    throw configProblem(
      loaded,
      ['data', 'target'],
      'with a .npy train file, name the .npy file of the targets (e.g. target: y.npy).',
    );
  const x = await openNpyFile(train, displayPath(train));
  try {
    const y = await openNpyFile(target, displayPath(target));
    try {
      return await scanNumpy(x, y, { file: train, xName: 'x', yName: 'y', ...sampling });
    } finally {
      await y.close();
    }
  } finally {
    await x.close();
  }
}

/**
 * The `part` arrays of an archive: `train` must exist; `test` falls back to the train arrays of a
 * separate validation archive, and is undefined when `optional` and the archive has no test arrays.
 */
async function scanNpz(
  loaded: LoadedConfig,
  file: string,
  part: 'train' | 'test',
  sampling: Sampling,
  optional = false,
): Promise<TableScan | undefined> {
  const keys = loaded.config.data.arrays ?? NPZ_ARRAY_DEFAULTS;
  const shown = displayPath(file);
  const { arrays, names } = await readNpzArrays(file, shown, [keys.xTrain, keys.yTrain, keys.xTest, keys.yTest]);
  const pick = (x: string, y: string): [NumpyArray, NumpyArray] | undefined => {
    const pair = [arrays.get(x), arrays.get(y)];
    return pair[0] && pair[1] ? [pair[0], pair[1]] : undefined;
  };
  const pair =
    part === 'train'
      ? pick(keys.xTrain, keys.yTrain)
      : (pick(keys.xTest, keys.yTest) ?? (optional ? undefined : pick(keys.xTrain, keys.yTrain)));
  if (pair === undefined) {
    if (optional) return undefined;
    const absent = (x: 'xTrain' | 'xTest', y: 'yTrain' | 'yTest') => (arrays.has(keys[x]) ? y : x);
    const key = part === 'train' ? absent('xTrain', 'yTrain') : absent('xTest', 'yTest');
    throw configProblem(loaded, ['data', 'arrays', key], missingArrayMessage(shown, keys[key], names));
  }
  const [x, y] = pair;
  return scanNumpy(x, y, { file, xName: nameOf(x, shown), yName: nameOf(y, shown), ...sampling });
}

/** `data.npz:x_train` → `x_train`. */
function nameOf(array: NumpyArray, shown: string): string {
  return array.shown.slice(shown.length + 1);
}
