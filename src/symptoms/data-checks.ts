/**
 * The data checks alone, for `convdoc inspect`: every data detector over a dataset's statistics,
 * before any training.
 */
import type { DataCheckInput } from './data-input.js';
import type { Finding } from './finding.js';
import { DETECTORS } from './registry.js';

export function checkData(input: DataCheckInput): Finding[] {
  return DETECTORS.data.flatMap((detector) => detector.detect(input));
}
