/**
 * Valid Unicode only leaves the server. A lone UTF-16 surrogate (from `&#55296;`, or from a JSON
 * `\ud800` in HelpCrunch's answer) is serialised by JSON.stringify as `\ud800`, which strict JSON
 * parsers (the Python SDK client's among them) reject: the whole line is dropped and the call never
 * answers. Lone surrogates become U+FFFD.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function wellFormed(text: string): string {
  // isWellFormed (ES2024, in Node 20) is a scan without allocation: nearly every string is already well-formed.
  return (text as WellFormedString).isWellFormed() ? text : text.replace(LONE_SURROGATE, "\uFFFD");
}

/** ES2024's String.prototype.isWellFormed, which the ES2023 lib this project compiles against does not declare. */
type WellFormedString = string & { isWellFormed(): boolean };

/** Every string in a JSON-like value made well-formed (keys included); other values as they are. */
export function wellFormedDeep<T>(value: T): T {
  // Copied only where a string changes: every tool result passes here, and nearly all are already well-formed.
  return isWellFormedDeep(value) ? value : copyWellFormed(value);
}

function isWellFormedDeep(value: unknown): boolean {
  if (typeof value === "string") return (value as WellFormedString).isWellFormed();
  if (Array.isArray(value)) return value.every(isWellFormedDeep);
  if (typeof value === "object" && value !== null)
    return Object.entries(value).every(([k, v]) => (k as WellFormedString).isWellFormed() && isWellFormedDeep(v));
  return true;
}

function copyWellFormed<T>(value: T): T {
  if (typeof value === "string") return wellFormed(value) as T;
  if (Array.isArray(value)) return value.map((v) => copyWellFormed(v)) as T;
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [wellFormed(k), copyWellFormed(v)])) as T;
  }
  return value;
}

/** A code point from a numeric character reference, or undefined when it is not a Unicode scalar value. */
export function scalarValue(codePoint: number): string | undefined {
  const valid = Number.isInteger(codePoint) && codePoint > 0 && codePoint <= 0x10ffff && !(codePoint >= 0xd800 && codePoint <= 0xdfff);
  return valid ? String.fromCodePoint(codePoint) : undefined;
}
