/**
 * Vitest global setup of the e2e project: the tests run bin/convdoc.js, which loads dist/, so dist/
 * is rebuilt (`npm run build`) when it is missing or older than the sources. `npm test` and a fresh
 * `npm ci` (its `prepare` builds) leave it current, and then this costs one walk of two folders.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILD_INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest modification time of a file or of any file under a folder; 0 when it does not exist. */
function newestChange(relative: string): number {
  const target = path.join(ROOT, relative);
  if (!existsSync(target)) return 0;
  if (!statSync(target).isDirectory()) return statSync(target).mtimeMs;
  const files = readdirSync(target, { recursive: true, encoding: 'utf8' });
  return Math.max(0, ...files.map((file) => statSync(path.join(target, file)).mtimeMs));
}

export default function buildIfStale(): void {
  if (newestChange('dist') >= Math.max(...BUILD_INPUTS.map(newestChange))) return;
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'inherit' });
}
