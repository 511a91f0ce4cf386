/**
 * Valid Unicode only leaves the server. A lone UTF-16 surrogate (from `&#55296;`, or from a JSON
 * `\ud800` in HelpCrunch's answer) is serialised by JSON.stringify as `\ud800`, which strict JSON
 * parsers (the Python SDK client's among them) reject: the whole line is dropped and the call never
 * answers. Lone surrogates become U+FFFD.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\uFFFD");
}

/** Every string in a JSON-like value made well-formed (keys included); other values as they are. */
export function wellFormedDeep<T>(value: T): T {
  if (typeof value === "string") return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map((v) => wellFormedDeep(v)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), wellFormedDeep(v)])) as T;
  }
  return value;
}

/** A code point from a numeric character reference, or undefined when it is not a Unicode scalar value. */
export function scalarValue(codePoint: number): string | undefined {
  const valid = Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : undefined;
}
