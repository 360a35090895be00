/**
 * Chinese names of a log's values, read as the English words the alias table knows. Chinese runs
 * its words together (`训练损失` is "train loss", `平均损失` "average loss"), so each known word
 * becomes its English one between separators before the name is split into words (log-keys.ts):
 * `训练损失` is `train_loss`, `最佳验证损失` is `best_val_loss` (a record, not read). Scripts print
 * these as `训练损失: 0.41`, `验证准确率: 0.82`, `损失：0.6965` (with a full-width colon), in
 * f-strings found across public repositories (the code corpus, session 20; held-out log 573).
 */
const CHINESE_WORDS: readonly [string, string][] = [
  // A split's data set (`验证集损失`, "validation set loss") before the split's own word.
  ['训练集', 'train'],
  ['验证集', 'val'],
  ['测试集', 'test'],
  ['学习率', 'lr'],
  ['准确率', 'acc'],
  ['正确率', 'acc'],
  ['损失', 'loss'],
  ['训练', 'train'],
  ['验证', 'val'],
  ['测试', 'test'],
  ['平均', 'avg'],
  ['最佳', 'best'],
  ['最优', 'best'],
  ['最终', 'final'],
  ['最小', 'min'],
  ['总', 'total'],
];
const HAN = /\p{Script=Han}/u;

/** The name with each Chinese word of CHINESE_WORDS replaced by its English word, set apart by spaces. */
export function englishKeyWords(name: string): string {
  if (!HAN.test(name)) return name;
  return CHINESE_WORDS.reduce((text, [chinese, english]) => text.replaceAll(chinese, ` ${english} `), name);
}
