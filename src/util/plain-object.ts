/** A JSON-like object: not null, not an array (parsed configs, model files, fix values). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
