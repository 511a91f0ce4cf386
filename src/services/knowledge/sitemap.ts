/**
 * sitemap.xml (sitemaps.org): a `<urlset>` of pages or a `<sitemapindex>` of further sitemaps, read
 * with htmlparser2's XML mode (tolerant of namespace prefixes and sloppy markup). At most MAX_LOCS
 * entries are kept per document: a sitemap of 50,000 URLs costs no more than its first MAX_LOCS.
 */
import { Parser } from "htmlparser2";

export const MAX_LOCS = 10_000;

export interface Sitemap {
  kind: "index" | "urlset";
  /** Absolute URLs, in document order. */
  locs: string[];
}

/** `<sitemap:loc>` and `<loc>` alike. */
const localName = (name: string) => name.slice(name.lastIndexOf(":") + 1).toLowerCase();

export function parseSitemap(xml: string): Sitemap {
  let kind: Sitemap["kind"] = "urlset";
  const locs: string[] = [];
  let inLoc = false;
  let loc = "";
  const parser = new Parser(
    {
      onopentag(name) {
        const local = localName(name);
        if (local === "sitemapindex") kind = "index";
        if (local === "loc") {
          inLoc = true;
          loc = "";
        }
      },
      ontext(text) {
        if (inLoc && loc.length < 2_048) loc += text;
      },
      onclosetag(name) {
        if (localName(name) !== "loc" || !inLoc) return;
        inLoc = false;
        const url = loc.trim();
        if (locs.length < MAX_LOCS && /^https?:\/\//i.test(url)) locs.push(url);
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xml);
  parser.end();
  return { kind, locs };
}
