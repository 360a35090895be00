/**
 * What the rest of convdoc asks of the fix list: the priority order, each fix's definition, the
 * fixes that are config changes, and applying several in order. Built from a list so that a test
 * can build it from its own (registry.ts builds the real one).
 */
import type { Config } from '../config/schema.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { FixId } from '../symptoms/ids.js';
import type { ModelGraph } from '../model/model-graph.js';
import type { FixContext, FixDefinition } from './transform.js';

export interface FixTable {
  /** Every fix, in priority order. */
  priority: readonly FixId[];
  /** The fixes that are config changes (`fix --apply`, `--apply-fix all`), in priority order. */
  configChanges: readonly FixId[];
  definition(fix: FixId): FixDefinition;
  /** Each fix once, in priority order: the order fixes are applied and named in. */
  ordered(fixes: Iterable<FixId>): FixId[];
  /** Applies config-change fixes in priority order, each to the config (and layers) the one before wrote. */
  apply(config: Config, fixes: Iterable<FixId>, context: FixContext): AppliedFixes;
}

interface AppliedFixes {
  config: Config;
  applied: { fix: FixId; changes: ConfigChange[] }[];
  /** The fixed graph, when the model is a graph and a fix edited it. */
  graph?: ModelGraph;
}

/** Fix ids of the vocabulary (symptoms/ids.ts) that a list leaves out. */
type Unlisted<List extends readonly FixDefinition[]> = Exclude<FixId, List[number]['id']>;
/** A list of every fix compiles; one that leaves a fix out names it (`unlisted: 'clip'`) in the error. */
type NamesEveryFix<List extends readonly FixDefinition[]> = [Unlisted<List>] extends [never]
  ? unknown
  : { unlisted: Unlisted<List> };

export function fixTable<const List extends readonly FixDefinition[]>(
  definitions: List & NamesEveryFix<List>,
): FixTable {
  const byId = new Map(definitions.map((definition) => [definition.id, definition]));
  if (byId.size !== definitions.length) throw new Error('internal: a fix is listed twice');
  const priority = definitions.map(({ id }) => id);
  const definition = (fix: FixId) => {
    const found = byId.get(fix);
    if (found === undefined) throw new Error(`internal: no fix ${fix} in the registry`);
    return found;
  };
  const ordered = (fixes: Iterable<FixId>) =>
    [...new Set(fixes)].sort((a, b) => priority.indexOf(a) - priority.indexOf(b));
  return {
    priority,
    configChanges: definitions.filter(({ transform }) => transform !== 'none').map(({ id }) => id),
    definition,
    ordered,
    apply(config, fixes, context) {
      const result: AppliedFixes = { config, applied: [] };
      for (const fix of ordered(fixes)) {
        const { transform } = definition(fix);
        if (transform === 'none') throw new Error(`internal: ${fix} is not a config change`);
        const graph = result.graph ?? context.graph;
        const {
          config: fixed,
          changes,
          graph: fixedGraph,
        } = transform.apply(result.config, {
          ...context,
          layers: result.config.model.layers ?? graph?.layers.map(({ spec }) => spec) ?? context.layers,
          ...(graph === undefined ? {} : { graph }),
        });
        result.config = fixed;
        if (fixedGraph !== undefined) result.graph = fixedGraph;
        result.applied.push({ fix, changes });
      }
      return result;
    },
  };
}
