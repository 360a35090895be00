/** Plain config data (what yaml's toJS gives): reading and writing by key path, equality, and matching list items. */
import { isPlainObject } from '../../util/plain-object.js';

/** A key path segment: a mapping key or a list index. */
export type Segment = string | number;

export function sameLayerType(a: unknown, b: unknown): boolean {
  return isPlainObject(a) && isPlainObject(b) && typeof a['type'] === 'string' && a['type'] === b['type'];
}

/** The longest common subsequence of two lists under `same`, as index pairs in order. */
export function commonSubsequence<A, B>(
  a: readonly A[],
  b: readonly B[],
  same: (x: A, y: B) => boolean,
): Array<[number, number]> {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = same(a[i]!, b[j]!)
        ? lengths[i + 1]![j + 1]! + 1
        : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (same(a[i]!, b[j]!)) pairs.push([i++, j++]);
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
}

export function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Structural equality of plain data; a key whose value is undefined counts as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) &&
      Array.isArray(b) &&
      a.length === b.length &&
      a.every((item, index) => deepEqual(item, b[index]))
    );
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = (object: Record<string, unknown>) => Object.keys(object).filter((key) => object[key] !== undefined);
  const [aKeys, bKeys] = [keys(a), keys(b)];
  return aKeys.length === bKeys.length && aKeys.every((key) => deepEqual(a[key], b[key]));
}

export function plainAt(value: unknown, path: readonly Segment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

export function setPlain(target: unknown, path: readonly Segment[], value: unknown): void {
  let current = target;
  for (const [index, segment] of path.entries()) {
    if (!isPlainObject(current) && !Array.isArray(current)) return;
    const container = current as Record<string | number, unknown>;
    if (index === path.length - 1) {
      if (value === undefined && !Array.isArray(container)) delete container[segment];
      else container[segment] = structuredClone(value);
      return;
    }
    const next = path[index + 1]!;
    if (!isPlainObject(container[segment]) && !Array.isArray(container[segment]))
      container[segment] = typeof next === 'number' ? [] : {};
    current = container[segment];
  }
}
