/**
 * The import graph of src/, read from the source text: every import and re-export of every file,
 * relative ones resolved to files, with whether it is type-only (TypeScript erases those: they load
 * nothing at run time) and whether it is a dynamic `import()` (it loads when called, not on import).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ImportEdge {
  /** Importing file, relative to the source root, e.g. `probe/run-probe.ts`. */
  from: string;
  /** Imported file, relative to the source root; for a package, its specifier. */
  to: string;
  typeOnly: boolean;
  /** `to` is a package, not a file of src/. */
  external?: boolean;
  /** A dynamic `import()`. */
  lazy?: boolean;
}

/** `import … from '…'` and `export … from '…'`, a bare `import '…'` (run for its effects), and `import('…')`. */
const IMPORT = /(?:import|export)\s[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/gm;

function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => name.split(path.sep).join('/'))
    .sort();
}

function importsOf(root: string, file: string): ImportEdge[] {
  const source = readFileSync(path.join(root, file), 'utf8');
  const edges: ImportEdge[] = [];
  for (const [statement, fromSpecifier, bareSpecifier, dynamicSpecifier] of source.matchAll(IMPORT)) {
    const specifier = fromSpecifier ?? bareSpecifier ?? dynamicSpecifier!;
    const typeOnly = /^(?:import|export) type\s/.test(statement);
    const lazy = dynamicSpecifier !== undefined;
    if (!specifier.startsWith('.')) edges.push({ from: file, to: specifier, typeOnly, external: true, lazy });
    else {
      const target = path.posix.join(path.posix.dirname(file), specifier.replace(/\.js$/, '.ts'));
      edges.push({ from: file, to: target, typeOnly, lazy });
    }
  }
  return edges;
}

export function importGraph(root: string): ImportEdge[] {
  return sourceFiles(root).flatMap((file) => importsOf(root, file));
}

/**
 * The imports a file runs when it is imported: its static imports and theirs, depth first. With
 * `runtimeOnly`, type-only imports are not followed.
 */
export function reachableImports(
  graph: readonly ImportEdge[],
  entry: string,
  { runtimeOnly = false } = {},
): ImportEdge[] {
  const reached: ImportEdge[] = [];
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const edge of graph) {
      if (edge.from !== file || edge.lazy === true || (runtimeOnly && edge.typeOnly)) continue;
      reached.push(edge);
      if (edge.external !== true) visit(edge.to);
    }
  };
  visit(entry);
  return reached;
}

/** The packages a file loads when it is imported, each with the first file that imports it. */
export function reachablePackages(
  graph: readonly ImportEdge[],
  entry: string,
  options: { runtimeOnly?: boolean } = {},
): Map<string, string> {
  const packages = new Map<string, string>();
  for (const edge of reachableImports(graph, entry, options))
    if (edge.external === true && !packages.has(edge.to)) packages.set(edge.to, edge.from);
  return packages;
}
