/** Writes the shipped JSON Schemas from the code; a test keeps the files equal to it. */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../src/config/json-schema.js';

writeFileSync(new URL('../schema/convdoc.schema.json', import.meta.url), `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
