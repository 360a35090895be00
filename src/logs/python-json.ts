/**
 * JSON as Python writes it: `json.dumps` (and so HuggingFace's trainer_state.json) writes a NaN or
 * infinite float as the bare tokens NaN, Infinity and -Infinity, which JSON.parse rejects. They are
 * turned into the strings logNumber reads ("nan", "inf", "-inf"), outside string literals only.
 */
const TOKENS_OUTSIDE_STRINGS = /"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)/g;
const SPELLING: Record<string, string> = { NaN: '"nan"', Infinity: '"inf"', '-Infinity': '"-inf"' };

/** JSON.parse, and on failure once more with Python's non-finite tokens quoted; throws JSON.parse's error. */
export function parsePythonJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    if (!/NaN|Infinity/.test(text)) throw error;
    return JSON.parse(
      text.replace(TOKENS_OUTSIDE_STRINGS, (match, token?: string) => (token ? SPELLING[token]! : match)),
    );
  }
}
