/** The number of values a tensor of `shape` holds; an unknown (null) dimension, a batch axis say, counts as 1. */
export function shapeSize(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((product, size) => product * (size ?? 1), 1);
}
