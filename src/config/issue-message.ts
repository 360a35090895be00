/**
 * Turns a zod issue into one sentence a user can act on: what is wrong, what is expected, and what
 * was found. The location (file:line:column and key path) is added by the caller.
 */
import type { z } from 'zod';
import { didYouMean } from '../util/suggest.js';
import { allowedKeysAt } from './json-schema.js';

type Issue = z.core.$ZodIssue & { input?: unknown };

export function issueMessage(issue: Issue): string {
  const found = 'input' in issue ? `, got ${describe(issue.input)}` : '';
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeysAt(issue.path, issue.input);
      const key = issue.keys[0]!;
      return `unknown key ${JSON.stringify(key)}.${didYouMean(key, allowed)} Allowed keys here: ${allowed.join(', ')}`;
    }
    case 'invalid_type':
      if (issue.input === undefined) return `missing required key (expected ${article(issue.expected)})`;
      return `expected ${article(issue.expected)}${found}`;
    case 'invalid_union':
      if (issue.input === undefined) return `missing required key: ${issue.message}`;
      return 'discriminator' in issue ? discriminatorMessage(issue) : `${issue.message}${found}`;
    case 'invalid_value': {
      const options = issue.values.map((value) => JSON.stringify(value));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      const expected = options.length === 1 ? options[0] : `one of ${options.join(', ')}`;
      if (issue.input === undefined) return `missing required key (expected ${expected})`;
      return `expected ${expected}${found}.${hint}`.replace(/\.$/, '');
    }
    case 'too_small':
      return `expected ${boundText(issue.origin, issue.inclusive ? '>=' : '>', issue.minimum)}${found}`;
    case 'too_big':
      return `expected ${boundText(issue.origin, issue.inclusive ? '<=' : '<', issue.maximum)}${found}`;
    case 'custom':
      return issue.message;
    default:
      return `${issue.message}${found}`;
  }
}

/** A tagged union (`schedule.type`) whose tag is missing or unknown: list the tags it accepts. */
function discriminatorMessage(issue: Issue & { discriminator?: unknown; options?: unknown[] }): string {
  const key = String(issue.discriminator);
  const value = (issue.input as Record<string, unknown> | null)?.[key];
  const options = (issue.options ?? []).map(String);
  const hint = typeof value === 'string' ? didYouMean(value, options) : '';
  const got = value === undefined ? `the key "${key}" is missing` : `got ${describe(value)}`;
  return `expected ${key} to be one of ${options.map((o) => JSON.stringify(o)).join(', ')}; ${got}.${hint}`.replace(
    /\.$/,
    '',
  );
}

function boundText(origin: string, operator: string, bound: number | bigint): string {
  if (origin === 'array') return operator.startsWith('>') ? `at least ${bound} item(s)` : `at most ${bound} item(s)`;
  if (origin === 'string') return operator.startsWith('>') ? 'a non-empty string' : `at most ${bound} characters`;
  return `a number ${operator} ${bound}`;
}

function article(expected: string): string {
  if (expected === 'object') return 'a mapping (key: value)';
  if (expected === 'array') return 'a list';
  if (expected === 'int') return 'a whole number';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : `a list of ${value.length}`;
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  // Parsed YAML or JSON: what is left is a number, a boolean or undefined.
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : 'undefined';
}
