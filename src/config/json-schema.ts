/** The JSON Schema of the config file, generated from the zod schema so the two cannot drift. */
import { z } from 'zod';
import { configSchema } from './schema.js';

export type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  [key: string]: unknown;
};

/** The schema of what users write (before defaults are filled), which is what editors complete. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }),
    $id: 'https://github.com/convdoc/convdoc/schema/convdoc.schema.json',
    title: 'convdoc config (version 1)',
  };
}

/**
 * The keys a mapping at `path` may have, for "did you mean" hints on unknown keys. In a tagged
 * union (`schedule`), only the alternative whose `type` matches the mapping's own counts.
 */
export function allowedKeysAt(path: readonly PropertyKey[], mapping?: unknown): string[] {
  const tag = (mapping as { type?: unknown } | undefined)?.type;
  const candidates = schemasAt(path);
  const matching = candidates.filter((schema) => schema.properties?.['type']?.['const'] === tag);
  const chosen = matching.length > 0 ? matching : candidates;
  return [...new Set(chosen.flatMap((schema) => Object.keys(schema.properties ?? {})))];
}

/** Every schema a value at `path` may follow: each alternative of a union counts. */
export function schemasAt(path: readonly PropertyKey[]): JsonSchema[] {
  let level: JsonSchema[] = [configSchemaJson()];
  for (const segment of path) {
    level = level.flatMap(expandAlternatives).flatMap((schema) => {
      const child = typeof segment === 'number' ? schema.items : schema.properties?.[String(segment)];
      return child === undefined ? [] : [child];
    });
  }
  return level.flatMap(expandAlternatives);
}

let cachedSchema: JsonSchema | undefined;

/** The config's JSON Schema, made once (hints and rewrites walk it often) and frozen, since every caller shares it. */
function configSchemaJson(): JsonSchema {
  return (cachedSchema ??= deepFreeze(configJsonSchema()) as JsonSchema);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

function expandAlternatives(schema: JsonSchema): JsonSchema[] {
  const alternatives = schema.anyOf ?? schema.oneOf;
  return alternatives === undefined ? [schema] : alternatives.flatMap(expandAlternatives);
}
