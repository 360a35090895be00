/** Writes the shipped JSON Schemas from the code; a test keeps the files equal to it. */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';
import { reportJsonSchema } from '../src/report/report-schema.js';

const write = (file: string, schema: Record<string, unknown>) =>
  writeFileSync(new URL(`../schema/${file}`, import.meta.url), `${JSON.stringify(schema, null, 2)}\n`);
write('convdoc.schema.json', configJsonSchema());
write('report.schema.json', reportJsonSchema());
