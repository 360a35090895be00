/**
 * config-shape-mismatch between the batch and the data: training.batchSize larger than the rows an
 * epoch trains on. Both frameworks then train normally on one batch of every row per epoch: Keras'
 * fit() slices arrays into ceil(rows / batchSize) batches whose last, partial one holds
 * `rows % batchSize` rows (keras-team/keras, keras/src/trainers/data_adapters/array_data_adapter.py,
 * ArrayDataAdapter: `_size`, `_partial_batch_size`; the R interface's users confirm it trains,
 * rstudio/keras3#984), and tfjs-layers' fit() caps each batch's end at the row count (makeBatches,
 * tfjs-layers 4.22 engine/training_tensors). Nothing fails and nothing is lost: the batch written is
 * only not the one used, worth knowing (info, no effect on the verdict or the exit code). What it
 * does cost, one update per epoch (the Keras maintainer on a 4-row XOR net at batch 32, keras#112:
 * "you are really doing one update per epoch"), the run's plan already counts (epochs x
 * ceil(trainRows / batchSize) steps, probe/run-plan.ts), and a plan too short to learn in is
 * plateau's or lr-too-low's finding.
 */
import { plural } from '../util/format.js';
import type { BatchFit } from './config-input.js';
import type { Detection } from './finding.js';
import type { Severity } from './ids.js';

/** A batch larger than the training rows trains as one batch of every row (see above): worth knowing, no fault. */
const BATCH_ABOVE_ROWS_SEVERITY: Severity = 'info';

export function batchSizeFindings(batch: BatchFit | undefined): Detection[] {
  if (batch === undefined || batch.size <= batch.trainRows) return [];
  const { size, trainRows } = batch;
  return [
    {
      severity: BATCH_ABOVE_ROWS_SEVERITY,
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
