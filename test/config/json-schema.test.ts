import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configJsonSchema } from '../../src/config/json-schema.js';

const shipped = JSON.parse(
  readFileSync(new URL('../../schema/convdoc.schema.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('the config JSON Schema', () => {
  it('ships exactly what the code generates (run `npm run schema` after changing the config schema)', () => {
    expect(shipped).toEqual(configJsonSchema());
  });

  it('is a valid draft 2020-12 schema that accepts a config and rejects a wrong one', () => {
    const validate = new Ajv2020({ strict: false }).compile(shipped);
    const config = parse(
      readFileSync(new URL('../../examples/boston-unscaled/convdoc.yaml', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    expect(validate(config), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...config, training: { optimizer: 'sgdd' } })).toBe(false);
    expect(validate({ ...config, extra: 1 })).toBe(false);
  });
});
