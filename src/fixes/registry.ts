/** The fixes that can be applied as config transforms, by id. (`search` runs its own trials: `convdoc search`.) */
import type { FixId } from '../symptoms/ids.js';
import { activationFix } from './activation.js';
import { batchnormFix } from './batchnorm.js';
import { clipFix } from './clip.js';
import { lrScheduleFix } from './lr-schedule.js';
import { normalizeFix } from './normalize.js';
import type { FixTransform } from './transform.js';

export const FIX_TRANSFORMS: Partial<Record<FixId, FixTransform>> = {
  normalize: normalizeFix,
  'lr-schedule': lrScheduleFix,
  clip: clipFix,
  activation: activationFix,
  batchnorm: batchnormFix,
};
