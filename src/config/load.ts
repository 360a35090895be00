/**
 * Reads a config file (YAML, or JSON, which YAML 1.2 also parses), validates it against the schema
 * and resolves its paths relative to the file. Problems become ConfigErrors that point at the line
 * and column of the offending key, so an editor can jump to it.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError, formatPosition } from '../errors.js';
import { errorCode } from '../util/error-code.js';
import type { RunInput } from '../util/output-check.js';
import { displayPath } from '../util/paths.js';
import { issueMessage } from './issue-message.js';
import type { z } from 'zod';
import { configSchema, isNpyFile, type Config } from './schema.js';

export interface LoadedConfig {
  config: Config;
  /** The config file's path as given. */
  file: string;
  /** The parsed document, kept for positions (reports) and comment-preserving rewrites (`fix`). */
  document: Document;
  lineCounter: LineCounter;
}

export async function loadConfig(file: string): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${displayPath(file)}: cannot read the config file (${errorCode(error)}). Check the path.`]);
  }
  return parseConfig(text, file);
}

/** Parses config text; `file` names it in messages and anchors its relative paths. */
export function parseConfig(text: string, file: string): LoadedConfig {
  const shown = displayPath(file);
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml's warnings (e.g. on collection keys) would reach the user's stderr.
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  if (document.errors.length > 0) {
    // Later parse errors are usually echoes of the first; one precise message is more useful.
    const [error] = document.errors;
    const { line, col } = lineCounter.linePos(error!.pos[0]);
    throw new ConfigError([
      `${formatPosition({ file: shown, line, column: col })}: not valid YAML or JSON: ${error!.message}`,
    ]);
  }
  if (document.contents === null) {
    throw new ConfigError([
      `${shown}: the config file is empty. Start from \`convdoc init <data.csv>\`, ` +
        'or write at least version: 1, data and model.',
    ]);
  }
  const result = configSchema.safeParse(toPlainValue(document, shown), { reportInput: true });
  if (!result.success) {
    const located = result.error.issues.map(decisiveIssue).map((issue) => {
      const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
      const keyPath = unknownKey === undefined ? issue.path : [...issue.path, unknownKey];
      const offset = offsetOf(document, issue.path, unknownKey);
      const { line, col } = lineCounter.linePos(offset);
      const where = formatPosition({ file: shown, line, column: col });
      const key = keyPath.length === 0 ? '(top level)' : keyPath.map(showKey).join('.');
      return { offset, text: `${where}: ${key}: ${issueMessage(issue)}` };
    });
    throw new ConfigError(located.sort((a, b) => a.offset - b.offset).map((problem) => problem.text));
  }
  return { config: resolvePaths(result.data, path.dirname(file)), file, document, lineCounter };
}

/**
 * A union that failed on the form written rather than on the type (an unknown loss name where a
 * name or a map of names is allowed): the issue of that form, at its own key, says what to change.
 */
function decisiveIssue(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== 'invalid_union' || 'discriminator' in issue) return issue;
  // A nested union that failed is a type failure too: it had no form that fit.
  const decisive = (inner: z.core.$ZodIssue) => inner.code !== 'invalid_type' && inner.code !== 'invalid_union';
  const fitting = issue.errors.filter((branch) => branch.some(decisive));
  if (fitting.length !== 1) return issue;
  const inner = fitting[0]!.find(decisive)!;
  return decisiveIssue({ ...inner, path: [...issue.path, ...inner.path] });
}

/**
 * The document as plain data. Aliases are resolved only here, so an alias without its anchor or
 * an alias bomb (yaml's resource-exhaustion guard) surfaces now, as a config error.
 */
function toPlainValue(document: Document, shown: string): unknown {
  try {
    return document.toJS();
  } catch (error) {
    throw new ConfigError([
      `${shown}: not valid YAML: ${(error as Error).message}. Define each anchor (&name) ` +
        'before its aliases (*name) and do not nest aliases deeply.',
    ]);
  }
}

/** A key as it reads in a dotted path: plain names bare, anything odd quoted. */
function showKey(segment: PropertyKey): string {
  return typeof segment === 'string' && !/^[\w-]+$/.test(segment) ? JSON.stringify(segment) : String(segment);
}

/**
 * Where a problem starts in the text: the unknown key itself, else the value at `keyPath`, else
 * (for a missing key) the nearest mapping that exists on the way there.
 */
function offsetOf(document: Document, keyPath: readonly PropertyKey[], unknownKey?: string): number {
  const segments = keyPath.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
  for (let depth = segments.length; depth >= 0; depth--) {
    const node = document.getIn(segments.slice(0, depth), true) as Node | undefined;
    if (node?.range === undefined || node.range === null) continue;
    if (unknownKey !== undefined && depth === segments.length && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === unknownKey);
      const keyRange = (pair?.key as Node | undefined)?.range;
      if (keyRange) return keyRange[0];
    }
    return node.range[0];
  }
  return 0;
}

function resolvePaths(config: Config, directory: string): Config {
  const resolve = (file: string) => path.resolve(directory, file);
  return {
    ...config,
    data: {
      ...config.data,
      train: resolve(config.data.train),
      ...(config.data.validation === undefined ? {} : { validation: resolve(config.data.validation) }),
      // A .npy train file's target is the file of its targets.
      ...(typeof config.data.target === 'string' && isNpyFile(config.data.train)
        ? { target: resolve(config.data.target) }
        : {}),
    },
    model: config.model.file === undefined ? config.model : { ...config.model, file: resolve(config.model.file) },
  };
}

/** Where a key of a loaded config is, or (when absent) the nearest mapping on the way to it. */
export function keyPosition(
  loaded: LoadedConfig,
  keyPath: readonly (string | number)[],
): { file: string; line: number; column: number } {
  const { line, col } = loaded.lineCounter.linePos(offsetOf(loaded.document, keyPath));
  return { file: displayPath(loaded.file), line, column: col };
}

/**
 * `file:line:column: key.path`, the prefix of every message about a key of a loaded config. With
 * `atKey`, the position is the last key's own (an unknown key), not its value's.
 */
export function locateKey(loaded: LoadedConfig, keyPath: readonly (string | number)[], atKey = false): string {
  const last = keyPath.at(-1);
  const offset =
    atKey && typeof last === 'string'
      ? offsetOf(loaded.document, keyPath.slice(0, -1), last)
      : offsetOf(loaded.document, keyPath);
  const { line, col } = loaded.lineCounter.linePos(offset);
  return `${formatPosition({ file: displayPath(loaded.file), line, column: col })}: ${keyPath.map(showKey).join('.')}`;
}

/** A problem found after validation (a column missing from the data, a shape that does not fit), placed at its key. */
export function configProblem(
  loaded: LoadedConfig,
  keyPath: readonly (string | number)[],
  message: string,
): ConfigError {
  return new ConfigError([`${locateKey(loaded, keyPath)}: ${message}`]);
}

/** The files a config makes a command read, named by their keys: no output may be written over them. */
export function configInputs({ file, config }: LoadedConfig): RunInput[] {
  return [
    { file, what: 'the config file' },
    { file: config.data.train, what: 'data.train' },
    ...(config.data.validation === undefined ? [] : [{ file: config.data.validation, what: 'data.validation' }]),
    ...(config.model.file === undefined ? [] : [{ file: config.model.file, what: 'model.file' }]),
  ];
}
