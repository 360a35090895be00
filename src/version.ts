import { readFileSync } from 'node:fs';
import { isPlainObject } from './util/plain-object.js';

/** The package root's package.json: one folder up from src/version.ts and from dist/version.js alike. */
const packageJson: unknown = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/** convdoc's own version, from package.json. */
export const TOOL_VERSION: string = versionOf(packageJson);

function versionOf(manifest: unknown): string {
  if (isPlainObject(manifest) && typeof manifest.version === 'string') return manifest.version;
  throw new Error('convdoc could not read its own version from package.json');
}
