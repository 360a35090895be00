/**
 * `convdoc fix`: the user's own config file with fixes applied. The changes go through the yaml
 * Document API on a clone of the parsed document, so comments, blank lines, key order and value
 * styles survive, and each changed key carries a comment naming the fix that changed it and why:
 *
 *     # convdoc fix <id>: <why>
 *
 * Where that comment goes:
 * - beside the value (two spaces, then the comment) when the changed key holds a scalar or a flow
 *   collection (`[mae]`, `{type: dense}`), one fix changed it, the user had no comment of their own
 *   there, and the line stays within FIX_NOTE_WIDTH characters;
 * - otherwise on a line of its own just above the key, one line per fix: for block values (the
 *   `layers:` list, a new `schedule:` mapping, `model:` when layers replace `file:`), for keys that
 *   already have a trailing comment of the user's (which stays, still aligned with its column), for
 *   keys several fixes changed, and for notes too long for the line.
 * A change to an item of a list (`['model', 'layers', 2]`) is commented on that item the same way,
 * and a change inside a flow mapping (`data: {train: d.csv, target: y}`) on the line that holds it.
 * A removed key's note goes on the section that held it.
 *
 * What the rewrite keeps: untouched nodes with their comments, blank lines and order; the file's
 * indentation step, list indentation and flow-collection padding; the column of trailing comments.
 * Values are written as what they are: numbers as numbers (a whole number where the schema takes
 * any number, like clipNorm, as `1.0`), null as `null`. A replaced scalar keeps its comments and
 * style (quotes, `1e-5`, `1.0`'s fraction digits); a
 * replaced mapping is merged key by key, so unchanged keys (and what the user wrote for them, such as
 * relative paths and loss aliases) stay; a replaced list keeps the items that did not change and
 * edits the ones that did in place, and writes new list items as one flow mapping per line
 * (`- {type: batchNormalization}`). New keys go where the schema lists them among their siblings,
 * missing sections (`training:`) are created. Writing `model.layers` removes `model.file`, as the
 * schema allows only one. The comment above a removed key moves to the key that takes its place
 * (layers for file); with no such key it stays only when a blank line sets it apart as a heading
 * for what follows, and a removed value's trailing comment goes with it.
 * The yaml library's re-serialization does normalize a few things: runs of blank lines become one,
 * CRLF line ends become LF, and the text ends with a line break.
 *
 * With no change that alters the config, the text is the re-serialized document, identical to the
 * file for ordinarily formatted YAML (every example config round-trips byte for byte).
 *
 * A `.json` config comes back as JSON (indented like the file, key order kept) with the changes
 * applied; JSON has no comments, so the fix notes are left out there.
 */
import { parseConfig, type LoadedConfig } from '../load.js';
import { ConfigError } from '../../errors.js';
import { readStyle } from './config-style.js';
import { FixedConfigWriter } from './config-writer.js';
import type { ChangeAuthor, ConfigChange } from './config-change.js';

export { FIX_NOTE_WIDTH } from './config-writer.js';

/**
 * A fix that was applied, with the changes it made, in the order they were made. `paths` is not a
 * fix: it rebases relative paths when the fixed config is written to another folder.
 */
export interface AppliedFix {
  fix: ChangeAuthor;
  changes: readonly ConfigChange[];
}

/**
 * The config text with every change applied, each changed key commented with its fix. Never
 * mutates `loaded`. Throws (an internal error, not a user error) if the result does not validate,
 * which would mean a fix produced an invalid config.
 */
export function writeFixedConfig(loaded: LoadedConfig, applied: ReadonlyArray<AppliedFix>): string {
  const document = loaded.document.clone();
  // Document.clone() keeps the `---` marker but not the `...` one.
  if (document.directives && loaded.document.directives) document.directives.docEnd = loaded.document.directives.docEnd;
  const style = readStyle(document, loaded.lineCounter);
  const writer = new FixedConfigWriter(document, structuredClone(loaded.config), style);
  for (const { fix, changes } of applied) {
    for (const change of changes) writer.apply(fix, change);
  }
  const text = isJsonFile(loaded.file) ? writer.renderJson() : writer.renderYaml();
  try {
    parseConfig(text, loaded.file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new Error(`the fixed config does not validate, so a fix produced an invalid config:\n${error.message}`, {
      cause: error,
    });
  }
  return text;
}

function isJsonFile(file: string): boolean {
  return /\.json$/i.test(file);
}
