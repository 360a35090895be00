/**
 * Where in the config file a finding is answered, for annotations that point at a line: the key
 * its top fix changes in this config (the first change of the fix's own transform, so the line is
 * the one `convdoc fix` would rewrite), or for findings no fix answers, the key that names what to
 * fix by hand. Config bugs carry their edit's position already (see diagnose's placeEdit).
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { LoadedConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import type { SourcePosition } from '../errors.js';
import { FIXES } from '../fixes/registry.js';
import type { Finding } from '../symptoms/finding.js';
import type { SymptomId } from '../symptoms/ids.js';
import { displayPath } from '../util/paths.js';

type KeyPath = readonly (string | number)[];

/** A finding's place in the config file, or undefined to annotate the file as a whole. */
export type FindingLocator = (finding: Finding) => SourcePosition | undefined;

/** Findings without a fix: the key that says where the problem lies. */
const FIXLESS_KEYS: Partial<Record<SymptomId, KeyPath>> = {
  'data-nan': ['data', 'train'],
  'data-constant-column': ['data', 'features'],
  'data-label-invalid': ['data', 'target'],
  'class-imbalance': ['data', 'target'],
  'config-output-activation': ['model', 'layers'],
  'config-shape-mismatch': ['model', 'layers'],
  'config-loss-mismatch': ['training', 'loss'],
};

/** The locator the GitHub reporter takes, for a report of this loaded config. */
export function findingLocator(loaded: LoadedConfig, findings: readonly Finding[]): FindingLocator {
  return (finding) => {
    const keyPath = findingKeyPath(finding, loaded.config, findings);
    return keyPath === undefined ? undefined : keyLocation(loaded, keyPath);
  };
}

function findingKeyPath(finding: Finding, config: Config, findings: readonly Finding[]): KeyPath | undefined {
  const [fix] = finding.fixes;
  if (fix === undefined) return FIXLESS_KEYS[finding.symptom];
  // Layers from a model file are not at hand here; the transforms then change nothing and the fix's
  // first key (the one it governs) points at `model`. So does a fix applied already.
  const { transform, keys } = FIXES.definition(fix);
  const change =
    transform === 'none'
      ? undefined
      : transform.apply(config, { layers: config.model.layers ?? [], findings }).changes[0];
  return change?.path ?? keys[0];
}

/**
 * Where a key is written: the key itself (`clipNorm:`), the start of a list item, or for an absent
 * key the key of the nearest section on the way to it (`training:` when clipNorm is not set yet).
 */
function keyLocation(loaded: LoadedConfig, keyPath: KeyPath): SourcePosition {
  const file = displayPath(loaded.file);
  for (let depth = keyPath.length; depth > 0; depth--) {
    const node = keyNode(loaded, keyPath.slice(0, depth));
    if (node?.range) {
      const { line, col } = loaded.lineCounter.linePos(node.range[0]);
      return { file, line, column: col };
    }
  }
  return { file };
}

/** The node that starts a key's entry: the key scalar in a mapping, the item in a list. */
function keyNode({ document }: LoadedConfig, keyPath: KeyPath): Node | undefined {
  const parent: unknown = keyPath.length === 1 ? document.contents : document.getIn(keyPath.slice(0, -1), true);
  const segment = keyPath.at(-1);
  if (isMap(parent))
    return parent.items.find((pair) => isScalar(pair.key) && pair.key.value === segment)?.key as Node | undefined;
  return isSeq(parent) && typeof segment === 'number' ? (parent.items[segment] as Node | undefined) : undefined;
}
