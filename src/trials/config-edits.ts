/**
 * Trials past a config bug. A critical `config-*` finding (a ReLU output under cross-entropy, a loss
 * that does not fit the task) makes the run unlearnable whatever else is wrong, so no fix can be
 * proven on the config as written: measured there, every fix "fails" for a reason it does not touch.
 * Its edit is exact (a key and a value), so the trials apply it first and measure the fixes the
 * other findings call for on the edited config, against the edited config's own baseline: what the
 * user runs once the edit the report asks for is made. Fix ids stay the six; the edit is named on
 * each trial that ran with it (`edits`).
 */
import type { Config } from '../config/schema.js';
import type { ConfigEdit, Finding } from '../symptoms/finding.js';

/** A config edit as a trial carries it: the key path and the value it had and was given. */
export type TrialEdit = Pick<ConfigEdit, 'key' | 'from' | 'to'>;

/**
 * The edits of the critical config findings, when every one of them can be made in `config`; else
 * none (a bug the trials cannot repair leaves the fixes to be measured on the config as written).
 */
export function criticalEdits(config: Config, findings: readonly Finding[]): TrialEdit[] {
  const bugs = findings.filter(isCriticalConfigBug);
  const edits = bugs.flatMap(({ edit }) =>
    edit === undefined ? [] : [{ key: edit.key, from: edit.from, to: edit.to }],
  );
  return edits.length === bugs.length && edits.every((edit) => target(config, edit) !== undefined) ? edits : [];
}

function isCriticalConfigBug(finding: Finding): boolean {
  return finding.symptom.startsWith('config-') && finding.severity === 'critical';
}

/** The config with the edits made (each checked by criticalEdits to have its place in the config). */
export function withEdits(config: Config, edits: readonly TrialEdit[]): Config {
  const edited = structuredClone(config);
  for (const edit of edits) {
    const { parent, name } = target(edited, edit)!;
    parent[name] = edit.to;
  }
  return edited;
}

/**
 * Where an edit writes: the object holding its last key, in the config's data, model layers or
 * training sections. A layer's `type` is left alone: changing it can need keys the edit does not
 * carry (an activation layer's `activation`), and a key inside a model file is not in the config.
 */
function target(config: Config, { key }: TrialEdit): { parent: Record<string, unknown>; name: string } | undefined {
  const path = key.split('.');
  const name = path.pop()!;
  if (!/^(data|model|training)$/.test(path[0] ?? '') || name === 'type') return undefined;
  let node: unknown = config;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return typeof node === 'object' && node !== null ? { parent: node as Record<string, unknown>, name } : undefined;
}
