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
import {
  Document,
  isAlias,
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
  type LineCounter,
  type Node,
  type Pair,
  type ToStringOptions,
} from 'yaml';
import { allowedKeysAt, configJsonSchema } from '../config/json-schema.js';
import { parseConfig, type LoadedConfig } from '../config/load.js';
import { ConfigError } from '../errors.js';
import type { FixId } from '../symptoms/ids.js';
import type { ConfigChange } from './transform.js';

/**
 * A fix that was applied, with the changes it made, in the order they were made. `paths` is not a
 * fix: it rebases relative paths when the fixed config is written to another folder.
 */
export interface AppliedFix {
  fix: FixId | 'paths';
  changes: readonly ConfigChange[];
}

/** A trailing fix comment that would make its line longer than this goes on its own line above the key. */
export const FIX_NOTE_WIDTH = 100;

/** Spaces between a value and a trailing fix comment. */
const NOTE_GAP = 2;
/** A trailing comment further than this from its value is not treated as aligned. */
const MAX_GAP = 200;

type Segment = string | number;

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
    throw new Error(`the fixed config does not validate, so a fix produced an invalid config:\n${error.message}`);
  }
  return text;
}

function isJsonFile(file: string): boolean {
  return /\.json$/i.test(file);
}

// ---------------------------------------------------------------------------------------------
// Trailing comments with their original spacing. yaml keeps a comment's text but not the spaces
// before it, so the clone's inline comments carry their gap in a prefix that renderComment turns
// back into spaces. The prefix uses NUL, which YAML does not allow in its text.

const GAP_PREFIX = /^\u0000(\d+)\u0000/;

function withGap(text: string, gap: number): string {
  return `\u0000${gap}\u0000${text}`;
}

function splitGap(comment: string): { gap: number | undefined; text: string } {
  const match = GAP_PREFIX.exec(comment);
  return match === null ? { gap: undefined, text: comment } : { gap: Number(match[1]), text: comment.slice(match[0].length) };
}

/** yaml's own comment stringifier, plus the spaces a gap prefix asks for (yaml adds the first one). */
function renderComment(comment: string): string {
  const { gap, text } = splitGap(comment);
  const hashed = text.replace(/^(?!$)(?: $)?/gm, '#');
  return gap === undefined ? hashed : ' '.repeat(Math.max(0, gap - 1)) + hashed;
}

// ---------------------------------------------------------------------------------------------
// The file's layout, read from node positions (the document keeps no source text).

interface Style {
  indent: number;
  indentSeq: boolean;
  flowCollectionPadding: boolean;
  /** For a JSON file: its indentation step, 0 when it is all on one line. */
  jsonIndent: number;
}

class Positions {
  constructor(
    private readonly counter: LineCounter,
    private readonly textEnd: number,
  ) {}

  line(offset: number): number {
    return this.counter.linePos(offset).line;
  }

  column(offset: number): number {
    return this.counter.linePos(offset).col;
  }

  /** The offset of the line break that ends the line holding `offset` (the end of the text on the last line). */
  lineEnd(offset: number): number {
    const next = this.counter.lineStarts[this.line(offset)];
    return next === undefined ? this.textEnd : next - 1;
  }

  /** Whether the line starting at `offset` is empty. */
  isEmptyLine(offset: number): boolean {
    const index = this.counter.lineStarts.indexOf(offset);
    return index >= 0 && this.counter.lineStarts[index + 1] === offset + 1;
  }
}

/**
 * Reads the indentation, list indentation and flow padding the file uses, and prepares the clone's
 * comments so they render where the user put them: trailing comments keep their spacing, a comment
 * on a `key:` line above a block value stays on that line, and a final comment stays attached to
 * the last line when no blank line separated them.
 */
function readStyle(document: Document, lineCounter: LineCounter): Style {
  const positions = new Positions(lineCounter, document.range?.[2] ?? 0);
  let indent: number | undefined;
  let indentSeq: boolean | undefined;
  let flowCollectionPadding: boolean | undefined;

  const noteFlowPadding = (collection: YAMLMap | YAMLSeq) => {
    if (flowCollectionPadding !== undefined || !collection.flow || !collection.range) return;
    const first = collection.items[0];
    const start = isPair(first) ? (first.key as Node | null)?.range?.[0] : (first as Node | undefined)?.range?.[0];
    if (start !== undefined) flowCollectionPadding = start - collection.range[0] > 1;
  };
  const noteInlineComment = (key: unknown, node: Node, path: readonly unknown[]) => {
    const parent = path.at(-1);
    const collection = isPair(parent) && key === 'value' ? path.at(-2) : typeof key === 'number' && isSeq(parent) ? parent : undefined;
    if (!isCollection(collection) || collection.flow) return;
    if (!isScalar(node) && !(isCollection(node) && node.flow)) return;
    if (isScalar(node) && (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL)) return;
    const { comment, range } = node;
    if (!comment || comment.includes('\n') || !range) return;
    const lineEnd = positions.lineEnd(range[1]);
    const gap = lineEnd - comment.length - 1 - range[1];
    if (gap >= 1 && gap <= MAX_GAP && range[2] <= lineEnd + 1) node.comment = withGap(comment, gap);
  };

  visit(document, {
    Pair(_key, pair) {
      const { key, value } = pair;
      if (!isScalar(key) || !key.range || !isCollection(value) || value.flow || !value.range) return;
      const keyColumn = positions.column(key.range[0]);
      if (isMap(value) && indent === undefined) {
        const firstKey = value.items[0]?.key;
        if (isScalar(firstKey) && firstKey.range) {
          const step = positions.column(firstKey.range[0]) - keyColumn;
          if (step >= 1 && step <= 8) indent = step;
        }
      }
      if (isSeq(value) && indentSeq === undefined) indentSeq = positions.column(value.range[0]) > keyColumn;
      // `layers:   # comment` parses as a comment before the list; put it back on the key's line.
      if (value.commentBefore && !key.comment) {
        const lines = value.commentBefore.split('\n');
        const first = lines[0]!;
        if (positions.line(value.range[0]) - positions.line(key.range[0]) === lines.length && first !== '') {
          const gap = positions.lineEnd(key.range[0]) - first.length - 1 - (key.range[1] + 1);
          key.comment = gap >= 1 && gap <= MAX_GAP ? withGap(first, gap) : first;
          value.commentBefore = lines.length > 1 ? lines.slice(1).join('\n') : undefined;
        }
      }
    },
    Map(key, map, path) {
      noteFlowPadding(map);
      noteInlineComment(key, map, path);
    },
    Seq(key, seq, path) {
      noteFlowPadding(seq);
      noteInlineComment(key, seq, path);
    },
    Scalar(key, scalar, path) {
      noteInlineComment(key, scalar, path);
    },
  });

  // yaml puts a blank line before a document's final comment; keep it attached when the file did.
  const contents = document.contents;
  if (document.comment && isCollection(contents) && !contents.flow && !contents.comment && contents.range && !positions.isEmptyLine(contents.range[2])) {
    contents.comment = document.comment;
    document.comment = null;
  }
  return { indent: indent ?? 2, indentSeq: indentSeq ?? true, flowCollectionPadding: flowCollectionPadding ?? false, jsonIndent: jsonIndent(contents, positions) };
}

/** A JSON file's indentation: how far right of its opening brace the first key sits, 0 for one-line JSON. */
function jsonIndent(contents: unknown, positions: Positions): number {
  if (!isMap(contents) || !contents.range) return 2;
  const firstKey = contents.items[0]?.key;
  if (!isNode(firstKey) || !firstKey.range) return 2;
  const [brace, key] = [contents.range[0], firstKey.range[0]];
  if (positions.line(key) === positions.line(brace)) return positions.line(contents.range[1]) === positions.line(brace) ? 0 : 2;
  const step = positions.column(key) - positions.column(brace);
  return step >= 1 && step <= 8 ? step : 2;
}

// ---------------------------------------------------------------------------------------------

class FixedConfigWriter {
  /** Fix comments per changed key (its pair) or list item (its node). */
  private readonly notes = new Map<Pair | Node, string[]>();
  private readonly renderOptions: ToStringOptions;
  private jsonSchema: JsonSchema | undefined;

  constructor(
    private readonly document: Document,
    /** The config as it stands after the changes so far (defaults filled, paths resolved), to tell real changes from restatements. */
    private readonly effective: unknown,
    private readonly style: Style,
  ) {
    const { indent, indentSeq, flowCollectionPadding } = style;
    this.renderOptions = { indent, indentSeq, flowCollectionPadding, lineWidth: 0, commentString: renderComment };
  }

  apply(fix: AppliedFix['fix'], change: ConfigChange): void {
    const { path } = change;
    if (path.length === 0) throw new Error(`fix ${fix}: a config change needs a key path`);
    const note = `convdoc ${fix === 'paths' ? 'fix' : `fix ${fix}`}: ${change.why.replace(/\s+/g, ' ').trim()}`;
    // The schema allows model.layers or model.file: layers written in place of a file replace it.
    const model = plainAt(this.effective, ['model']);
    const before = this.document.toString(this.renderOptions);
    if (path.length === 2 && path[0] === 'model' && path[1] === 'layers' && isPlainObject(model) && model['file'] !== undefined) {
      const { file: _file, ...rest } = model;
      this.write(['model'], { ...rest, layers: change.to });
    } else {
      if (deepEqual(change.to, plainAt(this.effective, path))) return;
      this.write(path, change.to);
    }
    // A change the file already says (a schedule written with its defaults left out) gets no note.
    if (this.document.toString(this.renderOptions) === before) return;
    // A removed key has no line left: its note goes on the section that held it.
    const anchor = this.find(path) ?? (path.length > 1 ? this.find(path.slice(0, -1)) : undefined);
    if (anchor === undefined) return;
    const notes = this.notes.get(anchor) ?? [];
    if (!notes.includes(note)) notes.push(note);
    this.notes.set(anchor, notes);
  }

  renderYaml(): string {
    const inline: Array<{ anchor: Pair | Node; node: Node; note: string }> = [];
    for (const [anchor, notes] of this.notes) {
      const node = isPair(anchor) ? anchor.value : anchor;
      const fitsInline = notes.length === 1 && isNode(node) && !node.comment && (isScalar(node) || (isCollection(node) && node.flow));
      if (fitsInline) {
        node.comment = withGap(` ${notes[0]!}`, NOTE_GAP);
        inline.push({ anchor, node, note: notes[0]! });
      } else {
        this.noteAbove(anchor, notes);
      }
    }
    let text = this.document.toString(this.renderOptions);
    const lines = text.split('\n');
    const tooLong = inline.filter(({ note }) => lines.some((line) => line.endsWith(`# ${note}`) && line.length > FIX_NOTE_WIDTH));
    if (tooLong.length > 0) {
      for (const { anchor, node, note } of tooLong) {
        node.comment = undefined;
        this.noteAbove(anchor, [note]);
      }
      text = this.document.toString(this.renderOptions);
    }
    return text;
  }

  renderJson(): string {
    const { jsonIndent } = this.style;
    return `${JSON.stringify(this.document.toJS(), null, jsonIndent)}\n`;
  }

  private noteAbove(anchor: Pair | Node, notes: readonly string[]): void {
    let target: Node;
    if (isPair(anchor)) {
      if (!isNode(anchor.key)) anchor.key = new Scalar(anchor.key);
      target = anchor.key as Node;
    } else {
      target = anchor;
    }
    target.commentBefore = [target.commentBefore, ...notes.map((note) => ` ${note}`)].filter((line) => line !== undefined && line !== null && line !== '').join('\n');
  }

  // -------------------------------------------------------------------------------------------
  // Writing values

  /** Sets the value at `path` (undefined removes the key), creating sections on the way. */
  private write(path: readonly Segment[], to: unknown): void {
    let parent: YAMLMap | YAMLSeq = this.root();
    for (const [index, segment] of path.slice(0, -1).entries()) {
      const next = path[index + 1]!;
      let child = this.child(parent, segment);
      if (isAlias(child)) {
        // Writing through an alias would change its anchor too: give this place its own copy.
        const copy = (child.resolve(this.document) as Node | undefined)?.clone() as Node | undefined;
        if (copy !== undefined) copy.anchor = undefined;
        child = copy;
        if (child !== undefined) this.setChild(parent, segment, child, path.slice(0, index + 1));
      }
      if (!isCollection(child) || isSeq(child) !== (typeof next === 'number')) {
        // A missing section is created; a scalar in the way (`schedule: null`) is replaced, keeping its comments.
        const at = path.slice(0, index + 1);
        const empty = typeof next === 'number' ? [] : {};
        if (child === undefined) this.insertChild(parent, segment, this.create(empty, isSeq(parent), at), at);
        else this.setChild(parent, segment, this.replace(child, empty, undefined, isSeq(parent), at, parent, segment), at);
        child = this.child(parent, segment);
      }
      parent = child as YAMLMap | YAMLSeq;
    }
    const last = path.at(-1)!;
    const existing = this.child(parent, last);
    if (to === undefined) {
      this.remove(parent, last);
    } else if (existing === undefined) {
      this.insertChild(parent, last, this.create(to, isSeq(parent), path), path);
    } else {
      this.setChild(parent, last, this.replace(existing, to, plainAt(this.effective, path), isSeq(parent), path, parent, last), path);
    }
    setPlain(this.effective, path, to);
  }

  private root(): YAMLMap {
    const contents = this.document.contents;
    if (!isMap(contents)) throw new Error('the config document is not a mapping');
    return contents;
  }

  private child(parent: YAMLMap | YAMLSeq, segment: Segment): Node | undefined {
    if (isSeq(parent)) return typeof segment === 'number' ? (parent.items[segment] as Node | undefined) : undefined;
    return pairOf(parent, segment)?.value as Node | undefined;
  }

  private setChild(parent: YAMLMap | YAMLSeq, segment: Segment, node: Node, path: readonly Segment[]): void {
    if (isSeq(parent)) {
      parent.items[segment as number] = node;
      return;
    }
    const pair = pairOf(parent, segment);
    if (pair === undefined) this.insertChild(parent, segment, node, path);
    else pair.value = node;
  }

  private insertChild(parent: YAMLMap | YAMLSeq, segment: Segment, node: Node, path: readonly Segment[]): void {
    if (isSeq(parent)) {
      if (typeof segment !== 'number' || segment > parent.items.length) throw new Error(`cannot write ${path.join('.')}: no list item ${segment}`);
      parent.items.splice(segment, 0, node);
      return;
    }
    const pair = this.document.createPair(String(segment), node);
    parent.items.splice(this.schemaPosition(parent, String(segment), path.slice(0, -1)), 0, pair);
    if (parent === this.document.contents) (pair.key as Node).spaceBefore = parent.items.some((other) => other !== pair && (other.key as Node | null)?.spaceBefore === true);
  }

  /** Where a new key goes: before the first sibling the schema lists after it, else last. */
  private schemaPosition(map: YAMLMap, key: string, parentPath: readonly Segment[]): number {
    const order = allowedKeysAt(parentPath, plainAt(this.effective, parentPath));
    const rank = order.indexOf(key);
    if (rank < 0) return map.items.length;
    const later = map.items.findIndex((pair) => {
      const name = keyName(pair);
      return name !== undefined && order.indexOf(name) > rank;
    });
    return later < 0 ? map.items.length : later;
  }

  private remove(parent: YAMLMap | YAMLSeq, segment: Segment): void {
    if (isSeq(parent)) {
      if (typeof segment === 'number' && segment < parent.items.length) {
        const [removed] = parent.items.splice(segment, 1);
        handOver(removed as Node, parent.items[segment] as Node | undefined, parent);
      }
      return;
    }
    const index = parent.items.findIndex((pair) => keyName(pair) === String(segment));
    if (index < 0) return;
    const [removed] = parent.items.splice(index, 1);
    handOver(removed!.key as Node, parent.items[index]?.key as Node | undefined, parent);
  }

  /**
   * The node to put where `old` was, holding `to`: `old` itself merged when both are mappings or
   * both are lists, else a new node that takes over `old`'s comments and (for scalars) its style.
   */
  private replace(old: Node, to: unknown, base: unknown, inSeq: boolean, path: readonly Segment[], parent: YAMLMap | YAMLSeq, segment: Segment): Node {
    if (isMap(old) && isPlainObject(to)) {
      this.mergeMap(old, to, base, path);
      return old;
    }
    if (isSeq(old) && Array.isArray(to)) {
      this.mergeSeq(old, to, path);
      return old;
    }
    const node = isScalar(old) && isPrimitive(to) ? restyle(old, to, this.isFloat(path)) : this.create(to, inSeq, path);
    const inline = isScalar(node) || (isCollection(node) && node.flow);
    const oldLength = old.range ? old.range[1] - old.range[0] : undefined;
    // Keep a trailing comment in its column: move it by as much as the value grew or shrank.
    const shift = inline && oldLength !== undefined && old.comment ? this.inlineLength(node) - oldLength : 0;
    node.commentBefore = old.commentBefore;
    node.spaceBefore = old.spaceBefore;
    if (old.comment) {
      const { gap, text } = splitGap(old.comment);
      if (inline) {
        node.comment = gap === undefined ? text : withGap(text, Math.max(1, gap - shift));
      } else if (isMap(parent)) {
        // A block value starts on the next line: the comment stays on the key's line, in its column.
        const pair = pairOf(parent, segment);
        if (pair !== undefined && isNode(pair.key) && !pair.key.comment) {
          pair.key.comment = gap === undefined || oldLength === undefined ? text : withGap(text, gap + oldLength + 1);
        }
      } else {
        node.commentBefore = [node.commentBefore, text].filter(Boolean).join('\n');
      }
    }
    return node;
  }

  /** Merges `to` into a mapping key by key: removed keys go, changed keys change, new keys arrive in schema order. */
  private mergeMap(map: YAMLMap, to: Record<string, unknown>, base: unknown, path: readonly Segment[]): void {
    const before = isPlainObject(base) ? base : {};
    const vacated: Array<{ index: number; key: Node }> = [];
    for (let index = 0; index < map.items.length; ) {
      const pair = map.items[index]!;
      const name = keyName(pair);
      if (name !== undefined && to[name] === undefined) {
        map.items.splice(index, 1);
        vacated.push({ index, key: pair.key as Node });
      } else {
        index++;
      }
    }
    let slot = vacated[0]?.index;
    let inserted = 0;
    for (const [name, value] of Object.entries(to)) {
      if (value === undefined) continue;
      const pair = pairOf(map, name);
      if (deepEqual(value, before[name])) continue; // unchanged, or a default the file leaves out
      if (pair !== undefined) {
        pair.value = this.replace(pair.value as Node, value, before[name], false, [...path, name], map, name);
        continue;
      }
      const added = this.document.createPair(name, this.create(value, false, [...path, name]));
      if (slot !== undefined) {
        // The new key takes the place (and the comment above) of a removed one, as layers replace file.
        map.items.splice(slot, 0, added);
        inserted++;
        handOver(vacated.shift()!.key, added.key as Node, map, true);
        slot = vacated[0] === undefined ? undefined : slot + 1;
      } else {
        map.items.splice(this.schemaPosition(map, name, path), 0, added);
      }
    }
    for (const { index, key } of vacated) handOver(key, map.items[index + inserted]?.key as Node | undefined, map);
  }

  /**
   * Rewrites a list in place: items equal to a new item stay as they are (comments and all), items
   * whose `type` matches a changed item are merged, the rest are created (objects as flow mappings).
   */
  private mergeSeq(seq: YAMLSeq, to: readonly unknown[], path: readonly Segment[]): void {
    const oldItems = seq.items.map((item) => (isNode(item) ? item : undefined));
    const oldValues = oldItems.map((item) => item?.toJS(this.document) as unknown);
    const origin = new Map<number, { old: number; same: boolean }>();
    const exact = commonSubsequence(oldValues, to, deepEqual);
    let [oldFrom, newFrom] = [0, 0];
    for (const [oldEnd, newEnd] of [...exact, [oldItems.length, to.length] as const]) {
      const oldGap = range(oldFrom, oldEnd);
      const newGap = range(newFrom, newEnd);
      const similar = commonSubsequence(
        oldGap.map((index) => oldValues[index]),
        newGap.map((index) => to[index]),
        sameLayerType,
      );
      for (const [o, n] of similar) origin.set(newGap[n]!, { old: oldGap[o]!, same: false });
      if (oldEnd < oldItems.length) origin.set(newEnd, { old: oldEnd, same: true });
      [oldFrom, newFrom] = [oldEnd + 1, newEnd + 1];
    }
    const items: Node[] = to.map((value, index) => {
      const from = origin.get(index);
      const old = from === undefined ? undefined : oldItems[from.old];
      if (from === undefined || old === undefined) return this.create(value, true, [...path, index]);
      return from.same ? old : this.replace(old, value, oldValues[from.old], true, [...path, index], seq, index);
    });
    // The comment above a dropped item stays, above the next item that survives.
    const kept = new Set([...origin.values()].map(({ old }) => old));
    const dropped = oldItems.flatMap((item, index) => (item !== undefined && !kept.has(index) ? [{ index, item }] : []));
    seq.items = items;
    for (const { index, item } of dropped) {
      const next = [...origin.entries()].filter(([, { old }]) => old > index).sort((a, b) => a[1].old - b[1].old)[0];
      handOver(item, next === undefined ? undefined : items[next[0]], seq);
    }
    if (to.some((value) => typeof value === 'object' && value !== null)) seq.flow = false;
  }

  /**
   * A new node for a plain value: mappings in lists as flow mappings, lists of scalars as flow
   * lists, the rest block; whole numbers where the schema takes any number as `1.0`.
   */
  private create(value: unknown, inSeq: boolean, path: readonly Segment[]): Node {
    const node = this.document.createNode(value) as Node;
    const restyleTree = (current: unknown, itemOfSeq: boolean, at: readonly Segment[]) => {
      if (isMap(current)) {
        current.flow = itemOfSeq;
        for (const pair of current.items) restyleTree(pair.value, false, [...at, keyName(pair) ?? '']);
      } else if (isSeq(current)) {
        current.flow = current.items.every((item) => isScalar(item));
        for (const [index, item] of current.items.entries()) restyleTree(item, true, [...at, index]);
      } else if (isScalar(current) && typeof current.value === 'number' && Number.isInteger(current.value) && this.isFloat(at)) {
        current.minFractionDigits = 1;
      }
    };
    restyleTree(node, inSeq, path);
    return node;
  }

  /** Whether the schema takes any number at `path` (a rate, a norm) rather than a whole one (a count). */
  private isFloat(path: readonly Segment[]): boolean {
    this.jsonSchema ??= configJsonSchema() as JsonSchema;
    let level = [this.jsonSchema];
    for (const segment of path) {
      level = level.flatMap(alternatives).flatMap((schema) => {
        const child = typeof segment === 'number' ? schema.items : schema.properties?.[segment];
        return child === undefined ? [] : [child];
      });
    }
    const types = level.flatMap(alternatives).map((schema) => schema.type);
    return types.includes('number') && !types.includes('integer');
  }

  /** How many characters a node takes on its line. */
  private inlineLength(node: Node): number {
    return new Document(node).toString(this.renderOptions).split('\n')[0]!.length;
  }

  /**
   * Where the fix comment for `path` goes: the pair (for a key) or node (for a list item) there, or,
   * inside a flow collection (`{train: d.csv}`), the nearest one that sits on a line of its own.
   */
  private find(path: readonly Segment[]): Pair | Node | undefined {
    let node: unknown = this.document.contents;
    let anchor: Pair | Node | undefined;
    for (const segment of path) {
      const container = node;
      let found: Pair | Node | undefined;
      if (isMap(container)) {
        found = pairOf(container, segment);
        node = found?.value;
      } else if (isSeq(container) && typeof segment === 'number') {
        node = container.items[segment];
        found = isNode(node) ? node : undefined;
      }
      if (found === undefined) return undefined;
      if (isCollection(container) && container.flow) break;
      anchor = found;
    }
    return anchor;
  }
}

// ---------------------------------------------------------------------------------------------
// Helpers

function keyName(pair: Pair): string | undefined {
  const key = isScalar(pair.key) ? pair.key.value : pair.key;
  return typeof key === 'string' || typeof key === 'number' ? String(key) : undefined;
}

function pairOf(map: YAMLMap, segment: Segment): Pair | undefined {
  return map.items.find((pair) => keyName(pair) === String(segment));
}

/**
 * What happens to the comment above a removed key or list item. A replacement (layers for file)
 * takes it over. Without one, a comment after a blank line heads what follows and stays, above the
 * next key (or at the end of the collection); a comment right above the key was about that key and
 * goes with it.
 */
function handOver(removed: Node | undefined, next: Node | undefined, collection: YAMLMap | YAMLSeq, replacement = false): void {
  if (removed === undefined) return;
  if (removed.spaceBefore && next !== undefined) next.spaceBefore = true;
  if (!removed.commentBefore || !(replacement || removed.spaceBefore)) return;
  if (next !== undefined) next.commentBefore = [removed.commentBefore, next.commentBefore].filter(Boolean).join('\n');
  else collection.comment = [collection.comment, removed.commentBefore].filter(Boolean).join('\n');
}

interface JsonSchema {
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
}

function alternatives(schema: JsonSchema): JsonSchema[] {
  const options = schema.anyOf ?? schema.oneOf;
  return options === undefined ? [schema] : options.flatMap(alternatives);
}

/** A new scalar with the old one's style: its quotes, exponent notation or fraction digits. */
function restyle(old: Scalar, value: unknown, float: boolean): Scalar {
  const scalar = new Scalar(value);
  if (typeof value === 'string' && typeof old.value === 'string' && (old.type === Scalar.QUOTE_DOUBLE || old.type === Scalar.QUOTE_SINGLE)) {
    scalar.type = old.type;
  }
  if (typeof value === 'number' && typeof old.value === 'number') {
    if (old.format === 'EXP' && !Number.isInteger(value)) scalar.format = 'EXP';
    if (old.minFractionDigits) scalar.minFractionDigits = old.minFractionDigits;
  }
  if (float && typeof value === 'number' && Number.isInteger(value) && scalar.format === undefined && !scalar.minFractionDigits) scalar.minFractionDigits = 1;
  return scalar;
}

function sameLayerType(a: unknown, b: unknown): boolean {
  return isPlainObject(a) && isPlainObject(b) && typeof a['type'] === 'string' && a['type'] === b['type'];
}

/** The longest common subsequence of two lists under `same`, as index pairs in order. */
function commonSubsequence<A, B>(a: readonly A[], b: readonly B[], same: (x: A, y: B) => boolean): Array<[number, number]> {
  const lengths = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lengths[i]![j] = same(a[i]!, b[j]!) ? lengths[i + 1]![j + 1]! + 1 : Math.max(lengths[i + 1]![j]!, lengths[i]![j + 1]!);
    }
  }
  const pairs: Array<[number, number]> = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (same(a[i]!, b[j]!)) pairs.push([i++, j++]);
    else if (lengths[i + 1]![j]! >= lengths[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, index) => from + index);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPrimitive(value: unknown): boolean {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

/** Structural equality of plain data; a key whose value is undefined counts as absent. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = (object: Record<string, unknown>) => Object.keys(object).filter((key) => object[key] !== undefined);
  const [aKeys, bKeys] = [keys(a), keys(b)];
  return aKeys.length === bKeys.length && aKeys.every((key) => deepEqual(a[key], b[key]));
}

function plainAt(value: unknown, path: readonly Segment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === 'number') current = current[segment];
    else if (isPlainObject(current)) current = current[String(segment)];
    else return undefined;
  }
  return current;
}

function setPlain(target: unknown, path: readonly Segment[], value: unknown): void {
  let current = target;
  for (const [index, segment] of path.entries()) {
    if (!isPlainObject(current) && !Array.isArray(current)) return;
    const container = current as Record<string | number, unknown>;
    if (index === path.length - 1) {
      if (value === undefined && !Array.isArray(container)) delete container[segment];
      else container[segment] = structuredClone(value);
      return;
    }
    const next = path[index + 1]!;
    if (!isPlainObject(container[segment]) && !Array.isArray(container[segment])) container[segment] = typeof next === 'number' ? [] : {};
    current = container[segment];
  }
}
