/** Valid Unicode only: no customer text can make formatting throw or write a lone surrogate. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { plainText, stripHtml, untrusted } from "../../src/present/text.js";
import { wellFormed, wellFormedDeep } from "../../src/present/unicode.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isWellFormed = (s: string) => !LONE.test(s);

/** Strings full of what hostile customers and broken proxies send: entities of every size, raw surrogates, tags. */
const entitySoup = fc
  .array(
    fc.oneof(
      fc.string({ unit: "grapheme" }),
      fc.string({ unit: "binary" }),
      fc.integer({ min: 0, max: 2 ** 40 }).map((n) => `&#${n};`),
      fc.integer({ min: 0xd700, max: 0xe000 }).map((n) => `&#${n};`),
      fc.integer({ min: 0, max: 2 ** 40 }).map((n) => `&#x${n.toString(16)};`),
      fc.constantFrom("&amp;", "&nbsp;", "&bogus;", "<b>", "</p>", "\uD800", "\uDFFF", "\uD83D\uDE00", "&#55296;&#56320;"),
    ),
    { maxLength: 20 },
  )
  .map((parts) => parts.join(""));

describe("text sanitiser", () => {
  it("never throws and always returns well-formed text", () => {
    fc.assert(
      fc.property(entitySoup, (raw) => {
        for (const out of [stripHtml(raw), plainText(raw), untrusted(raw, 50)]) expect(isWellFormed(out)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("drops references outside Unicode's scalar values and keeps valid ones", () => {
    expect(plainText("a&#9999999;b&#55296;c&#x1F600;d&#39;e&#0;f")).toBe("abc😀d'ef");
  });

  it("lone surrogates become U+FFFD; pairs are kept", () => {
    expect(wellFormed("x\uD800y\uDFFFz\uD83D\uDE00")).toBe("x\uFFFDy\uFFFDz😀");
    expect(wellFormedDeep({ "k\uD800": ["\uDC00", 3, null, { n: "\uD83D" }] })).toEqual({
      "k\uFFFD": ["\uFFFD", 3, null, { n: "\uFFFD" }],
    });
  });

  it("wellFormedDeep leaves well-formed values equal", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(JSON.stringify(wellFormedDeep(value))).toBe(JSON.stringify(value));
      }),
    );
  });
});
