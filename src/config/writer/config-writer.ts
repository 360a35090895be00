/** Applies config changes to a clone of the parsed document, noting each fix, and renders it as YAML or JSON. */
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
  type Node,
  type Pair,
  type ToStringOptions,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { allowedKeysAt, schemasAt } from '../json-schema.js';
import { renderComment, splitGap, withGap } from './comment-gap.js';
import type { Style } from './config-style.js';
import { isPlainObject } from '../../util/plain-object.js';
import {
  commonSubsequence,
  deepEqual,
  isPrimitive,
  plainAt,
  range,
  sameLayerType,
  setPlain,
  type Segment,
} from './plain-data.js';
import type { ChangeAuthor, ConfigChange } from './config-change.js';
import { handOver, keyName, pairOf, restyle } from './yaml-nodes.js';

/** A trailing fix comment that would make its line longer than this goes on its own line above the key. */
export const FIX_NOTE_WIDTH = 100;

/** Spaces between a value and a trailing fix comment. */
const NOTE_GAP = 2;

export class FixedConfigWriter {
  /** Fix comments per changed key (its pair) or list item (its node). */
  private readonly notes = new Map<Pair | Node, string[]>();
  private readonly renderOptions: ToStringOptions;

  constructor(
    private readonly document: Document,
    /**
     * The config as it stands after the changes so far (defaults filled, paths resolved), to tell
     * real changes from restatements.
     */
    private readonly effective: unknown,
    private readonly style: Style,
  ) {
    const { indent, indentSeq, flowCollectionPadding } = style;
    this.renderOptions = { indent, indentSeq, flowCollectionPadding, lineWidth: 0, commentString: renderComment };
  }

  /** `fix` names the fix in the note; `paths` is the rebasing of relative paths, not a fix. */
  apply(fix: ChangeAuthor, change: ConfigChange): void {
    const { path } = change;
    if (path.length === 0) throw new Error(`fix ${fix}: a config change needs a key path`);
    const note = `convdoc ${fix === 'paths' ? 'fix' : `fix ${fix}`}: ${change.why.replace(/\s+/g, ' ').trim()}`;
    // The schema allows model.layers or model.file: layers written in place of a file replace it.
    const model = plainAt(this.effective, ['model']);
    const before = this.document.toString(this.renderOptions);
    if (
      path.length === 2 &&
      path[0] === 'model' &&
      path[1] === 'layers' &&
      isPlainObject(model) &&
      model['file'] !== undefined
    ) {
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
      const fitsInline =
        notes.length === 1 && isNode(node) && !node.comment && (isScalar(node) || (isCollection(node) && node.flow));
      if (fitsInline) {
        node.comment = withGap(` ${notes[0]!}`, NOTE_GAP);
        inline.push({ anchor, node, note: notes[0]! });
      } else {
        this.noteAbove(anchor, notes);
      }
    }
    let text = this.document.toString(this.renderOptions);
    const lines = text.split('\n');
    const tooLong = inline.filter(({ note }) =>
      lines.some((line) => line.endsWith(`# ${note}`) && line.length > FIX_NOTE_WIDTH),
    );
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
    target.commentBefore = [target.commentBefore, ...notes.map((note) => ` ${note}`)]
      .filter((line) => line !== undefined && line !== null && line !== '')
      .join('\n');
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
        else
          this.setChild(parent, segment, this.replace(child, empty, undefined, isSeq(parent), at, parent, segment), at);
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
      this.setChild(
        parent,
        last,
        this.replace(existing, to, plainAt(this.effective, path), isSeq(parent), path, parent, last),
        path,
      );
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
      if (typeof segment !== 'number' || segment > parent.items.length)
        throw new Error(`cannot write ${path.join('.')}: no list item ${segment}`);
      parent.items.splice(segment, 0, node);
      return;
    }
    const pair = this.document.createPair(String(segment), node);
    parent.items.splice(this.schemaPosition(parent, String(segment), path.slice(0, -1)), 0, pair);
    if (parent === this.document.contents)
      pair.key.spaceBefore = parent.items.some(
        (other) => other !== pair && (other.key as Node | null)?.spaceBefore === true,
      );
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
  private replace(
    old: Node,
    to: unknown,
    base: unknown,
    inSeq: boolean,
    path: readonly Segment[],
    parent: YAMLMap | YAMLSeq,
    segment: Segment,
  ): Node {
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
      const { gap, text } = this.oldValueNoted(old, node);
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
    for (let index = 0; index < map.items.length;) {
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
        handOver(vacated.shift()!.key, added.key, map, true);
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
    const dropped = oldItems.flatMap((item, index) =>
      item !== undefined && !kept.has(index) ? [{ index, item }] : [],
    );
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
      } else if (
        isScalar(current) &&
        typeof current.value === 'number' &&
        Number.isInteger(current.value) &&
        this.isFloat(at)
      ) {
        current.minFractionDigits = 1;
      }
    };
    restyleTree(node, inSeq, path);
    return node;
  }

  /** Whether the schema takes any number at `path` (a rate, a norm) rather than a whole one (a count). */
  private isFloat(path: readonly Segment[]): boolean {
    const types = schemasAt(path).map((schema) => schema['type']);
    return types.includes('number') && !types.includes('integer');
  }

  /**
   * A trailing comment on a scalar whose value changes described the old value (`normalize: none   #
   * the bug: ...`): it keeps its text and gap, marked with the value as the file wrote it.
   */
  private oldValueNoted(old: Node, node: Node): { gap: number | undefined; text: string } {
    const { gap, text } = splitGap(old.comment!);
    if (!isScalar(old) || !isScalar(node) || old.value === node.value) return { gap, text };
    const bare = old.clone();
    bare.comment = bare.commentBefore = undefined;
    const written = new Document(bare).toString(this.renderOptions).split('\n')[0]!;
    return { gap, text: ` (was ${written})${text}` };
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
