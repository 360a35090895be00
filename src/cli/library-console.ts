/**
 * tfjs and its wasm module talk through `console` ("Orthogonal initializer is being called on a
 * matrix with more than 2000 elements: Slowness may result."). convdoc never writes through
 * `console` itself, so while a command runs every console message is a library's: with --debug it
 * goes to stderr marked as such, otherwise nowhere. stdout (and --json on it) stays convdoc's alone.
 */
import { format } from 'node:util';
import type { CliIo } from './io.js';

const METHODS = ['log', 'info', 'warn', 'error', 'debug'] as const;

/** Routes console output as above until the returned function restores it. */
export function routeLibraryConsole(io: CliIo, debug: boolean): () => void {
  // Reflect: the originals are kept as values to put back, never called from here.
  const saved = METHODS.map((method) => [method, Reflect.get(console, method) as unknown] as const);
  for (const method of METHODS) {
    console[method] = debug ? (...args: unknown[]) => void io.stderr.write(`[library] ${format(...args)}\n`) : () => {};
  }
  return () => {
    for (const [method, original] of saved) Reflect.set(console, method, original);
  };
}
