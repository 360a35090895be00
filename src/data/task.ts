/**
 * Which learning task a target describes. The config's `data.task` wins; else the loss says it
 * (as it does for every Keras model); else the target values decide, as a Keras user would read them.
 */
import { LOSS_FAMILY, type LossFamily, type LossName } from '../config/losses.js';
import type { Task } from '../config/schema.js';
import type { TableScan } from './scan.js';

/**
 * A single integer column with at most this many distinct non-negative values is read as class
 * ids; more is read as a regression target. 20 covers common label sets (CIFAR-10, 20 Newsgroups)
 * while counts and ratings with a long range stay regression. Set `data.task` when it guesses wrong.
 */
export const MAX_INFERRED_CLASSES = 20;

export type TaskSource = 'config' | 'loss' | 'data';

/** What each family of losses says about the task (see LOSS_FAMILY). */
const TASK_OF_LOSS_FAMILY: Record<LossFamily, Task | 'binary-or-multilabel'> = {
  regression: 'regression',
  probability: 'binary-or-multilabel',
  margin: 'binary-or-multilabel',
  sparse: 'multiclass',
  onehot: 'multiclass',
};

export function inferTask(scan: TableScan, explicit?: Task, loss?: LossName): { task: Task; source: TaskSource } {
  if (explicit !== undefined) return { task: explicit, source: 'config' };
  const fromLoss = loss === undefined ? undefined : TASK_OF_LOSS_FAMILY[LOSS_FAMILY[loss]];
  if (fromLoss === 'binary-or-multilabel')
    return { task: scan.targetNames.length > 1 ? 'multilabel' : 'binary', source: 'loss' };
  if (fromLoss !== undefined) return { task: fromLoss, source: 'loss' };
  return { task: taskFromValues(scan), source: 'data' };
}

function taskFromValues(scan: TableScan): Task {
  if (scan.targetNames.length > 1) {
    if (scan.binaryTargetRows < scan.rows) return 'regression';
    return scan.oneHotRows === scan.rows ? 'multiclass' : 'multilabel';
  }
  const labels = scan.labelCounts;
  if (scan.textLabels) return labels !== undefined && labels.size === 2 ? 'binary' : 'multiclass';
  const [target] = scan.targets;
  if (labels === undefined || !target!.integer || target!.count === 0) return 'regression';
  if (labels.size <= 2) return 'binary';
  // Class ids are (nearly) contiguous from 0; integers spread out over a range are measurements.
  const contiguous = target!.max + 1 <= 2 * labels.size;
  return target!.min >= 0 && contiguous && labels.size <= MAX_INFERRED_CLASSES ? 'multiclass' : 'regression';
}
