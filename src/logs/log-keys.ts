/**
 * What a log's column or key means, by its name: the alias table of the README ("Log keys").
 * Loggers spell the same quantity many ways (`loss`, `train_loss`, `train/loss`,
 * `train_loss_step`, `val_loss`, `valid_loss`, `eval_loss`, `val/loss`, `lr`, `lr-Adam`); a name is
 * split into a split (training or held-out), a quantity and a granularity, and each reader picks
 * the best-named column per quantity with pickKey.
 */
import { englishKeyWords } from './chinese-key-words.js';

export type Quantity = 'loss' | 'accuracy' | 'score' | 'learning-rate' | 'grad-norm' | 'step' | 'epoch';
/** `test` is read as held-out data too, and the report says so (a hand-written log's "test" is its validation set). */
export type Split = 'train' | 'validation' | 'test';
/**
 * Lightning logs `<name>_step` and `<name>_epoch`; Keras' TensorBoard callback `epoch_<name>` and
 * `batch_<name>`. `aggregate` is a loss named as the whole objective (`total_loss`, `loss_mean`),
 * `named` one named for its kind or a part of the objective (`nll_loss`, `mse_observation_loss`).
 */
type Granularity = 'step' | 'epoch' | 'run' | 'aggregate' | 'named' | 'metric';

export interface KeyMeaning {
  quantity: Quantity;
  split: Split;
  granularity: Granularity;
}

const SPLIT_PREFIXES: readonly [string, Split][] = [
  ['train', 'train'],
  ['training', 'train'],
  ['val', 'validation'],
  ['valid', 'validation'],
  ['validation', 'validation'],
  ['eval', 'validation'],
  ['test', 'test'],
  // Their two-letter abbreviations, as a printed table heads its columns (`tr_loss | va_loss`, held-out log 634).
  ['tr', 'train'],
  ['va', 'validation'],
];
/**
 * "Loss" and "epoch" in the languages hand-written logs are most often labelled in besides English,
 * read without their accents (`Pèrdua` is `perdua`): Spanish pérdida/época, Catalan pèrdua/època,
 * Portuguese perda/época, Italian perdita/epoca, French perte/époque, German Verlust/Epoche, Dutch
 * verlies. Their split prefixes stay English (`val_perdida`), as a framework writes them.
 */
const TRANSLATIONS: Record<string, Quantity> = {
  perdida: 'loss',
  perdua: 'loss',
  perda: 'loss',
  perdita: 'loss',
  perte: 'loss',
  verlust: 'loss',
  verlies: 'loss',
  epoca: 'epoch',
  epoque: 'epoch',
  epoche: 'epoch',
};
/**
 * Scores that improve upwards, read on held-out data only (the README's "Held-out scores"): the F1
 * score, the area under the ROC curve, intersection over union and its class mean, the Dice
 * coefficient, SSIM (each in [0, 1], 1 best), and PSNR in dB (higher is better: an MSE's -10 log10).
 * Keras' EarlyStopping infers mode 'max' for such metrics (keras.io, "EarlyStopping": "auc" and
 * accuracies are maximized); segmentation and restoration code selects its best checkpoint on the
 * highest mIoU, Dice, PSNR or SSIM. Kept apart from the accuracy: no chance level follows from them.
 */
const HELD_OUT_SCORES = [
  'f1',
  'f1_score',
  'auc',
  'roc_auc',
  'auroc',
  'iou',
  'miou',
  'mean_iou',
  'dice',
  'dice_score',
  'ssim',
  'psnr',
] as const;
/** `IoU` and `mIoU` as normalizedKey splits their capitals (`m_io_u`): the spelling segmentation code logs (mmsegmentation's `mIoU`). */
const SCORE_SPELLINGS: Record<string, string> = { io_u: 'iou', m_io_u: 'miou', mean_io_u: 'mean_iou' };
const QUANTITIES: Record<string, Quantity> = {
  loss: 'loss',
  acc: 'accuracy',
  accuracy: 'accuracy',
  // The top-1 accuracy is the accuracy, spelled as self-supervised and ImageNet code logs it beside its
  // top-5 (`train_acc_top1`, bench log 543); `top1`/`acc1` alone are left out: timm and DeiT print those in percent.
  acc_top1: 'accuracy',
  accuracy_top1: 'accuracy',
  top1_acc: 'accuracy',
  top1_accuracy: 'accuracy',
  ...Object.fromEntries([...HELD_OUT_SCORES, ...Object.keys(SCORE_SPELLINGS)].map((name) => [name, 'score' as const])),
  lr: 'learning-rate',
  learning_rate: 'learning-rate',
  grad_norm: 'grad-norm',
  gradient_norm: 'grad-norm',
  step: 'step',
  global_step: 'step',
  iter: 'step',
  iteration: 'step',
  it: 'step',
  epoch: 'epoch',
  // Its common abbreviation, as a column (`,ep,train,valid,total`, held-out log 643) or a loop variable (`for ep in range(epochs)`).
  ep: 'epoch',
  ...TRANSLATIONS,
};
const GRANULARITY_SUFFIXES: readonly [string, Granularity][] = [
  ['_step', 'step'],
  // A per-batch value named after it (`train_loss_batch`, bench log 259's metrics.csv), as Keras' `batch_loss` before it.
  ['_batch', 'step'],
  ['_epoch', 'epoch'],
];
const GRANULARITY_PREFIXES: readonly [string, Granularity][] = [
  ['epoch_', 'epoch'],
  ['batch_', 'step'],
];
/**
 * A loss named for its kind, its dataset or the part of the objective it is, in one word or more
 * (`nll_loss`; HF's `eval_<dataset>_loss` with several eval sets; a world model's
 * `mse_observation_loss` beside its `ce_reward_loss`, bench log 256).
 */
const NAMED_LOSS = /^[a-z][a-z0-9]*(_[a-z0-9]+)*_loss$/;
/**
 * Words that make a `<words>_loss` no loss to follow: a record of the run (`best_val_loss=0.1131`
 * printed once at its end, bench log 273; `Best ValLoss` on a closing summary line, bench log 231;
 * an epoch's `min_loss`/`max_loss` over its batches), or a split named inside the name, which
 * leaves it unsaid which split the loss is of.
 */
const NOT_A_LOSS_WORDS: ReadonlySet<string> = new Set([
  'best',
  'min',
  'max',
  'lowest',
  'highest',
  'final',
  'last',
  ...SPLIT_PREFIXES.map(([word]) => word),
]);
/**
 * Words after a leading `loss` that make the name no level of a loss (`loss_<part>`, below): a
 * setting or a scaler of it (`loss_scale`, mixed precision's scaler; `loss_weight`, `loss_coef`), a
 * spread or a change of it (`loss_std`, `loss_delta`), or a unit's words out of LOSS_UNIT's order
 * (`loss_nats_per`).
 */
const NOT_A_PART_WORDS: ReadonlySet<string> = new Set([
  'scale',
  'scaled',
  'scaler',
  'weight',
  'weights',
  'coef',
  'coeff',
  'factor',
  'std',
  'var',
  'variance',
  'ratio',
  'rate',
  'delta',
  'diff',
  'change',
  'count',
  'fn',
  'type',
  'nats',
  'bits',
  'per',
]);
/**
 * Words that name a loss as the whole objective rather than one of its terms: its total, sum or
 * mean. Before `loss` (`total_loss`, `avg_loss`, `train_combined_loss`) or at the end of a name
 * that starts with it (`loss_total`, `loss_sum`; `loss_tgt_mean`, the mean target loss of a JEPA
 * run, bench log 267). A multi-task or model-based run logs its terms beside the sum it optimizes,
 * and the sum is what its course is judged on.
 */
const AGGREGATE_WORDS: ReadonlySet<string> = new Set(['total', 'sum', 'mean', 'avg', 'average', 'overall', 'combined']);
/**
 * A loss that names its unit after it: `<split>_loss_<unit>`, the unit nats or bits, per a unit of
 * the data, or both (`train_loss_nats_per_byte`, `val_loss_bits`, `loss_per_token`). Language and
 * density models report their loss so: bits per character (Graves 2013, arXiv:1308.0850), bits per
 * byte (The Pile, Gao et al. 2020, arXiv:2101.00027), nats or bits per dimension (PixelRNN, van den
 * Oord et al. 2016, arXiv:1601.06759). Only unit words may follow, so `loss_scale` (mixed
 * precision's scaler) and `loss_weight` name other quantities; nor is `loss_mean` a unit.
 */
const LOSS_UNIT = /^loss(?=_)(_(nats|bits))?(_per_(byte|token|char|character|word|sample|example|pixel|dim))?$/;
/**
 * A metric that is itself a loss function (`train_mse`, `val_mae`, `nll`): read as the loss only
 * when no column is named for one, and the report says so (a regression history that logs only
 * `train_mse`/`val_mse` is still a training log). An aggregate word before a metric keeps it that
 * metric (`train_mean_nll`, bench log 232; `val_avg_mse`): the mean over the set is the value every
 * epoch-level metric is. `ce` (the cross-entropy abbreviated, `val_ce`) is not read: bench log 318's
 * `Val - CE: 0.0220` lines, read so, gave a healthy run an overfitting finding (session 21, post hoc).
 */
const LOSS_METRICS: ReadonlySet<string> = new Set(['mse', 'mae', 'rmse', 'nll', 'bce', 'cross_entropy']);
/**
 * The names Lightning's 2.0 migration example gives the epoch means of the step losses it collects
 * (Lightning-AI/pytorch-lightning#16520, which removed `validation_epoch_end`: `on_train_epoch_end`
 * logs `training_epoch_average`, `on_validation_epoch_end` `validation_epoch_average`, each the mean
 * of the `loss` its step appended), copied as they are into many modules. Only these two names:
 * `<split>_epoch_average` in general says no quantity (an average of accuracy would be read as a loss).
 */
export const LIGHTNING_EPOCH_AVERAGES: ReadonlySet<string> = new Set([
  'training_epoch_average',
  'validation_epoch_average',
]);
/** Lightning's LearningRateMonitor names its column `lr-<Optimizer>` (`lr-Adam`, `lr-SGD/pg1`). */
const LIGHTNING_RATE = /^lr[-_][a-z]/i;

/**
 * A name spelled as the alias table spells it: lower-case words joined by `_`. Hand-written logs
 * name their columns `TrainLoss`, `Train Loss`, `train-loss`, `train.loss`, `Val_Loss`, `ValAcc`,
 * `LR`: a capital after a lower-case letter or a digit starts a word (`ValAcc` is `val_acc`), and
 * so does the last capital of a run that a lower-case letter follows (`LRDecay` is `lr_decay`), so
 * an acronym stays one word (`LR`, `ValMSE`). Runs of separators (`/`, `.`, `-`, `_`, white space)
 * are one `_`, and accents are dropped (`Época` is `epoca`). Chinese words are read as their
 * English ones (`训练损失` is `train_loss`, chinese-key-words.ts).
 */
export function normalizedKey(name: string): string {
  return englishKeyWords(name)
    .trim()
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[/.\s_-]+/g, '_');
}

/**
 * A loss named for its task or head with the split between that name and `loss`
 * (`<task>_<split>_loss`): a multi-task Lightning module logs `exposure_train_loss` and
 * `exposure_val_loss` (bench log 355). Read as `<task>_loss` on that split, a loss named for its
 * kind (rank 5 of keysByRank); a record word before it still makes it no loss (`best_val_loss`).
 */
const INNER_SPLIT = /^([a-z][a-z0-9]*(?:_[a-z0-9]+)*)_([a-z]+)_loss$/;

/**
 * The split a normalized name names (`val_loss`, `train_acc`, and PyTorch's SummaryWriter tags
 * `Loss/train`, `Loss/val`, the split after the quantity) and the rest; `named` is false for a
 * name that names none (`loss`), read as training.
 */
function splitApart(key: string): { split: Split; rest: string; named: boolean } {
  const inner = INNER_SPLIT.exec(key);
  const innerSplit = SPLIT_PREFIXES.find(([word]) => word === inner?.[2])?.[1];
  if (inner !== null && innerSplit !== undefined && !SPLIT_PREFIXES.some(([word]) => key.startsWith(`${word}_`)))
    return { split: innerSplit, rest: `${inner[1]}_loss`, named: true };
  const prefix = SPLIT_PREFIXES.find(([word]) => key.startsWith(`${word}_`));
  if (prefix !== undefined && prefix[1] !== 'train')
    return { split: prefix[1], rest: key.slice(prefix[0].length + 1), named: true };
  const unprefixed = prefix === undefined ? key : key.slice(prefix[0].length + 1);
  for (const [suffix, split] of SPLIT_PREFIXES) {
    const rest = unprefixed.slice(0, -suffix.length - 1);
    if (unprefixed.endsWith(`_${suffix}`) && QUANTITIES[rest] !== undefined) return { split, rest, named: true };
  }
  return { split: 'train', rest: unprefixed, named: prefix !== undefined };
}

/** The names of the held-out scores, the longest first, so `mean_iou` is found before `iou`. */
const SCORES_LONGEST_FIRST = [...HELD_OUT_SCORES, ...Object.keys(SCORE_SPELLINGS)].sort((a, b) => b.length - a.length);

/**
 * The held-out score (HELD_OUT_SCORES) a column or key holds, by its normalized name (`val_mIoU`
 * holds `miou`, `eval_f1_score` `f1_score`); undefined for a name that holds none.
 */
export function scoreOf(name: string): string | undefined {
  const words = `_${normalizedKey(name)}_`;
  const found = SCORES_LONGEST_FIRST.find((score) => words.includes(`_${score}_`));
  return found === undefined ? undefined : (SCORE_SPELLINGS[found] ?? found);
}

/** Whether a name says which split it is of (`val_loss`, `Train Loss`, `Loss/val`; not `loss`, `Average loss`). */
export function namesSplit(name: string): boolean {
  return splitApart(normalizedKey(name)).named;
}

/** The split a phase word printed before a log's values names (`val`, `Validation`, `test`, `eval`); undefined for other words. */
export function phaseSplit(word: string): Split | undefined {
  const key = normalizedKey(word);
  return SPLIT_PREFIXES.find(([prefix]) => prefix === key)?.[1];
}

/** What a column or key name means; null for names convdoc does not read (metrics, runtimes, ...). */
export function keyMeaning(name: string): KeyMeaning | null {
  if (LIGHTNING_RATE.test(name)) return { quantity: 'learning-rate', split: 'train', granularity: 'run' };
  const key = normalizedKey(name);
  const { split, rest: unsplit } = splitApart(key);
  // Read after any column named for a loss, as a loss named for its kind is.
  if (LIGHTNING_EPOCH_AVERAGES.has(key)) return { quantity: 'loss', split, granularity: 'named' };
  let rest = unsplit;
  const plain = QUANTITIES[rest];
  if (plain !== undefined) return { quantity: plain, split, granularity: 'run' };
  let granularity: Granularity = 'run';
  for (const [affix, named] of GRANULARITY_SUFFIXES)
    if (rest.endsWith(affix) && rest !== affix.slice(1)) [rest, granularity] = [rest.slice(0, -affix.length), named];
  for (const [affix, named] of GRANULARITY_PREFIXES)
    if (rest.startsWith(affix) && rest.length > affix.length) [rest, granularity] = [rest.slice(affix.length), named];
  const quantity = QUANTITIES[rest];
  if (quantity !== undefined) return { quantity, split, granularity };
  if (isAggregateLoss(rest)) return { quantity: 'loss', split, granularity: 'aggregate' };
  // A loss named for its kind (`nll_loss`, `ce_loss`, `rmse_loss`): read when no plainer loss is logged.
  // A loss in a named unit (`train_loss_nats_per_byte`): the same, after a plain `loss` when both are logged.
  if (isNamedLoss(rest) || isLossOfPart(rest) || LOSS_UNIT.test(rest))
    return { quantity: 'loss', split, granularity: 'named' };
  return isLossMetric(rest) ? { quantity: 'loss', split, granularity: 'metric' } : null;
}

/** A loss metric (LOSS_METRICS), alone or after an aggregate word (`mean_nll`, `avg_mse`). */
function isLossMetric(key: string): boolean {
  const [first, ...others] = key.split('_');
  return LOSS_METRICS.has(key) || (AGGREGATE_WORDS.has(first!) && LOSS_METRICS.has(others.join('_')));
}

/** A loss named for its kind or a part (NAMED_LOSS), none of its words a record's or a split's (NOT_A_LOSS_WORDS). */
function isNamedLoss(key: string): boolean {
  return NAMED_LOSS.test(key) && !key.split('_').some((word) => NOT_A_LOSS_WORDS.has(word));
}

/**
 * `loss_<part>`: `loss` first, then the part of the objective it is, as detectron2 names its terms
 * (`loss_cls`, `loss_box_reg`, `loss_rpn_loc` in metrics.json), mmdetection too (`loss_bbox`), and a
 * GAN its networks' (`loss_g`, `loss_d`: the PyTorch GAN tutorials' `Epoch [1/10], loss_g: 2.98,
 * loss_d: 0.40`, sweep s18). Read as `<part>_loss` is, unless a word after `loss` says the value is
 * no level of a loss (NOT_A_PART_WORDS) or is a record's or a split's (NOT_A_LOSS_WORDS), or is no
 * word (`loss_2_03`: a CSV sniff's header cell that is a printed `val loss 2.03`).
 */
function isLossOfPart(key: string): boolean {
  const [first, ...part] = key.split('_');
  return (
    first === 'loss' &&
    part.length > 0 &&
    part.every((word) => /^[a-z]/.test(word) && !NOT_A_PART_WORDS.has(word) && !NOT_A_LOSS_WORDS.has(word))
  );
}

/** `loss` with an aggregate word before it, or `loss` first and an aggregate word last (AGGREGATE_WORDS). */
function isAggregateLoss(key: string): boolean {
  const words = key.split('_');
  if (!words.includes('loss')) return false;
  const before = words.slice(0, words.indexOf('loss'));
  const named = isNamedLoss(key) && before.some((word) => AGGREGATE_WORDS.has(word));
  return named || (words[0] === 'loss' && words.length > 1 && AGGREGATE_WORDS.has(words.at(-1)!));
}

/**
 * Among `names`, the one to read for a quantity on a split (the first of keysByRank).
 */
export function pickKey(names: readonly string[], quantity: Quantity, split: Split): string | undefined {
  return keysByRank(names, quantity, split)[0];
}

/**
 * The names that hold a quantity on a split, best first. The rule, in order:
 * 1. the per-epoch aggregate (`train_loss_epoch`, `epoch_loss`);
 * 2. a plain name (`loss`, `train_loss`);
 * 3. a per-step one (`train_loss_step`);
 * 4. a loss named as the whole objective, its total or mean (`total_loss`, `loss_tgt_mean`);
 * 5. a loss named for its kind, unit or a part of the objective (`nll_loss`, `loss_bits`,
 *    `mse_observation_loss`);
 * 6. a metric that is a loss function (`train_mse`).
 * Within a rank, the column that comes first: a logger writes the loss it optimizes before its
 * terms and diagnostics. Lightning writes `<name>_step` and `<name>_epoch` when a value is logged with
 * both on_step and on_epoch, the epoch one the mean over the epoch's batches
 * (lightning.ai/docs/pytorch/stable/extensions/logging.html): one batch's loss is noise around
 * that mean, so the mean is what the run's course is judged on, for training as for validation.
 * An aggregate before its parts: the parts of a multi-term objective can rise while their sum falls.
 * A part whose every value is the same (a regularizer switched off) is passed over once the rows
 * are read (constant-loss.ts).
 */
export function keysByRank(names: readonly string[], quantity: Quantity, split: Split): string[] {
  const candidates = names.flatMap((name) => {
    const meaning = keyMeaning(name);
    return meaning !== null && meaning.quantity === quantity && meaning.split === split
      ? [{ name, rank: GRANULARITY_ORDER.indexOf(meaning.granularity) }]
      : [];
  });
  candidates.sort((a, b) => a.rank - b.rank);
  return candidates.map(({ name }) => name);
}

const GRANULARITY_ORDER: readonly Granularity[] = ['epoch', 'run', 'step', 'aggregate', 'named', 'metric'];

/** Whether a loss column names one term of the objective or a metric (ranks 5 and 6 of keysByRank), not the objective itself. */
export function isLossPart(name: string): boolean {
  const granularity = keyMeaning(name)?.granularity;
  return granularity === 'named' || granularity === 'metric';
}

/** Whether a name is an aggregate over each epoch (`train_loss_epoch`, `epoch_loss`). */
export function isPerEpoch(name: string): boolean {
  return keyMeaning(name)?.granularity === 'epoch';
}
