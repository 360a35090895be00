import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { inspect } from '../../src/commands/inspect.js';
import { reportJsonSchema } from '../../src/report/report-schema.js';

const shipped = JSON.parse(readFileSync(new URL('../../schema/report.schema.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>;

describe('the report JSON Schema', () => {
  it('ships exactly what the code generates (run `npm run schema` after changing the report)', () => {
    expect(shipped).toEqual(reportJsonSchema());
  });

  it.each(['examples/boston-unscaled/convdoc.yaml', 'fixtures/iris/iris.csv'])(
    'accepts the inspect report of %s and rejects a broken one',
    async (input) => {
      const validate = new Ajv2020({ strict: false }).compile(shipped);
      const report = JSON.parse(JSON.stringify(await inspect(input))) as Record<string, unknown>;
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
      expect(validate({ ...report, verdict: 'fine' })).toBe(false);
      expect(validate({ ...report, findings: [{ symptom: 'no-such-symptom' }] })).toBe(false);
    },
  );
});
