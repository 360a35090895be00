import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(import.meta.dirname, '../src');

/**
 * Every module a file reaches through relative imports, and the packages those modules import.
 * With `runtimeOnly`, `import type` is skipped: TypeScript erases it, so it loads nothing.
 */
function reachablePackages(entry: string, { runtimeOnly = false } = {}): Map<string, string> {
  const packages = new Map<string, string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [statement, specifier] of source.matchAll(
      /(?:import|export)\s[^'"]*?from\s+'([^']+)'|import\(\s*'([^']+)'\s*\)/g,
    )) {
      if (specifier === undefined || (runtimeOnly && /^(?:import|export) type\s/.test(statement))) continue;
      if (specifier.startsWith('.')) visit(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '.ts')));
      else if (!packages.has(specifier)) packages.set(specifier, path.relative(SRC, file));
    }
  };
  visit(entry);
  return packages;
}

describe('the diagnostic engine', () => {
  const detectors = readdirSync(path.join(SRC, 'symptoms')).filter((name) => name.endsWith('.ts'));

  it.each(detectors)('symptoms/%s reaches no tfjs module, directly or through its imports', (name) => {
    const packages = [...reachablePackages(path.join(SRC, 'symptoms', name)).keys()];
    expect(packages.filter((specifier) => specifier.startsWith('@tensorflow'))).toEqual([]);
  });

  it('the probe trace type is plain data, free of tfjs', () => {
    expect([...reachablePackages(path.join(SRC, 'trace/trace.ts')).keys()]).toEqual([]);
  });
});

describe('the probe pool', () => {
  it('reaches no tfjs module when it loads: the CLI starts the workers before this process loads tfjs', () => {
    const packages = [...reachablePackages(path.join(SRC, 'trials/probe-pool.ts'), { runtimeOnly: true }).keys()];
    expect(packages.filter((specifier) => specifier.startsWith('@tensorflow'))).toEqual([]);
  });
});
