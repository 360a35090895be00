/**
 * Printed lines that give each split's loss as a bare number after the split's name: `Epoch 3 |
 * train 0.5211 | val 0.6130`, `epoch 201 | train 1.1132 (seg 0.0766, thick 1.0367) | val 1.3223 (...)`
 * (held-out log 579), `[ckpt] step 500 | train 0.41 | val 0.45`. In the code corpus (session 20)
 * every f-string that prints `| val {val_loss...}` so prints losses (10 of 10), while a bare
 * `train {...}` without a held-out one beside it, or without an epoch or step on the line, is as
 * often a count or a shape (`Records: 6000 | train 4800 val 600`, `Shapes | train (64, 3)`). So the
 * numbers are read as losses only on a line that prints an epoch or a step, a bare training and a
 * bare held-out number, and no value named for a loss.
 */
import { keyMeaning, phaseSplit } from './log-keys.js';

/** The pairs with a bare `train` and `val` (`valid`, `test`, ...) renamed to their losses when the line is such a line. */
export function bareSplitLosses(pairs: Record<string, number>): Record<string, number> {
  const names = Object.keys(pairs);
  const quantities = names.map((name) => keyMeaning(name)?.quantity);
  const counted = quantities.some((quantity) => quantity === 'epoch' || quantity === 'step');
  const splits = names.map((name) => phaseSplit(name));
  const both = splits.includes('train') && splits.some((split) => split !== undefined && split !== 'train');
  if (!counted || !both || quantities.includes('loss')) return pairs;
  return Object.fromEntries(
    Object.entries(pairs).map(([name, value], index) => [splits[index] === undefined ? name : `${name} loss`, value]),
  );
}
