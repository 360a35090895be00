/**
 * A CSV whose file name says what its columns hold: losses. Hand-written loops save the losses they
 * appended with pandas or NumPy under a name that says so (`losses.csv`, `train_losses.csv`,
 * `seed_0_losses.csv`, `step_losses.csv`: `to_csv('train_losses.csv')`, `np.savetxt(name +
 * "losses.csv", ...)` in public scripts), and name the columns by what they are the loss of only:
 * its split (`,ep,train,valid,total`, held-out log 643), the network a GAN trains
 * (`,discriminator,Generator`, held-out log 641), or nothing at all (`"1","52.59"` step and loss
 * pairs with no header, held-out log 645). As a TensorBoard export's tag is read from its file name
 * (tensorboard-export.ts), such a file's columns are read as losses: each one the alias table does
 * not read is `<name>_loss` (`train` is `train_loss`, `valid` `valid_loss`, `total` `total_loss`, a
 * loss named as the whole objective; a file with a column named otherwise, outside LOSS_OWNERS, is not
 * read this way), and a first line of numbers is a row, not a header: one
 * column is the loss, two the step and the loss. Only for a header that names no loss (a header
 * that does is read as it says, csv-log.ts). A GAN's two losses are not one objective: its
 * discriminator's loss rises as its generator gets better at fooling it (Goodfellow et al. 2014,
 * arXiv:1406.2661, the minimax game), so a rise of it is no fault; the generator's is judged.
 */
import { isNumberText } from './config-fields.js';
import { hasLoss, logColumns } from './log-columns.js';
import { keyMeaning, normalizedKey } from './log-keys.js';

/** A file name that says it holds losses: `loss` or `losses` as a word of it (`losses.csv`, `loss_log.csv`, `train_losses.csv`). */
const NAMED_FOR_LOSSES = /(?:^|[^a-z])loss(?:es)?(?:[^a-z]|$)/i;
/** The names a GAN's two networks' columns are given (normalized by normalizedKey). */
const GENERATOR_NAMES: ReadonlySet<string> = new Set(['generator', 'gen', 'g', 'net_g']);
const DISCRIMINATOR_NAMES: ReadonlySet<string> = new Set(['discriminator', 'disc', 'd', 'net_d']);
/**
 * The words a column of such a file may be named by to be read as a loss: a split, the whole
 * objective, or a GAN's network. Any other name (`alpha,beta,value` of a loss landscape,
 * `class,weight` of class weights) says the file holds something else than losses.
 */
const LOSS_OWNERS: ReadonlySet<string> = new Set([
  ...['train', 'val', 'valid', 'validation', 'test', 'total'],
  ...GENERATOR_NAMES,
  ...DISCRIMINATOR_NAMES,
]);
/** The columns a headerless file of losses may have: the loss alone, or its step and the loss. */
const HEADERLESS_NAMES: readonly (readonly string[])[] = [[], ['loss'], ['step', 'loss']];

export interface LossFileHeader {
  /** The column names to read the file through. */
  names: string[];
  /** The first line holds values, not names (a headerless file). */
  firstIsRow: boolean;
  /** What the report says of how the columns were read. */
  note: string;
  /** The column to judge as the training loss, when the header's order would pick another (a GAN's generator). */
  loss?: string;
}

/**
 * How to read a CSV whose first line has `cells`, when its file name says it holds losses and the
 * line names no loss; undefined otherwise (any other file, or a first line this rule cannot read).
 */
export function lossFileHeader(name: string, cells: readonly string[]): LossFileHeader | undefined {
  if (!NAMED_FOR_LOSSES.test(name) || hasLoss(logColumns(cells))) return undefined;
  if (cells.every(isNumberText)) return headerless(name, cells);
  const unread = (cell: string) => cell !== '' && keyMeaning(cell) === null;
  if (cells.some((cell) => unread(cell) && !LOSS_OWNERS.has(normalizedKey(cell)))) return undefined;
  const renamed = cells.map((cell) => (unread(cell) ? `${cell}_loss` : cell));
  const read = cells.filter((cell, index) => renamed[index] !== cell).map((cell) => JSON.stringify(cell));
  if (!hasLoss(logColumns(renamed))) return undefined;
  const note = `the file's name says it holds losses: ${read.join(', ')} read as ${read.length === 1 ? 'a loss' : 'losses'}`;
  const generator = generatorColumn(cells);
  if (generator === undefined) return { names: renamed, firstIsRow: false, note };
  return {
    names: renamed,
    firstIsRow: false,
    note: `${note}; "${cells[generator]}" judged, a GAN's generator (its discriminator's loss rises as the generator improves)`,
    loss: renamed[generator],
  };
}

/** The place of a GAN generator's column, when a discriminator's stands beside it. */
function generatorColumn(cells: readonly string[]): number | undefined {
  const keys = cells.map(normalizedKey);
  const generator = keys.findIndex((key) => GENERATOR_NAMES.has(key));
  return generator >= 0 && keys.some((key) => DISCRIMINATOR_NAMES.has(key)) ? generator : undefined;
}

/** A headerless file of losses: its one column the loss, or its two the step (a whole number) and the loss. */
function headerless(name: string, cells: readonly string[]): LossFileHeader | undefined {
  const names = HEADERLESS_NAMES[cells.length];
  if (names === undefined || names.length === 0) return undefined;
  if (names.length === 2 && !Number.isInteger(Number(cells[0]))) return undefined;
  return {
    names: [...names],
    firstIsRow: true,
    note: `${name} has no header and its name says it holds losses: read as ${names.join(' and ')}`,
  };
}
