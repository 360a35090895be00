/**
 * The fix registry: every fix of docs/ids.md once, in priority order (root cause first: fixing the
 * data or the architecture removes what the optimizer settings only work around, and clipping or
 * searching hides symptoms rather than curing them). Ranking ties, `--apply-fix all`, `fix --apply`
 * and the order fixes are applied in all follow this list; a fix left out of it does not compile.
 */
import type { FixId } from '../symptoms/ids.js';
import { activationCode, activationFix } from './activation.js';
import { batchnormCode, batchnormFix } from './batchnorm.js';
import { clipCode, clipFix } from './clip.js';
import { fixTable } from './fix-table.js';
import { lrScheduleCode, lrScheduleFix } from './lr-schedule.js';
import { normalizeCode, normalizeFix } from './normalize.js';
import { searchCode } from './search.js';
import type { FixDefinition } from './transform.js';

export const FIX_DEFINITIONS = [
  {
    id: 'normalize',
    summary:
      'standardize features with training-set statistics (data.normalize: standardize); ' +
      'scale a regression target too when it is the problem',
    keys: [
      ['data', 'normalize'],
      ['data', 'normalizeTarget'],
    ],
    measureFirst: 'nothing',
    transform: normalizeFix,
    code: normalizeCode,
  },
  {
    id: 'activation',
    summary:
      'replace hidden sigmoid/tanh activations with ReLU (LeakyReLU 0.01 where units die); the output layer stays',
    keys: [['model', 'layers']],
    measureFirst: 'nothing',
    transform: activationFix,
    code: activationCode,
  },
  {
    id: 'batchnorm',
    summary: 'insert batchNormalization after each hidden dense/conv layer, before its activation',
    keys: [['model', 'layers']],
    measureFirst: 'nothing',
    transform: batchnormFix,
    code: batchnormCode,
  },
  {
    id: 'lr-schedule',
    summary: 'set the initial learning rate from an LR range test and add a decay schedule (training.schedule)',
    keys: [
      ['training', 'learningRate'],
      ['training', 'schedule'],
    ],
    measureFirst: 'lr-range-test',
    transform: lrScheduleFix,
    code: lrScheduleCode,
  },
  {
    id: 'clip',
    summary: 'clip the global gradient norm between computing and applying gradients (training.clipNorm: 1.0)',
    keys: [['training', 'clipNorm']],
    measureFirst: 'nothing',
    transform: clipFix,
    code: clipCode,
  },
  {
    id: 'search',
    summary: 'search learning rate, batch size and optimizer under a probe budget (convdoc search)',
    keys: [['training']],
    measureFirst: 'nothing',
    transform: 'none',
    code: searchCode,
  },
] as const satisfies readonly FixDefinition[];

export const FIXES = fixTable(FIX_DEFINITIONS);

/** Each fix's summary, for reporters; complete, as fixTable checks the list names every fix. */
export const FIX_SUMMARIES = Object.fromEntries(FIX_DEFINITIONS.map(({ id, summary }) => [id, summary])) as Record<
  FixId,
  string
>;
