import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importGraph, reachableImports, reachablePackages, type ImportEdge } from './architecture/import-graph.js';
import { ALLOWED_IMPORTS, layerOf, layerViolations, runtimeCycles } from './architecture/layers.js';

const SRC = path.resolve(import.meta.dirname, '../src');

const graph = importGraph(SRC);

describe('the diagnostic engine', () => {
  const detectors = readdirSync(path.join(SRC, 'symptoms')).filter((name) => name.endsWith('.ts'));

  it.each(detectors)('symptoms/%s reaches no tfjs module, directly or through its imports', (name) => {
    const packages = [...reachablePackages(graph, `symptoms/${name}`).keys()];
    expect(packages.filter((specifier) => specifier.startsWith('@tensorflow'))).toEqual([]);
  });

  it('the probe trace type is plain data, free of tfjs', () => {
    expect([...reachablePackages(graph, 'trace/trace.ts').keys()]).toEqual([]);
  });
});

describe('the probe pool', () => {
  it('reaches no tfjs module when it loads: the CLI starts the workers before this process loads tfjs', () => {
    const packages = [...reachablePackages(graph, 'trials/probe-pool.ts', { runtimeOnly: true }).keys()];
    expect(packages.filter((specifier) => specifier.startsWith('@tensorflow'))).toEqual([]);
  });
});

describe('the CLI', () => {
  it('loads no reporter when it starts: the registry imports each when its output is asked for', () => {
    const reporters = graph.filter((edge) => edge.from === 'report/reporters.ts' && edge.lazy === true);
    expect(reporters.length).toBeGreaterThan(0);
    const loaded = new Set(reachableImports(graph, 'cli/main.ts', { runtimeOnly: true }).map((edge) => edge.to));
    expect(reporters.map((edge) => edge.to).filter((file) => loaded.has(file))).toEqual([]);
  });
});

describe('the folders of src/ import one way', () => {
  it('every import follows ALLOWED_IMPORTS', () => {
    expect(layerViolations(graph)).toEqual([]);
  });

  it('every folder and root module has a rule', () => {
    const layers = new Set(
      graph.flatMap(({ from, to, external }) => (external === true ? [layerOf(from)] : [layerOf(from), layerOf(to)])),
    );
    expect([...layers].filter((layer) => ALLOWED_IMPORTS[layer] === undefined)).toEqual([]);
  });

  it('no files import each other in a cycle at run time', () => {
    expect(runtimeCycles(graph)).toEqual([]);
  });

  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });
  it.each([
    ['the engine importing the probe', edge('symptoms/plateau.ts', 'probe/run-probe.ts')],
    ['a type-only back-edge, which still couples the folders', edge('trace/trace.ts', 'probe/index.ts', true)],
    ['a reporter importing a command', edge('report/search-text.ts', 'commands/search.ts')],
    ['a fix importing trial statistics', edge('fixes/clip.ts', 'trials/trial-stats.ts')],
    ['a folder without a rule', edge('plugins/extra.ts', 'trace/trace.ts')],
  ])('a deliberately added back-edge fails the rules: %s', (_, backEdge) => {
    expect(layerViolations([backEdge])).toHaveLength(1);
  });

  it('reads every import form, so a back-edge cannot hide in one: from, bare, re-export, dynamic', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'convdoc-graph-'));
    mkdirSync(path.join(root, 'symptoms'));
    const forms = [
      "import { a } from '../probe/a.js';",
      "import '../probe/b.js';",
      "export { c } from '../probe/c.js';",
      "const d = () => import('../probe/d.js');",
    ];
    writeFileSync(path.join(root, 'symptoms/x.ts'), `${forms.join('\n')}\n`);
    const found = importGraph(root);
    expect(found.map(({ to }) => to)).toEqual(['probe/a.ts', 'probe/b.ts', 'probe/c.ts', 'probe/d.ts']);
    expect(layerViolations(found)).toHaveLength(4);
  });

  it('finds a cycle through runtime imports, but not through type-only ones', () => {
    const loop = [edge('data/a.ts', 'data/b.ts'), edge('data/b.ts', 'data/a.ts')];
    expect(runtimeCycles(loop)).toEqual([['data/a.ts', 'data/b.ts']]);
    expect(runtimeCycles([loop[0]!, { ...loop[1]!, typeOnly: true }])).toEqual([]);
  });
});
