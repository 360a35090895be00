/**
 * A seventh fix that exists only in tests, made as CONTRIBUTING.md's "add a fix" recipe says: a
 * transform, its code, and one registry entry. The tests build a registry with it to show that ranking,
 * applying, --apply-fix staging and the reporters take it up with no other file changed.
 */
import { fixTable } from '../../src/fixes/fix-table.js';
import { FIX_DEFINITIONS } from '../../src/fixes/registry.js';
import type { FixDefinition, FixTransform } from '../../src/fixes/transform.js';
import type { FixId } from '../../src/symptoms/ids.js';

/** Not an id of the vocabulary: the recipe's first step (adding it to FIX_IDS) is what this cast stands in for. */
export const HALVE_BATCH = 'halve-batch' as FixId;

const halveBatch: FixTransform = {
  apply(config) {
    const { batchSize } = config.training;
    const to = Math.max(1, Math.floor(batchSize / 2));
    return {
      config: { ...config, training: { ...config.training, batchSize: to } },
      changes:
        to === batchSize
          ? []
          : [{ path: ['training', 'batchSize'], from: batchSize, to, why: 'Smaller batches add gradient noise.' }],
    };
  },
};

function halveBatchFix(measureFirst: FixDefinition['measureFirst'] = 'nothing'): FixDefinition {
  return {
    id: HALVE_BATCH,
    summary: 'halve the batch size (training.batchSize)',
    keys: [['training', 'batchSize']],
    measureFirst,
    transform: halveBatch,
    code: {
      pytorch: () => 'loader = DataLoader(dataset, batch_size=batch_size // 2, shuffle=True)',
      keras: () => 'model.fit(x_train, y_train, batch_size=batch_size // 2)',
      tfjs: () => 'await model.fit(xTrain, yTrain, { batchSize: Math.floor(batchSize / 2) });',
    },
  };
}

/** The registry with the throwaway fix second in priority, after normalize. */
export function tableWithHalveBatch(measureFirst: FixDefinition['measureFirst'] = 'nothing') {
  const [first, ...rest] = FIX_DEFINITIONS;
  return fixTable([first, halveBatchFix(measureFirst), ...rest]);
}
