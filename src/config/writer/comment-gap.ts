/**
 * Trailing comments with their original spacing. yaml keeps a comment's text but not the spaces
 * before it, so the clone's inline comments carry their gap in a prefix that renderComment turns
 * back into spaces. The prefix uses NUL, which YAML does not allow in its text.
 */

// eslint-disable-next-line no-control-regex -- the NUL around the gap is the point (see above)
const GAP_PREFIX = /^\u0000(\d+)\u0000/;

export function withGap(text: string, gap: number): string {
  return `\u0000${gap}\u0000${text}`;
}

export function splitGap(comment: string): { gap: number | undefined; text: string } {
  const match = GAP_PREFIX.exec(comment);
  return match === null
    ? { gap: undefined, text: comment }
    : { gap: Number(match[1]), text: comment.slice(match[0].length) };
}

/** yaml's own comment stringifier, plus the spaces a gap prefix asks for (yaml adds the first one). */
export function renderComment(comment: string): string {
  const { gap, text } = splitGap(comment);
  const hashed = text.replace(/^(?!$)(?: $)?/gm, '#');
  return gap === undefined ? hashed : ' '.repeat(Math.max(0, gap - 1)) + hashed;
}
