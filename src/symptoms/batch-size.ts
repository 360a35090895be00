/**
 * config-shape-mismatch between the batch and the data: training.batchSize larger than the rows an
 * epoch trains on. Keras' fit() and tfjs' fit() then take every row as one batch (the last, partial
 * batch is the whole set), so the batch size written is not the one used, and each epoch is a
 * single update. A warning: the run works, but not as the config reads.
 */
import { plural } from '../util/format.js';
import type { BatchFit } from './config-input.js';
import type { Detection } from './finding.js';

export function batchSizeFindings(batch: BatchFit | undefined): Detection[] {
  if (batch === undefined || batch.size <= batch.trainRows) return [];
  const { size, trainRows } = batch;
  return [
    {
      severity: 'warning',
      confidence: 0.99,
      evidence: { measured: size, threshold: trainRows, what: 'training.batchSize vs the rows an epoch trains on' },
      message:
        `training.batchSize is ${size}, but an epoch trains on ${plural(trainRows, 'row')}: ` +
        `the effective batch is ${trainRows}, the whole training set, so each epoch is one update.`,
      fixes: [],
      advice: `Set training.batchSize to at most ${trainRows} (a smaller batch gives more updates per epoch).`,
    },
  ];
}
