import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { errorCode } from '../../src/util/error-code.js';

describe('errorCode', () => {
  it('is the errno code of a failed file operation', async () => {
    const error: unknown = await readFile('/nonexistent/convdoc').catch((caught: unknown) => caught);
    expect(errorCode(error)).toBe('ENOENT');
  });

  it("is the error's text when there is no code", () => {
    expect(errorCode(new Error('disk on fire'))).toBe('Error: disk on fire');
    expect(errorCode('no space')).toBe('no space');
  });
});
