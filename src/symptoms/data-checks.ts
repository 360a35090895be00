/** The data checks: every detector that judges a dataset's statistics, before any training. */
import { classImbalance } from './class-imbalance.js';
import { dataConstantColumn } from './data-constant-column.js';
import type { DataCheckInput } from './data-input.js';
import { dataLabelInvalid } from './data-label-invalid.js';
import { dataNan } from './data-nan.js';
import type { Detector, Finding } from './finding.js';
import { unscaledInputs } from './unscaled-inputs.js';
import { unscaledTarget } from './unscaled-target.js';

export const DATA_DETECTORS: readonly Detector<DataCheckInput>[] = [
  dataNan,
  dataLabelInvalid,
  dataConstantColumn,
  unscaledInputs,
  unscaledTarget,
  classImbalance,
];

export function checkData(input: DataCheckInput): Finding[] {
  return DATA_DETECTORS.flatMap((detector) => detector.detect(input));
}
