/**
 * The lowest validation loss a logged classifier's jump must reach to count as a spike (thresholds for
 * logs), for loss-spikes.ts. Near its floor a loss is a mean over its few hardest examples, and a jump
 * there of many times is noise at the bottom, not weights thrown off; loss-spikes.ts draws that floor
 * at a tenth (lr-too-high.ts' FLOOR_FRACTION) of the chance-level loss or of the first evaluation, and
 * lets a jump under it count when it stands above the training losses around it. A run converged at
 * its first evaluation has no start to draw the floor from, and its training loss sits at the floor
 * too (log 559, post hoc: a validation loss of 1.5e-4 at epoch 1 beside an accuracy of 1.0, then 1e-4
 * to 2e-2 for 15 epochs, the accuracy at 0.9985-1.0, the training loss 5e-5 to 0.07). A log that
 * records a classifier's accuracy says where chance is, at least: guessing among C >= 2 classes scores
 * a cross-entropy of ln C >= ln 2 (Karpathy, "A Recipe for Training Neural Networks", 2019). A jump
 * that stays under SPIKE_FACTOR times a tenth of ln 2 (0.139, a geometric-mean probability of 0.87 on the right
 * class) is at that floor whatever the training loss does.
 */
import type { ProbeTrace } from '../trace/trace.js';
import { FLOOR_FRACTION } from './lr-too-high.js';

/** The cross-entropy of guessing between two classes, the least a classifier's chance level can be. */
const TWO_CLASS_CHANCE = Math.log(2);

/**
 * A tenth of TWO_CLASS_CHANCE when the log carries an accuracy (a classifier's: the reader drops an
 * accuracy beside a regression's columns, regression-columns.ts); 0 otherwise.
 */
export function classifierFloor(trace: ProbeTrace): number {
  const carriesAccuracy = [trace.valMetric, trace.trainMetric].some((metric) => metric?.name === 'accuracy');
  return carriesAccuracy ? FLOOR_FRACTION * TWO_CLASS_CHANCE : 0;
}
