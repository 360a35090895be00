/**
 * A line of held-out losses printed apart from the epoch's training line, with no epoch of its own:
 * `Epoch 1 Train | 损失：0.6965 | ...` then `Val Result | 损失：0.6118 | ...` (held-out log 573), as a
 * script prints its validation after the epoch's training. It is that epoch's evaluation, at the
 * last epoch printed, not a per-batch line to pass over.
 */
import { keyMeaning } from './log-keys.js';

/** The last epoch printed when every loss on the line is a held-out one; undefined otherwise. */
export function heldOutEpoch(
  values: Record<string, number>,
  lastEpoch: Record<string, number> | undefined,
): Record<string, number> | undefined {
  if (lastEpoch === undefined) return undefined;
  const losses = Object.keys(values).flatMap((name) => {
    const meaning = keyMeaning(name);
    return meaning?.quantity === 'loss' ? [meaning.split] : [];
  });
  return losses.length > 0 && losses.every((split) => split !== 'train') ? lastEpoch : undefined;
}
