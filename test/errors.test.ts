/** Messages users see are one line: control characters from their own text are shown escaped. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../src/errors.js';

describe('error messages', () => {
  it.each([
    ['a line break', 'key "a\nb"', 'key "a\\nb"'],
    ['a carriage return and a tab', 'header "x\r\ty"', 'header "x\\r\\ty"'],
    ['an escape sequence', 'value "\u001b[31m"', 'value "\\u001b[31m"'],
    ['DEL, which JSON leaves as it is', 'column "a\u007fb"', 'column "a\\u007fb"'],
    ['printable text beyond ASCII', 'column "größe×2"', 'column "größe×2"'],
  ])('escape %s', (_case, text, shown) => {
    expect(new DataError(text).message).toBe(shown);
  });

  it('keeps one line per problem of a ConfigError', () => {
    const error = new ConfigError(['c.yaml: key "a\nb" is unknown', 'c.yaml: seed: expected a number']);
    expect(error.message.split('\n')).toEqual(['c.yaml: key "a\\nb" is unknown', 'c.yaml: seed: expected a number']);
  });
});
