/**
 * The import graph of src/, read from the source text: every relative import and re-export of
 * every file, with whether it is type-only (TypeScript erases those: they load nothing at run time).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImportEdge {
  /** Importing file, relative to the source root, e.g. `probe/run-probe.ts`. */
  from: string;
  /** Imported file, relative to the source root. */
  to: string;
  typeOnly: boolean;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g;

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.split(path.sep).join('/'))
    .sort();
}

/** Relative imports of `file` (relative to `root`), resolved to files relative to `root`. */
function importsOf(root: string, file: string): ImportEdge[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const edges: ImportEdge[] = [];
  for (const [statement, fromSpecifier, dynamicSpecifier] of source.matchAll(IMPORT)) {
    const specifier = fromSpecifier ?? dynamicSpecifier;
    if (specifier === undefined || !specifier.startsWith('.')) continue;
    const target = path.posix.join(path.posix.dirname(file), specifier.replace(/\.js$/, '.ts'));
    edges.push({ from: file, to: target, typeOnly: /^(?:import|export) type\s/.test(statement) });
  }
  return edges;
}

export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((file) => importsOf(root, file));
}
