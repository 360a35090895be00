/**
 * What each fix would change in this config, in one line, for the report: the fix's own transform
 * applied to the run, so the report says exactly what `convdoc fix` would write.
 */
import type { Config } from '../config/schema.js';
import type { FixId } from '../symptoms/ids.js';
import type { FixTable } from './fix-table.js';
import { FIXES } from './registry.js';
import type { ConfigChange } from '../config/writer/config-change.js';
import type { FixContext } from './transform.js';
import { formatFlowValue } from '../util/format.js';

export function describeFixChange(fix: FixId, config: Config, context: FixContext, table: FixTable = FIXES): string {
  const { transform, summary, measureFirst } = table.definition(fix);
  if (transform === 'none') return summary;
  const { changes } = transform.apply(config, context);
  if (changes.length === 0) return `nothing to change in this config (${summary})`;
  const lines = [
    ...layerKeyChanges(changes),
    ...changes.filter((change) => layerKey(change) === undefined).map(describe),
  ];
  // Without a range test the rate moves a decade; lr-find measures the right one.
  return measureFirst === 'lr-range-test' && context.learningRateTest === undefined
    ? `${lines.join('; ')} (convdoc lr-find measures the rate)`
    : lines.join('; ');
}

/**
 * `key: from → to` for a value; for a whole layer list, which does not fit on a line, the first
 * sentence of its reason.
 */
function describe(change: ConfigChange): string {
  const key = change.path.join('.');
  // A layer list, or a model written to a new file (a fixed graph), is said by its reason.
  if (Array.isArray(change.to) || change.path.at(-1) === 'model' || key === 'model.file')
    return `${key}: ${change.why.split(/(?<=\.) /)[0]}`;
  return `${key}: ${formatFlowValue(change.from)} → ${formatFlowValue(change.to)}`;
}

/** The key of a change inside one layer (`model.layers.3.activation` → `activation`). */
function layerKey(change: ConfigChange): string | undefined {
  const [model, layers, index, key] = change.path;
  return model === 'model' &&
    layers === 'layers' &&
    typeof index === 'number' &&
    typeof key === 'string' &&
    change.path.length === 4
    ? key
    : undefined;
}

/** The same edit in several layers once: `activation: sigmoid → relu in model.layers 0, 1, 2`. */
function layerKeyChanges(changes: readonly ConfigChange[]): string[] {
  const groups = new Map<string, number[]>();
  for (const change of changes) {
    const key = layerKey(change);
    if (key === undefined) continue;
    const edit = `${key}: ${formatFlowValue(change.from)} → ${formatFlowValue(change.to)}`;
    groups.set(edit, [...(groups.get(edit) ?? []), change.path[2] as number]);
  }
  return [...groups].map(([edit, indices]) => `${edit} in model.layers ${indices.join(', ')}`);
}
