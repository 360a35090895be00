/** One changed key: its path in the config, the old and new value, and why. */
export interface ConfigChange {
  /** Key path, e.g. ['data', 'normalize'] or ['model', 'layers'] when the layer list changes. */
  path: (string | number)[];
  from: unknown;
  to: unknown;
  /** One sentence for the comment `convdoc fix` writes beside the key. */
  why: string;
}

/**
 * Who made a change, as the note beside the key names it: a fix id, or `paths` for the rebasing of
 * relative paths when the config is written to another folder (not a fix).
 */
export type ChangeAuthor = string;
