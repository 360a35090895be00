/**
 * The folders of src/ and what each may import: the pipeline of docs/architecture.md, read one way.
 * A folder imports only the folders listed for it (and itself); the base modules (util/, errors.ts,
 * version.ts) are importable from everywhere. A new folder must be added here before it is used.
 */
import type { ImportEdge } from './import-graph.js';

const BASE = ['util', 'errors', 'version'] as const;

const INPUTS = ['config', 'data', 'trace', 'model'] as const;
const ENGINE = [...INPUTS, 'symptoms'] as const;
const MEASURED = [...ENGINE, 'probe', 'logs', 'fixes', 'trials'] as const;

export const ALLOWED_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  util: ['errors'],
  errors: [],
  version: [],
  config: [],
  data: ['config'],
  // The run record every producer writes and every consumer reads: it depends on nothing.
  trace: [],
  model: ['config', 'trace'],
  // Producers of a run record: the tfjs probe, and the readers (and writer) of training logs.
  probe: [...INPUTS],
  logs: ['data', 'trace'],
  // The engine judges any run record, so it never sees who produced it.
  symptoms: [...INPUTS],
  fixes: [...ENGINE],
  trials: [...ENGINE, 'probe', 'logs', 'fixes'],
  report: [...MEASURED],
  commands: [...MEASURED, 'report'],
  cli: [...MEASURED, 'report', 'commands'],
  index: [...MEASURED, 'report', 'commands'],
};

/** The folder (or root module, without `.ts`) a source file belongs to. */
export function layerOf(file: string): string {
  return file.split('/')[0]!.replace(/\.ts$/, '');
}

/** Imports that break the rules: into a folder not allowed for the importer, or from/into an unknown folder. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  for (const { from, to, external } of edges) {
    if (external === true) continue;
    const [source, target] = [layerOf(from), layerOf(to)];
    if (source === target || (BASE as readonly string[]).includes(target)) continue;
    const allowed = ALLOWED_IMPORTS[source];
    if (allowed === undefined) violations.push(`${from}: its folder "${source}" has no rule in ALLOWED_IMPORTS`);
    else if (!allowed.includes(target))
      violations.push(`${from} imports ${to}: "${source}" may not import "${target}"`);
  }
  return violations;
}

/** Cycles among files through imports that load at run time, each as the list of files around it. */
export function runtimeCycles(edges: readonly ImportEdge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to, typeOnly, external } of edges)
    if (!typeOnly && external !== true) next.set(from, [...(next.get(from) ?? []), to]);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const target of next.get(file) ?? []) {
      if (state.get(target) === 'open') cycles.push(stack.slice(stack.indexOf(target)));
      else if (!state.has(target)) visit(target);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...next.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}
