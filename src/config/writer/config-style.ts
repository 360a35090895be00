/** The file's layout, read from node positions (the document keeps no source text). */
import {
  isCollection,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  Scalar,
  visit,
  type Document,
  type LineCounter,
  type Node,
  type Range,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { withGap } from './comment-gap.js';

/** A trailing comment further than this from its value is not treated as aligned. */
const MAX_GAP = 200;

export interface Style {
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
export function readStyle(document: Document, lineCounter: LineCounter): Style {
  const positions = new Positions(lineCounter, document.range?.[2] ?? 0);
  const layout: Layout = {};
  visit(document, {
    Pair(_key, { key, value }) {
      if (!isScalar(key) || !hasRange(key) || !isCollection(value) || value.flow || !hasRange(value)) return;
      noteBlockIndent(layout, positions.column(key.range[0]), value, positions);
      restoreKeyComment(key, value, positions);
    },
    Map(key, map, path) {
      noteFlowPadding(layout, map);
      keepInlineCommentGap(key, map, path, positions);
    },
    Seq(key, seq, path) {
      noteFlowPadding(layout, seq);
      keepInlineCommentGap(key, seq, path, positions);
    },
    Scalar(key, scalar, path) {
      keepInlineCommentGap(key, scalar, path, positions);
    },
  });
  keepFinalCommentAttached(document, positions);
  return {
    indent: layout.indent ?? 2,
    indentSeq: layout.indentSeq ?? true,
    flowCollectionPadding: layout.flowCollectionPadding ?? false,
    jsonIndent: jsonIndent(document.contents, positions),
  };
}

/** What the first block collections and flow collection of the file show; unset until one is seen. */
type Layout = Partial<Pick<Style, 'indent' | 'indentSeq' | 'flowCollectionPadding'>>;

type Ranged<T extends Node> = T & { range: Range };

function hasRange<T extends Node>(node: T): node is Ranged<T> {
  return node.range !== undefined && node.range !== null;
}

/** The indent step from a key to its block map's first key, and whether a block list under a key is indented. */
function noteBlockIndent(
  layout: Layout,
  keyColumn: number,
  value: Ranged<YAMLMap | YAMLSeq>,
  positions: Positions,
): void {
  if (isMap(value) && layout.indent === undefined) {
    const firstKey = value.items[0]?.key;
    if (isScalar(firstKey) && firstKey.range) {
      const step = positions.column(firstKey.range[0]) - keyColumn;
      if (step >= 1 && step <= 8) layout.indent = step;
    }
  }
  if (isSeq(value) && layout.indentSeq === undefined) layout.indentSeq = positions.column(value.range[0]) > keyColumn;
}

function noteFlowPadding(layout: Layout, collection: YAMLMap | YAMLSeq): void {
  if (layout.flowCollectionPadding !== undefined || !collection.flow || !collection.range) return;
  const first = collection.items[0];
  const start = isPair(first) ? (first.key as Node | null)?.range?.[0] : (first as Node | undefined)?.range?.[0];
  if (start !== undefined) layout.flowCollectionPadding = start - collection.range[0] > 1;
}

/** `layers:   # comment` parses as a comment before the list; put it back on the key's line. */
function restoreKeyComment(key: Ranged<Scalar>, value: Ranged<YAMLMap | YAMLSeq>, positions: Positions): void {
  if (!value.commentBefore || key.comment) return;
  const lines = value.commentBefore.split('\n');
  const first = lines[0]!;
  if (positions.line(value.range[0]) - positions.line(key.range[0]) !== lines.length || first === '') return;
  const gap = positions.lineEnd(key.range[0]) - first.length - 1 - (key.range[1] + 1);
  key.comment = gap >= 1 && gap <= MAX_GAP ? withGap(first, gap) : first;
  value.commentBefore = lines.length > 1 ? lines.slice(1).join('\n') : undefined;
}

/** A trailing comment on a block collection's item keeps the spacing it had from its value. */
function keepInlineCommentGap(key: unknown, node: Node, path: readonly unknown[], positions: Positions): void {
  const parent = path.at(-1);
  const collection =
    isPair(parent) && key === 'value' ? path.at(-2) : typeof key === 'number' && isSeq(parent) ? parent : undefined;
  if (!isCollection(collection) || collection.flow) return;
  if (!isScalar(node) && !(isCollection(node) && node.flow)) return;
  if (isScalar(node) && (node.type === Scalar.BLOCK_FOLDED || node.type === Scalar.BLOCK_LITERAL)) return;
  const { comment, range } = node;
  if (!comment || comment.includes('\n') || !range) return;
  const lineEnd = positions.lineEnd(range[1]);
  const gap = lineEnd - comment.length - 1 - range[1];
  if (gap >= 1 && gap <= MAX_GAP && range[2] <= lineEnd + 1) node.comment = withGap(comment, gap);
}

/** yaml puts a blank line before a document's final comment; keep it attached when the file did. */
function keepFinalCommentAttached(document: Document, positions: Positions): void {
  const contents = document.contents;
  if (
    document.comment &&
    isCollection(contents) &&
    !contents.flow &&
    !contents.comment &&
    contents.range &&
    !positions.isEmptyLine(contents.range[2])
  ) {
    contents.comment = document.comment;
    document.comment = null;
  }
}

/** A JSON file's indentation: how far right of its opening brace the first key sits, 0 for one-line JSON. */
function jsonIndent(contents: unknown, positions: Positions): number {
  if (!isMap(contents) || !contents.range) return 2;
  const firstKey = contents.items[0]?.key;
  if (!isNode(firstKey) || !firstKey.range) return 2;
  const [brace, key] = [contents.range[0], firstKey.range[0]];
  if (positions.line(key) === positions.line(brace))
    return positions.line(contents.range[1]) === positions.line(brace) ? 0 : 2;
  const step = positions.column(key) - positions.column(brace);
  return step >= 1 && step <= 8 ? step : 2;
}
