/**
 * An article page → its title, main text, language and links, by structure rather than by one theme:
 * the text of the first `<article>`, `<main>` or `[role=main]` (else the body), without what a reader
 * does not see as the article: navigation, headers and footers (as elements or ARIA roles), dialogs
 * such as cookie banners, scripts, styles, forms, and anything
 * hidden (`hidden`, `aria-hidden="true"`, inline `display:none` / `visibility:hidden`). Parsed with
 * htmlparser2 in one streaming pass; text and links are capped, so a hostile page costs bounded memory.
 * The text is untrusted (a web page): it leaves here valid Unicode, with no invisible characters.
 */
import { Parser } from "htmlparser2";
import { visibleText } from "../../present/text.js";

/** Characters of main text kept per page: a long article is still searchable by its first ~3,000 words. */
export const MAX_PAGE_TEXT = 20_000;
/** Characters of a title. */
export const MAX_TITLE = 200;
/** Less main text than this is no article (an empty shell, a redirect page). */
const MIN_ARTICLE_TEXT = 40;
/** Fewer visible characters outside links than this, beside links, is a list of links. */
const MIN_OWN_TEXT = 80;
/** Links kept per page (for discovery when a site has no sitemap). */
export const MAX_LINKS = 500;

export interface ExtractedPage {
  title: string;
  text: string;
  /** The page's declared language (`<html lang>`), lower case, or "" when it declares none. */
  lang: string;
  /** Absolute http(s) URLs the page links to, fragments removed, at most MAX_LINKS. */
  links: string[];
  /**
   * A page mostly made of links (a category or the home page): crawled for its links, not indexed,
   * so a question does not land on a table of contents.
   */
  hub: boolean;
}

/** Elements whose content is never article text. */
const SKIPPED = new Set([
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "iframe",
  "object",
  "canvas",
  "nav",
  "header",
  "footer",
  "aside",
  "form",
  "button",
  "select",
  "textarea",
  "dialog",
  "head",
]);
/** ARIA roles of the same regions, for themes built of divs. */
const SKIPPED_ROLES = new Set([
  "navigation",
  "banner",
  "contentinfo",
  "complementary",
  "search",
  "dialog",
  "alertdialog",
  "menu",
  "menubar",
  "toolbar",
]);
/** Elements after which text is a new block (a space, so words of two paragraphs never join). */
const BLOCKS = new Set([
  "p",
  "div",
  "li",
  "br",
  "tr",
  "td",
  "th",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "section",
  "article",
  "pre",
  "dd",
  "dt",
]);
const MAIN = new Set(["article", "main"]);

function hidden(attribs: Record<string, string>): boolean {
  if ("hidden" in attribs || attribs["aria-hidden"] === "true") return true;
  const style = (attribs.style ?? "").toLowerCase().replace(/\s+/g, "");
  return /display:none|visibility:hidden|font-size:0(?![.\d])|opacity:0(?![.\d])/.test(style);
}

/** A bounded text buffer: appends stop counting once the cap is reached. */
class Capped {
  parts: string[] = [];
  length = 0;
  constructor(private readonly max: number) {}
  add(text: string): void {
    if (this.length >= this.max) return;
    const piece = text.slice(0, this.max - this.length);
    this.parts.push(piece);
    this.length += piece.length;
  }
  get text(): string {
    return this.parts.join("");
  }
}

function absoluteLink(href: string, base: URL): string | undefined {
  try {
    const url = new URL(href.trim(), base);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    url.hash = "";
    return url.href;
  } catch {
    return undefined;
  }
}

/** Drops a trailing " | Site name" (or " - ", " – ", " — ") from a `<title>`, keeping the article's own. */
function articleTitle(documentTitle: string): string {
  return documentTitle.split(/\s+[|–—-]\s+/)[0] ?? documentTitle;
}

export function extractPage(html: string, pageUrl: string): ExtractedPage {
  const base = new URL(pageUrl);
  // Raw text is collected a little past the cap: cleaning removes whitespace and invisible characters.
  const mainText = new Capped(MAX_PAGE_TEXT * 2);
  const bodyText = new Capped(MAX_PAGE_TEXT * 2);
  /** Visible characters (whitespace aside) inside links, in the main region and in the body: a hub is mostly links. */
  const linked = { main: 0, body: 0 };
  const h1 = new Capped(MAX_TITLE * 2);
  const documentTitle = new Capped(MAX_TITLE * 2);
  const links = new Set<string>();
  let ogTitle = "";
  let lang = "";
  /** Per open element: does it hide its content, is it the main region, is it a link, an h1, the title. */
  const stack: Array<{ name: string; skip: boolean; main: boolean; link: boolean; h1: boolean; title: boolean }> = [];
  let skipDepth = 0;
  let mainDepth = 0;
  let mainDone = false;
  let linkDepth = 0;
  let h1Depth = 0;
  let titleDepth = 0;
  let h1Done = false;

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        if (name === "html" && attribs.lang) lang = attribs.lang.trim().toLowerCase().slice(0, 16);
        if (name === "meta" && attribs.property === "og:title" && attribs.content) ogTitle = attribs.content;
        if (name === "a" && attribs.href && links.size < MAX_LINKS) {
          const link = absoluteLink(attribs.href, base);
          if (link) links.add(link);
        }
        const skip = SKIPPED.has(name) || SKIPPED_ROLES.has(attribs.role ?? "") || hidden(attribs);
        const main = !mainDone && skipDepth === 0 && (MAIN.has(name) || attribs.role === "main");
        const entry = { name, skip, main, link: name === "a", h1: name === "h1" && !h1Done, title: name === "title" };
        stack.push(entry);
        if (skip) skipDepth++;
        if (main) mainDepth++;
        if (entry.link) linkDepth++;
        if (entry.h1) h1Depth++;
        if (entry.title) titleDepth++;
      },
      ontext(raw) {
        if (titleDepth > 0) documentTitle.add(raw);
        if (skipDepth > 0) return;
        bodyText.add(raw);
        if (mainDepth > 0) mainText.add(raw);
        if (linkDepth > 0) {
          const visible = raw.replace(/\s+/g, "").length;
          linked.body += visible;
          if (mainDepth > 0) linked.main += visible;
        }
        if (h1Depth > 0) h1.add(raw);
      },
      onclosetag(name) {
        const entry = stack.pop();
        if (!entry) return;
        if (entry.skip) skipDepth--;
        if (entry.main) {
          mainDepth--;
          if (mainDepth === 0) mainDone = true;
        }
        if (entry.link) linkDepth--;
        if (entry.h1) {
          h1Depth--;
          if (h1.length > 0) h1Done = true;
        }
        if (entry.title) titleDepth--;
        if (BLOCKS.has(name) && skipDepth === 0) {
          bodyText.add(" ");
          if (mainDepth > 0) mainText.add(" ");
        }
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html);
  parser.end();

  const main = visibleText(mainText.text);
  const body = visibleText(bodyText.text);
  const fromMain = main.length >= MIN_ARTICLE_TEXT;
  const chosen = fromMain ? main : body;
  const title = visibleText(h1.text) || visibleText(ogTitle) || visibleText(articleTitle(documentTitle.text)) || base.pathname;
  const words = chosen.replace(/\s+/g, "").length;
  const linkedChars = fromMain ? linked.main : linked.body;
  return {
    title: title.slice(0, MAX_TITLE),
    // The h1 opens the main text too: the title is kept once, as the title.
    text: (chosen.startsWith(title) ? chosen.slice(title.length).trimStart() : chosen).slice(0, MAX_PAGE_TEXT),
    lang,
    links: [...links],
    // Mostly links, or links and a heading: a list of articles (a category, the home page), not an article.
    hub: chosen.length < MIN_ARTICLE_TEXT || linkedChars > words * 0.6 || (linkedChars > 0 && words - linkedChars < MIN_OWN_TEXT),
  };
}
