/**
 * Which scalar tags of a TensorBoard run analyze reads, by the alias table of log-keys.ts: `loss`,
 * `train/loss`, `Loss/train`, `epoch_loss` for the training loss; `val_loss`, `validation/loss`,
 * `Loss/val` for the validation loss; `learning_rate`, `lr`, `epoch_learning_rate`; `grad_norm`.
 * Keras' TensorBoard callback writes the same tag (`epoch_loss`) into two runs, `train` and
 * `validation`: a tag of a held-out run is named `validation/<tag>` here, so the table reads it as
 * the validation loss, also when the validation writer's file is read alone (runOfTags). A run
 * with a validation loss and no training loss is read as a validation-only log (log-trace.ts).
 * `--tag` names the training loss tag when the patterns pick the wrong one.
 */
import { DataError } from '../errors.js';
import { judgeEpochLoss, perStepLoss } from './epoch-loss.js';
import { isPerEpoch, keyMeaning, pickKey, scoreOf, type Quantity, type Split } from './log-keys.js';
import { NO_VARIABLES } from './log-columns.js';
import type { LogRow } from './log-row.js';
import type { ScalarColumns } from './scalar-columns.js';

/** A run folder of held-out data: Keras names it `validation`; others `val`, `eval`, `test`. */
const HELD_OUT_RUN = /^(val|valid|validation|eval|evaluation|test)$/i;
/** The run folder Keras' TensorBoard callback writes its held-out metrics to. */
const KERAS_VALIDATION_RUN = 'validation';
/**
 * Keras' TensorBoard callback writes `evaluation_<metric>_vs_iterations` into its validation writer
 * only (TensorBoard.on_test_end in tensorflow/python/keras/callbacks.py: each evaluation's metrics
 * at the optimizer's iteration, `with self._val_writer.as_default()`); its train writer never holds one.
 */
const KERAS_EVALUATION_TAG = /^evaluation_.+_vs_iterations$/;

/**
 * The run a run's tags were written to: an event file of Keras' `validation` writer read outside
 * its folder (the file alone, or copied out of `validation/`) is still that writer's, by its
 * `evaluation_*_vs_iterations` tags, and its `epoch_loss` the validation loss.
 */
export function runOfTags(run: string, tags: Iterable<string>): string {
  if (HELD_OUT_RUN.test(run)) return run;
  for (const tag of tags) if (KERAS_EVALUATION_TAG.test(tag)) return KERAS_VALIDATION_RUN;
  return run;
}

/** The LogRow fields a tag can fill. */
export type ScalarField =
  'loss' | 'stepLoss' | 'valLoss' | 'learningRate' | 'gradNorm' | 'accuracy' | 'valAccuracy' | 'valScore';

const FIELDS: readonly [ScalarField, Quantity, Split][] = [
  ['valLoss', 'loss', 'validation'],
  ['learningRate', 'learning-rate', 'train'],
  ['gradNorm', 'grad-norm', 'train'],
  ['accuracy', 'accuracy', 'train'],
  ['valAccuracy', 'accuracy', 'validation'],
  ['valScore', 'score', 'validation'],
];

export interface TagChoice {
  /** Tag name (as tagName gives it) → the row field it fills. */
  fields: Map<string, ScalarField>;
  /** The training loss is logged once per epoch, at the epoch's number (Keras' `epoch_loss`). */
  byEpoch: boolean;
  notes: string[];
}

/**
 * The name a tag is chosen by: a tag of a held-out run folder says so, unless it names its split
 * itself. PyTorch's `SummaryWriter.add_scalars(main_tag, {key: value})` writes each key to a run
 * folder `<main_tag>_<key>` (`/` in main_tag as `_`) under the tag main_tag
 * (torch/utils/tensorboard/writer.py): `Loss_val/Loss` is named `Loss/val`.
 */
export function tagName(run: string, tag: string): string {
  const scalarsFolder = `${tag.replaceAll('/', '_')}_`;
  if (run.startsWith(scalarsFolder) && run.length > scalarsFolder.length)
    return `${tag}/${run.slice(scalarsFolder.length)}`;
  return HELD_OUT_RUN.test(run) && keyMeaning(tag)?.split === 'train' ? `${run}/${tag}` : tag;
}

export function chooseTags(names: readonly string[], shown: string, tag?: string): TagChoice {
  const validationOnly = tag === undefined && pickKey(names, 'loss', 'train') === undefined;
  const heldOutLoss = validationOnly ? pickKey(names, 'loss', 'validation') : undefined;
  // Only a validation loss (Keras' `validation` writer alone): it stands in as the loss curve (log-trace.ts).
  if (heldOutLoss !== undefined) return heldOutTags(names, heldOutLoss);
  const loss = tag ?? pickKey(names, 'loss', 'train');
  if (loss === undefined || !names.includes(loss))
    throw new DataError(
      `${shown}: ${loss === undefined ? 'no scalar tag names a training loss' : `no scalar tag "${loss}"`} ` +
        `(scalar tags: ${names.length === 0 ? 'none' : names.join(', ')}). ` +
        'Pass --tag <name> with the training loss tag (loss, train/loss, Loss/train, epoch_loss are found by themselves).',
    );
  const fields = new Map<string, ScalarField>([[loss, 'loss']]);
  // --tag names the one loss to read: no per-step tag beside it.
  const stepLoss = tag === undefined ? perStepLoss(names, loss) : undefined;
  if (stepLoss !== undefined) fields.set(stepLoss, 'stepLoss');
  const others = names.filter((name) => !fields.has(name));
  for (const [field, quantity, split] of FIELDS) {
    const name = pickKey(others, quantity, split);
    if (name !== undefined && !fields.has(name)) fields.set(name, field);
  }
  // Which of the two training losses is read, epoch-loss.ts says once the rows are read.
  const said = [...fields].filter(([, field]) => stepLoss === undefined || (field !== 'loss' && field !== 'stepLoss'));
  const notes = said.map(([name, field]) => `tag "${name}" read as ${FIELD_NAMES[field]}`);
  return { fields, byEpoch: isPerEpoch(loss) && !names.some(isEpochCount), notes };
}

/** The tags of a run with a validation loss and no training loss: that loss and the held-out accuracy. */
function heldOutTags(names: readonly string[], valLoss: string): TagChoice {
  const fields = new Map<string, ScalarField>([[valLoss, 'valLoss']]);
  const valAccuracy = pickKey(names, 'accuracy', 'validation');
  if (valAccuracy !== undefined) fields.set(valAccuracy, 'valAccuracy');
  const valScore = pickKey(names, 'score', 'validation');
  if (valScore !== undefined) fields.set(valScore, 'valScore');
  const notes = [...fields].map(([name, field]) => `tag "${name}" read as ${FIELD_NAMES[field]}`);
  return { fields, byEpoch: isPerEpoch(valLoss) && !names.some(isEpochCount), notes };
}

/**
 * Lightning logs the epoch number as a scalar of its own (`epoch`) and its epoch means at the
 * global step: a run that logs one counts steps on its axis, not epochs.
 */
function isEpochCount(name: string): boolean {
  return keyMeaning(name)?.quantity === 'epoch';
}

/** The rows to judge: when the training loss is logged per epoch and per step, epoch-loss.ts picks. */
export function judgedRows(
  scalars: ScalarColumns,
  choice: TagChoice,
): { rows: LogRow[]; byEpoch: boolean; epochMeans?: boolean; notes: string[] } {
  const rows = scalarRows(scalars, choice.fields);
  const tagOf = (wanted: ScalarField) => [...choice.fields].find(([, field]) => field === wanted)?.[0];
  const [loss, step] = [tagOf('loss'), tagOf('stepLoss')];
  if (loss === undefined || step === undefined) return { rows, byEpoch: choice.byEpoch, notes: choice.notes };
  const judged = judgeEpochLoss(rows, loss, step, !choice.byEpoch);
  return {
    rows: judged.rows,
    byEpoch: choice.byEpoch && judged.perEpoch,
    epochMeans: judged.perEpoch,
    notes: [...judged.notes, ...choice.notes],
  };
}

const FIELD_NAMES: Record<ScalarField, string> = {
  loss: 'the training loss',
  stepLoss: 'the per-step training loss',
  valLoss: 'the validation loss',
  learningRate: 'the learning rate',
  gradNorm: 'the gradient norm',
  accuracy: 'the training accuracy',
  valAccuracy: 'the validation accuracy',
  valScore: 'the validation score',
};

/**
 * Rows from the chosen tags' scalars: scalars of one step fill one row (a run logs its loss,
 * learning rate and evaluation at the same step one after another); a step logged again starts a
 * new row, which log-segments.ts reads as a resume.
 */
export function scalarRows(scalars: ScalarColumns, fields: ReadonlyMap<string, ScalarField>): LogRow[] {
  const rows: LogRow[] = [];
  let row: LogRow | undefined;
  for (let index = 0; index < scalars.length; index++) {
    const field = fields.get(scalars.names[index]!);
    const step = scalars.steps[index]!;
    if (field === undefined) continue;
    if (row === undefined || row.step !== step || row[field] !== undefined) {
      // Every field the scalars fill, declared up front: a million rows share one object shape.
      row = {
        line: scalars.records[index]!,
        step,
        wallTime: scalars.wallTimes[index]!,
        loss: undefined,
        stepLoss: undefined,
        valLoss: undefined,
        learningRate: undefined,
        gradNorm: undefined,
        accuracy: undefined,
        valAccuracy: undefined,
        valScore: undefined,
        scoreName: undefined,
        variableGradNorms: NO_VARIABLES,
        updateRatios: NO_VARIABLES,
      };
      rows.push(row);
    }
    row[field] = scalars.values[index]!;
    if (field === 'valScore') row.scoreName = scoreOf(scalars.names[index]!);
  }
  return rows;
}
