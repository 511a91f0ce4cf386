/**
 * Page extraction and its sanitising, as properties over hostile HTML: whatever a page holds, the
 * text that reaches the index is valid Unicode without invisible characters, capped, and holds
 * nothing from scripts, styles, navigation or hidden elements; the excerpt is bounded too.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EXCERPT_CHARS, EXCERPT_WORDS, excerptAround } from "../../../src/services/knowledge/excerpt.js";
import { extractPage, MAX_LINKS, MAX_PAGE_TEXT, MAX_TITLE } from "../../../src/services/knowledge/extract.js";
import { parseSitemap } from "../../../src/services/knowledge/sitemap.js";

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the property is that none survive
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF]/;
const SECRET = "canary";

/** Visible words the article may hold: letters only, so they cannot spell the secret by accident. */
const word = fc.stringMatching(/^[a-z]{2,8}$/).filter((w) => !w.includes(SECRET));
/**
 * Junk a page may carry anywhere: raw surrogates, controls, bidi overrides, entities, stray closing
 * tags. Not an unfinished tag (`<p` glued to `<script>` makes one element a browser shows as text).
 */
const junk = fc.oneof(
  fc.string({ unit: "binary", maxLength: 12 }).map((s) => s.replace(/</g, "")),
  fc.constantFrom(
    "\uD800",
    "\uDFFF",
    "\u202E",
    "\u200B",
    "\u0007",
    "&#55296;",
    "&#x10FFFF;",
    "&bogus;",
    "</div>",
    "</main>",
    "]]>",
    "<br/>",
  ),
);
/** Elements whose content must never reach the text, each with the secret inside. */
const hiding = fc.constantFrom(
  (s: string) => `<script>var x = "${s}";</script>`,
  (s: string) => `<style>.a::after{content:"${s}"}</style>`,
  (s: string) => `<nav><a href="/x">${s}</a></nav>`,
  (s: string) => `<div hidden>${s}</div>`,
  (s: string) => `<span style="display: none">${s}</span>`,
  (s: string) => `<p style="visibility:hidden">${s}</p>`,
  (s: string) => `<div aria-hidden="true">${s}</div>`,
  (s: string) => `<footer>${s}</footer>`,
  (s: string) => `<div role="navigation">${s}</div>`,
  (s: string) => `<noscript>${s}</noscript>`,
  (s: string) => `<template>${s}</template>`,
);
const piece = fc.oneof(
  word.map((w) => `<p>${w} </p>`),
  junk,
  hiding.map((hide) => hide(SECRET)),
);
const page = fc
  .array(piece, { maxLength: 40 })
  .map((parts) => `<html><body><main><article><h1>Title</h1>${parts.join("")}</article></main></body></html>`);

describe("extractPage", () => {
  it("never throws; text and title are valid Unicode, without invisible characters, capped", () => {
    fc.assert(
      fc.property(fc.oneof(page, fc.string({ unit: "binary", maxLength: 400 })), (html) => {
        const out = extractPage(html, "https://help.example.com/en/articles/1");
        for (const text of [out.text, out.title]) {
          expect(LONE.test(text)).toBe(false);
          expect(INVISIBLE.test(text)).toBe(false);
        }
        expect(out.text.length).toBeLessThanOrEqual(MAX_PAGE_TEXT);
        expect(out.title.length).toBeLessThanOrEqual(MAX_TITLE);
        expect(out.links.length).toBeLessThanOrEqual(MAX_LINKS);
      }),
      { numRuns: 300 },
    );
  });

  it("no script, style, navigation, footer or hidden element reaches the text, however it is nested among junk", () => {
    fc.assert(
      fc.property(page, (html) => {
        expect(extractPage(html, "https://help.example.com/a").text).not.toContain(SECRET);
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every visible word of the article, in order", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 12, maxLength: 30 }), (words) => {
        const html = `<html><body><header>Site</header><main><h1>Title</h1>${words.map((w) => `<p>${w}</p>`).join("")}</main></body></html>`;
        expect(extractPage(html, "https://help.example.com/a").text).toBe(words.join(" "));
      }),
    );
  });

  it("a huge page costs a capped text, and only http(s) links on any host are kept, without fragments", () => {
    const out = extractPage(
      `<main><h1>Big</h1><p>${"word ".repeat(50_000)}</p><a href="javascript:alert(1)">x</a><a href="mailto:a@b.c">m</a><a href="/en/x#top">y</a><a href="https://other.example/z">z</a></main>`,
      "https://help.example.com/en/",
    );
    expect(out.text.length).toBe(MAX_PAGE_TEXT);
    expect(out.links).toEqual(["https://help.example.com/en/x", "https://other.example/z"]);
  });

  it("takes the title from the h1, else og:title, else the document title without the site's name", () => {
    const body = "<p>Some long enough text for an article to count as one, with words.</p>";
    expect(
      extractPage(`<title>T | Site</title><meta property="og:title" content="OG"><main><h1>H</h1>${body}</main>`, "https://x.io/").title,
    ).toBe("H");
    expect(extractPage(`<title>T | Site</title><meta property="og:title" content="OG"><main>${body}</main>`, "https://x.io/").title).toBe(
      "OG",
    );
    expect(extractPage(`<title>Refunds – Acme Help</title><main>${body}</main>`, "https://x.io/").title).toBe("Refunds");
  });
});

describe("excerptAround", () => {
  it("is at most EXCERPT_WORDS words and EXCERPT_CHARS characters (plus its ellipses), and contains a match when there is one", () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 400 }), fc.nat(), (words, pick) => {
        const target = words[pick % words.length] as string;
        const excerpt = excerptAround(words.join(" "), [target]);
        const body = excerpt.replace(/^…|…$/g, "");
        expect(body.split(" ").length).toBeLessThanOrEqual(EXCERPT_WORDS);
        expect(body.length).toBeLessThanOrEqual(EXCERPT_CHARS);
        expect(body.split(" ")).toContain(target);
      }),
    );
  });
});

describe("parseSitemap", () => {
  it("reads urlsets and indexes, with or without a namespace prefix, keeping only http(s) locations", () => {
    expect(parseSitemap("<urlset><url><loc> https://a.io/x </loc></url><url><loc>ftp://a.io/y</loc></url></urlset>")).toEqual({
      kind: "urlset",
      locs: ["https://a.io/x"],
    });
    expect(parseSitemap("<sm:sitemapindex><sm:sitemap><sm:loc>https://a.io/s.xml</sm:loc></sm:sitemap></sm:sitemapindex>")).toEqual({
      kind: "index",
      locs: ["https://a.io/s.xml"],
    });
  });

  it("never throws on junk", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (xml) => void parseSitemap(xml)));
  });
});
