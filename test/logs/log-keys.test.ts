import { describe, expect, it } from 'vitest';
import { keyMeaning, namesSplit, normalizedKey, phaseSplit, pickKey, scoreOf } from '../../src/logs/log-keys.js';

describe('the key alias table (README, "Log keys")', () => {
  it.each([
    ['loss', 'loss', 'train'],
    ['train_loss', 'loss', 'train'],
    ['train/loss', 'loss', 'train'],
    ['Loss/train', 'loss', 'train'],
    ['train_loss_step', 'loss', 'train'],
    ['epoch_loss', 'loss', 'train'],
    ['val_loss', 'loss', 'validation'],
    ['valid_loss', 'loss', 'validation'],
    ['val/loss', 'loss', 'validation'],
    ['Loss/val', 'loss', 'validation'],
    ['eval_loss', 'loss', 'validation'],
    ['val_loss_epoch', 'loss', 'validation'],
    ['test_loss', 'loss', 'test'],
    ['lr', 'learning-rate', 'train'],
    ['learning_rate', 'learning-rate', 'train'],
    ['lr-Adam', 'learning-rate', 'train'],
    ['grad_norm', 'grad-norm', 'train'],
    ['iter', 'step', 'train'],
    ['global_step', 'step', 'train'],
    ['epoch', 'epoch', 'train'],
    // Abbreviations: `ep` (held-out log 643's `,ep,train,valid,total`), `tr_`/`va_` (log 634's table).
    ['ep', 'epoch', 'train'],
    ['tr_loss', 'loss', 'train'],
    ['va_loss', 'loss', 'validation'],
    ['va_acc', 'accuracy', 'validation'],
    ['val_acc', 'accuracy', 'validation'],
    // The top-1 accuracy logged beside a top-5 one (bench log 543's `train_acc_top1`).
    ['train_acc_top1', 'accuracy', 'train'],
    ['val_top1_acc', 'accuracy', 'validation'],
    ['train/nll_loss', 'loss', 'train'],
    ['val/rmse_loss', 'loss', 'validation'],
    // HF Trainer with several eval datasets: eval_<dataset>_loss.
    ['eval_g0_loss', 'loss', 'validation'],
    // A metric that is a loss function, read when no column is named for a loss.
    ['train_mse', 'loss', 'train'],
    ['val_mae', 'loss', 'validation'],
    ['nll', 'loss', 'train'],
    // A loss metric after an aggregate word (bench log 232).
    ['train_mean_nll', 'loss', 'train'],
    ['val_avg_mse', 'loss', 'validation'],
    // "Loss" and "epoch" in other languages, accents dropped (a Catalan log's `Epoca,Perdua`).
    ['Perdua', 'loss', 'train'],
    ['Pèrdua', 'loss', 'train'],
    ['pérdida', 'loss', 'train'],
    ['val_perdida', 'loss', 'validation'],
    ['Verlust', 'loss', 'train'],
    ['perte', 'loss', 'train'],
    ['Época', 'epoch', 'train'],
    ['Epoche', 'epoch', 'train'],
    // Chinese words run together (held-out log 573's `损失`; `训练损失`, `验证集损失` as scripts print them).
    ['损失', 'loss', 'train'],
    ['训练损失', 'loss', 'train'],
    ['验证损失', 'loss', 'validation'],
    ['验证集损失', 'loss', 'validation'],
    ['测试损失', 'loss', 'test'],
    ['平均损失', 'loss', 'train'],
    ['验证准确率', 'accuracy', 'validation'],
    ['学习率', 'learning-rate', 'train'],
  ])('%s is the %s of %s', (name, quantity, split) => {
    expect(keyMeaning(name)).toMatchObject({ quantity, split });
  });

  it.each([
    'train_r2',
    'train_runtime',
    'eval_g0_runtime',
    'Wall time',
    'loss_scale_factor',
    'Items',
    'pérdidas_total',
    // An aggregate word alone, or before no loss metric.
    'val_mean',
    'val_mean_cer',
    // The cross-entropy abbreviated is not read (bench log 318: a healthy run read as overfitting).
    'val_ce',
    'val_mean_ce',
    // A record of the run, in Chinese: the best or the final validation loss.
    '最佳验证损失',
    '最终验证损失',
    '耗时',
    '',
  ])('%s is not read', (name) => {
    expect(keyMeaning(name)).toBeNull();
  });

  /**
   * A loss in a named unit, as language and density models report it (bits per character or byte,
   * nats per token or dimension), and names with loss in them that are no loss.
   */
  it.each([
    ['train_loss_nats_per_byte', 'train'],
    ['validation_loss_nats_per_byte', 'validation'],
    ['val_loss_bits_per_char', 'validation'],
    ['loss_per_token', 'train'],
    ['train/loss_bits', 'train'],
    ['eval_loss_nats', 'validation'],
    ['test_loss_bits_per_dim', 'test'],
    ['TrainLossNatsPerByte', 'train'],
    ['train_loss_bits_per_byte_epoch', 'train'],
  ])('%s is a loss in a unit, of %s', (name, split) => {
    expect(keyMeaning(name)).toEqual({ quantity: 'loss', split, granularity: 'named' });
  });

  it.each([
    'loss_scale',
    'train/loss_scale',
    'loss_weight',
    'val_loss_weight',
    'loss_nats_per',
    // A record of the run, or a split inside the name: no loss to follow.
    'best_val_loss',
    'Best ValLoss',
    'min_loss',
    'max_loss',
    'final_train_loss',
    'min_val_loss',
    'loss_per',
    'loss_per_byte_nats',
    'loss_bits_scale',
    'train_loss_nats_per_second',
    // `loss` first, then a word that says the value is no level of a loss, or no word.
    'loss_coef',
    'loss_std',
    'loss_weights',
    'loss_best',
    'loss_2_03',
  ])('%s names no loss', (name) => {
    expect(keyMeaning(name)).toBeNull();
  });

  /** A loss named as the whole objective (its total, sum or mean), and one named for a part of it in several words. */
  it.each([
    ['total_loss', 'train', 'aggregate'],
    ['loss_total', 'train', 'aggregate'],
    ['loss_mean', 'train', 'aggregate'],
    ['loss_tgt_mean', 'train', 'aggregate'],
    ['val_loss_sum', 'validation', 'aggregate'],
    ['Train/Combined Loss', 'train', 'aggregate'],
    ['mse_observation_loss', 'train', 'named'],
    ['val_ce_reward_loss', 'validation', 'named'],
    // A task's loss with the split between its name and `loss` (bench log 355).
    ['exposure_train_loss', 'train', 'named'],
    ['exposure_val_loss', 'validation', 'named'],
    ['Exposure Val Loss', 'validation', 'named'],
    ['avg_train_loss', 'train', 'aggregate'],
    // `loss` first, then a part of the objective: detectron2's and mmdetection's terms, a GAN's networks (sweep s18).
    ['loss_cls', 'train', 'named'],
    ['loss_box_reg', 'train', 'named'],
    ['loss_rpn_loc', 'train', 'named'],
    ['loss_g', 'train', 'named'],
    ['loss_D', 'train', 'named'],
    ['val_loss_mel', 'validation', 'named'],
  ])('%s is a loss of %s, %s', (name, split, granularity) => {
    expect(keyMeaning(name)).toEqual({ quantity: 'loss', split, granularity });
  });

  /** Lightning's 2.0 migration example (#16520) logs the epoch mean of the step losses under these names. */
  it.each([
    ['validation_epoch_average', 'validation'],
    ['training_epoch_average', 'train'],
    ['ValidationEpochAverage', 'validation'],
  ])("%s is Lightning's epoch mean of the %s loss", (name, split) => {
    expect(keyMeaning(name)).toEqual({ quantity: 'loss', split, granularity: 'named' });
  });

  it.each([
    'epoch_average',
    'val_epoch_average',
    'validation_epoch_mean',
    'test_epoch_average',
    'train_f1_epoch_average',
  ])('%s says no quantity: not read', (name) => {
    expect(keyMeaning(name)).toBeNull();
  });

  it("reads Lightning's epoch average only when no column of its split is named for a loss", () => {
    expect(pickKey(['loss', 'validation_epoch_average'], 'loss', 'validation')).toBe('validation_epoch_average');
    expect(pickKey(['val_loss', 'validation_epoch_average'], 'loss', 'validation')).toBe('val_loss');
    expect(pickKey(['val_loss_step', 'validation_epoch_average'], 'loss', 'validation')).toBe('val_loss_step');
  });

  it('reads a loss in a unit only when no plain loss of its split is logged', () => {
    const names = ['step', 'train_loss_nats_per_byte', 'validation_loss_nats_per_byte', 'train_bpb_estimate'];
    expect(pickKey(names, 'loss', 'train')).toBe('train_loss_nats_per_byte');
    expect(pickKey(names, 'loss', 'validation')).toBe('validation_loss_nats_per_byte');
    expect(pickKey(['loss_bits', 'loss'], 'loss', 'train')).toBe('loss');
    expect(pickKey(['val_loss_per_token', 'val_loss'], 'loss', 'validation')).toBe('val_loss');
    expect(pickKey(['train_loss_nats', 'train_loss_step'], 'loss', 'train')).toBe('train_loss_step');
    expect(pickKey(['train_loss_nats', 'train_mse'], 'loss', 'train')).toBe('train_loss_nats');
  });

  it('prefers the per-epoch mean, then the plain name, then the per-step one, for training and validation', () => {
    const names = ['train_loss_epoch', 'train_loss_step', 'val_loss_step', 'val_loss_epoch'];
    expect(pickKey(names, 'loss', 'train')).toBe('train_loss_epoch');
    expect(pickKey(names, 'loss', 'validation')).toBe('val_loss_epoch');
    expect(pickKey([...names, 'loss'], 'loss', 'train')).toBe('train_loss_epoch');
    expect(pickKey(['train_loss_step', 'loss'], 'loss', 'train')).toBe('loss');
    expect(pickKey(['nll_loss', 'loss'], 'loss', 'train')).toBe('loss');
    expect(pickKey(['eval_g0_loss', 'eval_g1_loss', 'eval_loss'], 'loss', 'validation')).toBe('eval_loss');
    expect(pickKey(['eval_g0_loss', 'eval_g1_loss'], 'loss', 'validation')).toBe('eval_g0_loss');
    expect(pickKey(['train_mse', 'train_loss'], 'loss', 'train')).toBe('train_loss');
    expect(pickKey(['val_mse', 'val_nll_loss'], 'loss', 'validation')).toBe('val_nll_loss');
  });
});

/**
 * Hand-written logs spell their headers as their authors write code: `TrainLoss` (bench/logs 170,
 * 172, 173), `Train Loss`, `train-loss`, `Val_Loss`. Each spelling is read as the snake_case name the
 * alias table knows, and a header word that is no quantity stays unread whatever its spelling.
 */
describe('header spellings', () => {
  it.each([
    ['TrainLoss', 'train_loss', 'loss', 'train'],
    ['trainLoss', 'train_loss', 'loss', 'train'],
    ['Train Loss', 'train_loss', 'loss', 'train'],
    ['train-loss', 'train_loss', 'loss', 'train'],
    ['train.loss', 'train_loss', 'loss', 'train'],
    ['TRAIN_LOSS', 'train_loss', 'loss', 'train'],
    ['ValLoss', 'val_loss', 'loss', 'validation'],
    ['Val_Loss', 'val_loss', 'loss', 'validation'],
    ['Val  Loss', 'val_loss', 'loss', 'validation'],
    ['ValidationLoss', 'validation_loss', 'loss', 'validation'],
    ['TestLoss', 'test_loss', 'loss', 'test'],
    ['ValAcc', 'val_acc', 'accuracy', 'validation'],
    ['TrainAccuracy', 'train_accuracy', 'accuracy', 'train'],
    ['LR', 'lr', 'learning-rate', 'train'],
    ['LearningRate', 'learning_rate', 'learning-rate', 'train'],
    ['GradNorm', 'grad_norm', 'grad-norm', 'train'],
    ['Epoch', 'epoch', 'epoch', 'train'],
    ['GlobalStep', 'global_step', 'step', 'train'],
    ['ValMSE', 'val_mse', 'loss', 'validation'],
    ['CELoss', 'ce_loss', 'loss', 'train'],
    ['TrainLossEpoch', 'train_loss_epoch', 'loss', 'train'],
  ])('%s is %s: the %s of %s', (name, normalized, quantity, split) => {
    expect(normalizedKey(name)).toBe(normalized);
    expect(keyMeaning(name)).toMatchObject({ quantity, split });
  });

  it.each([
    'Name',
    'Age',
    'ValSpearman',
    'MaeE',
    'MaeF',
    'EpochTime',
    'WallTime',
    'Items',
    'Time',
    // A top-5 accuracy says nothing about chance at 1/C; `acc1` is printed in percent by timm and DeiT.
    'train_acc_top5',
    'test_acc1',
  ])('%s is not read', (name) => {
    expect(keyMeaning(name)).toBeNull();
  });

  it('keeps the per-epoch mean first whatever the spelling', () => {
    expect(pickKey(['TrainLossStep', 'TrainLossEpoch'], 'loss', 'train')).toBe('TrainLossEpoch');
  });
});

describe('split words', () => {
  it.each([
    ['val_loss', true],
    ['Train Loss', true],
    ['Training Phase Loss', true],
    ['Loss/val', true],
    ['train/loss/val', true],
    ['loss', false],
    ['Average loss', false],
    ['accuracy', false],
  ])('%s names its split: %s', (name, named) => {
    expect(namesSplit(name)).toBe(named);
  });

  it.each([
    ['val', 'validation'],
    ['Validation', 'validation'],
    ['eval', 'validation'],
    ['test', 'test'],
    ['train', 'train'],
    ['batch', undefined],
    ['evaluation', undefined],
  ])('the phase word %s is %s', (word, split) => {
    expect(phaseSplit(word)).toBe(split);
  });
});

/** Held-out scores that improve upwards (README, "Held-out scores"): read as a score, never as an accuracy or a loss. */
describe('held-out scores', () => {
  it.each([
    ['val_f1', 'f1', 'validation'],
    ['ValF1', 'f1', 'validation'],
    ['eval_f1_score', 'f1_score', 'validation'],
    ['valid_auc', 'auc', 'validation'],
    ['val_roc_auc', 'roc_auc', 'validation'],
    ['val/AUROC', 'auroc', 'validation'],
    ['val_iou', 'iou', 'validation'],
    ['val_mIoU', 'miou', 'validation'],
    ['val_mean_iou', 'mean_iou', 'validation'],
    ['val_dice', 'dice', 'validation'],
    ['test_dice_score', 'dice_score', 'test'],
    ['val_ssim', 'ssim', 'validation'],
    ['val_psnr', 'psnr', 'validation'],
    ['PSNR/val', 'psnr', 'validation'],
    ['val_psnr_epoch', 'psnr', 'validation'],
    ['train_f1', 'f1', 'train'],
  ])('%s is the score %s of %s', (name, score, split) => {
    expect(keyMeaning(name)).toMatchObject({ quantity: 'score', split });
    expect(scoreOf(name)).toBe(score);
  });

  it.each([
    // Losses named for a score (a Dice or IoU loss falls as the score rises).
    ['val_dice_loss', 'loss'],
    ['val_iou_loss', 'loss'],
    ['val_acc', 'accuracy'],
  ])('%s is no score: it is the %s', (name, quantity) => {
    expect(keyMeaning(name)?.quantity).toBe(quantity);
  });

  it.each(['val_f1_macro', 'val_ap', 'val_map', 'val_bleu', 'val_r2'])('%s is not read as a score', (name) => {
    expect(keyMeaning(name)?.quantity).not.toBe('score');
  });

  it('picks the first held-out score a log writes', () => {
    expect(pickKey(['step', 'loss', 'val_psnr', 'val_ssim'], 'score', 'validation')).toBe('val_psnr');
  });
});
