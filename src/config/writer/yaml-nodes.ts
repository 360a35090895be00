/**
 * Small helpers on the yaml document's nodes: finding a key, restyling a scalar, handing a removed
 * node's comment on.
 */
import { isScalar, Scalar, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import type { Segment } from './plain-data.js';

export function keyName(pair: Pair): string | undefined {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

export function pairOf(map: YAMLMap, segment: Segment): Pair | undefined {
  return map.items.find((pair) => keyName(pair) === String(segment));
}

/**
 * What happens to the comment above a removed key or list item. A replacement (layers for file)
 * takes it over. Without one, a comment after a blank line heads what follows and stays, above the
 * next key (or at the end of the collection); a comment right above the key was about that key and
 * goes with it.
 */
export function handOver(
  removed: Node | undefined,
  next: Node | undefined,
  collection: YAMLMap | YAMLSeq,
  replacement = false,
): void {
  if (removed === undefined) return;
  if (removed.spaceBefore && next !== undefined) next.spaceBefore = true;
  if (!removed.commentBefore || !(replacement || removed.spaceBefore)) return;
  if (next !== undefined) next.commentBefore = [removed.commentBefore, next.commentBefore].filter(Boolean).join('\n');
  else collection.comment = [collection.comment, removed.commentBefore].filter(Boolean).join('\n');
}

/** A new scalar with the old one's style: its quotes, exponent notation or fraction digits. */
export function restyle(old: Scalar, value: unknown, float: boolean): Scalar {
  const scalar = new Scalar(value);
  if (
    typeof value === 'string' &&
    typeof old.value === 'string' &&
    (old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE)
  ) {
    scalar.type = old.type;
  }
  if (typeof value === 'number' && typeof old.value === 'number') {
    if (old.format === 'EXP' && !Number.isInteger(value)) scalar.format = 'EXP';
    if (old.minFractionDigits) scalar.minFractionDigits = old.minFractionDigits;
  }
  if (
    float &&
    typeof value === 'number' &&
    Number.isInteger(value) &&
    scalar.format === undefined &&
    !scalar.minFractionDigits
  )
    scalar.minFractionDigits = 1;
  return scalar;
}
