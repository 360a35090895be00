/**
 * JSON as Python writes it: `json.dumps` (and so HuggingFace's trainer_state.json) writes a NaN or
 * infinite float as the bare tokens NaN, Infinity and -Infinity, which JSON.parse rejects. They are
 * turned into the strings logNumber reads ("nan", "inf", "-inf"), outside string literals only.
 * A leading UTF-8 byte-order mark, which RFC 8259 section 8.1 lets a parser ignore and which
 * Windows tools and Python's `utf-8-sig` write (bench log 617), is dropped first.
 */
const TOKENS_OUTSIDE_STRINGS = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;
const SPELLING: Record<string, string> = { NaN: '"nan"', Infinity: '"inf"', '-Infinity': '"-inf"' };

/** JSON.parse, and on failure once more with Python's non-finite tokens quoted; throws JSON.parse's error. */
export function parsePythonJson(withMark: string): unknown {
  const text = withMark.replace(/^\uFEFF/, '');
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(
      text.replace(TOKENS_OUTSIDE_STRINGS, (match, token?: string) => (token ? SPELLING[token]! : match)),
    );
  }
}
