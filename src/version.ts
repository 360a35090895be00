import { readFileSync } from 'node:fs';

/** convdoc's own version, from package.json (the same two levels up from src/ and from dist/). */
export const TOOL_VERSION: string = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
).version;
