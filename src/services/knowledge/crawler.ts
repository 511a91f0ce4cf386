/**
 * One crawl of a help center. Discovery: robots.txt (its rules and its Sitemap lines), then
 * sitemap.xml under the root and at the origin (sitemap indexes followed), else links from the root
 * page, breadth first. Scope: the root's origin and path prefix, robots.txt permitting; a redirect out
 * of it fails the page. Pages are fetched by at most MAX_IN_FLIGHT workers (one, spaced, when
 * robots.txt asks for a Crawl-delay), each with a deadline and a byte cap, conditionally when a copy is
 * held. Every bound is a number below; the crawl reports what it found, fetched and why pages failed.
 */
import robotsModule from "robots-parser";
import { extractPage } from "./extract.js";
import { type FetchOutcome, MAX_IN_FLIGHT, PoliteFetcher, pause } from "./fetcher.js";
import { type CrawlFailure, type CrawlRecord, MAX_FAILURES_KEPT, type StoredPage } from "./page-store.js";
import { parseSitemap } from "./sitemap.js";

export interface CrawlLimits {
  /** Article pages per crawl. */
  maxPages: number;
  /** Bytes of one page. */
  pageBytes: number;
  /** Bytes of one sitemap (a sitemap of 10,000 URLs is about 1 MB). */
  sitemapBytes: number;
  /** Sitemap documents read per crawl (an index and its sitemaps). */
  maxSitemaps: number;
  /** One request, headers and body. */
  timeoutMs: number;
  /** The longest Crawl-delay of robots.txt honoured (a longer one is shortened to this). */
  maxCrawlDelayMs: number;
}

export const DEFAULT_LIMITS: CrawlLimits = {
  maxPages: 2_000,
  pageBytes: 1_048_576,
  sitemapBytes: 5_242_880,
  maxSitemaps: 50,
  timeoutMs: 15_000,
  maxCrawlDelayMs: 5_000,
};

export const ROBOTS_AGENT = "helpcrunch-mcp";

export interface CrawlProgress {
  discovered: number;
  fetched: number;
  failed: number;
}

export interface CrawlHooks {
  /** Pages held from earlier crawls, by URL: fetched conditionally. */
  known: ReadonlyMap<string, StoredPage>;
  /** A page read (or confirmed unchanged by a 304). */
  page(page: StoredPage, changed: boolean): Promise<void>;
  /** A page that is gone (404/410, or no longer listed). */
  gone(url: string): Promise<void>;
  progress: CrawlProgress;
  signal: AbortSignal;
  now: () => number;
}

/** The help center's scope: its origin and its root path (as a folder). */
export class Scope {
  readonly root: URL;
  readonly prefix: string;
  constructor(rootUrl: string) {
    this.root = new URL(rootUrl);
    this.root.hash = "";
    this.prefix = this.root.pathname.endsWith("/") ? this.root.pathname : `${this.root.pathname}/`;
  }
  contains(url: URL): boolean {
    return url.origin === this.root.origin && (url.pathname === this.root.pathname || url.pathname.startsWith(this.prefix));
  }
}

/** Links that are files, not pages. */
const NOT_A_PAGE = /\.(pdf|png|jpe?g|gif|webp|svg|ico|zip|gz|mp4|mp3|webm|css|js|json|xml|txt|docx?|xlsx?|pptx?)$/i;

const normalise = (url: string): string | undefined => {
  try {
    const parsed = new URL(url);
    parsed.hash = "";
    return parsed.href;
  } catch {
    return undefined;
  }
};

export async function crawlHelpCenter(rootUrl: string, limits: CrawlLimits, hooks: CrawlHooks): Promise<CrawlRecord> {
  const startedAt = hooks.now();
  const scope = new Scope(rootUrl);
  const fetcher = new PoliteFetcher(scope.root.origin, limits.timeoutMs, hooks.signal);
  const failures: CrawlFailure[] = [];
  let failedCount = 0;
  const fail = (url: string, reason: string) => {
    failedCount++;
    hooks.progress.failed++;
    if (failures.length < MAX_FAILURES_KEPT) failures.push({ url, reason });
  };
  try {
    const robots = await readRobots(fetcher, scope);
    const allowed = (url: URL) => scope.contains(url) && robots.isAllowed(url.href, ROBOTS_AGENT) !== false;
    const delay = Math.min((robots.getCrawlDelay(ROBOTS_AGENT) ?? 0) * 1000, limits.maxCrawlDelayMs);

    const fromSitemaps = await sitemapPages(fetcher, scope, robots.getSitemaps(), allowed, limits);
    const discovery: CrawlRecord["discovery"] = fromSitemaps.length > 0 ? "sitemap" : "links";
    let level = fromSitemaps.length > 0 ? fromSitemaps : [scope.root.href];
    const queued = new Set(level);
    const seen = new Set<string>();
    hooks.progress.discovered = queued.size;

    const visit = async (url: string, next: string[]) => {
      const previous = hooks.known.get(url);
      const outcome = await fetcher.get({
        url,
        maxBytes: limits.pageBytes,
        etag: previous?.etag,
        lastModified: previous?.lastModified,
        allowed,
      });
      hooks.progress.fetched++;
      const page = pageFrom(outcome, previous, hooks.now());
      if ("reason" in page) {
        fail(url, page.reason);
        if (previous && (page.status === 404 || page.status === 410)) {
          seen.add(url);
          await hooks.gone(url);
        }
        // Any other failure keeps the copy held: a slow or broken page is tried again at the next refresh.
        if (previous) seen.add(url);
        return;
      }
      if (seen.has(page.stored.url)) return;
      seen.add(page.stored.url);
      seen.add(url);
      await hooks.page(page.stored, page.changed);
      if (discovery !== "links" || !page.links) return;
      for (const link of page.links) {
        const href = normalise(link);
        if (!href || queued.has(href) || queued.size >= limits.maxPages || NOT_A_PAGE.test(new URL(href).pathname)) continue;
        if (!allowed(new URL(href))) continue;
        queued.add(href);
        next.push(href);
      }
      hooks.progress.discovered = queued.size;
    };

    while (level.length > 0 && !hooks.signal.aborted) {
      const next: string[] = [];
      let cursor = 0;
      const worker = async () => {
        while (cursor < level.length && !hooks.signal.aborted) {
          const url = level[cursor++] as string;
          await visit(url, next);
          if (delay > 0) await pause(delay, hooks.signal);
        }
      };
      await Promise.all(Array.from({ length: delay > 0 ? 1 : MAX_IN_FLIGHT }, worker));
      level = next;
    }

    // Pages held from before that this crawl no longer found are gone from the site, unless the crawl
    // was cut short or found nothing at all (then the site is more likely down than empty).
    if (!hooks.signal.aborted && seen.size > 0) for (const url of hooks.known.keys()) if (!seen.has(url)) await hooks.gone(url);
    return {
      startedAt,
      finishedAt: hooks.now(),
      found: queued.size,
      failed: failures,
      failedCount,
      discovery: seen.size > 0 ? discovery : "none",
    };
  } finally {
    await fetcher.close();
  }
}

type PageResult = { stored: StoredPage; changed: boolean; links?: string[] } | { reason: string; status?: number };

function pageFrom(outcome: FetchOutcome, previous: StoredPage | undefined, now: number): PageResult {
  if (outcome.kind === "failed") return { reason: outcome.reason, ...(outcome.status !== undefined ? { status: outcome.status } : {}) };
  if (outcome.kind === "not-modified") {
    if (!previous) return { reason: "answered 304 Not Modified to an unconditional request" };
    return { stored: { ...previous, checkedAt: now }, changed: false };
  }
  if (outcome.contentType && !/html|xml/.test(outcome.contentType))
    return { reason: `not an HTML page (${outcome.contentType.slice(0, 60)})` };
  const extracted = extractPage(outcome.text, outcome.url);
  return {
    stored: {
      url: outcome.url,
      title: extracted.title,
      text: extracted.text,
      lang: extracted.lang,
      hub: extracted.hub,
      ...(outcome.etag ? { etag: outcome.etag } : {}),
      ...(outcome.lastModified ? { lastModified: outcome.lastModified } : {}),
      checkedAt: now,
    },
    changed: true,
    links: extracted.links,
  };
}

interface Robots {
  isAllowed(url: string, ua?: string): boolean | undefined;
  getCrawlDelay(ua?: string): number | undefined;
  getSitemaps(): string[];
}
type RobotsParser = (url: string, contents: string) => Robots;
/**
 * robots-parser is CommonJS (`module.exports = function`) while its types declare an ES default
 * export: under Node's ESM rules (and esbuild's) the default import is the function itself.
 */
const robotsParser = ((robotsModule as unknown as { default?: RobotsParser }).default ?? robotsModule) as unknown as RobotsParser;

/** robots.txt of the origin; none (or unreadable) allows everything, as crawlers agree. */
async function readRobots(fetcher: PoliteFetcher, scope: Scope): Promise<Robots> {
  const url = new URL("/robots.txt", scope.root).href;
  const outcome = await fetcher.get({ url, maxBytes: 524_288, allowed: (u) => u.origin === scope.root.origin });
  return robotsParser(url, outcome.kind === "ok" ? outcome.text : "");
}

/** Page URLs from the sitemaps (robots.txt's, then the usual places), indexes followed, in document order. */
async function sitemapPages(
  fetcher: PoliteFetcher,
  scope: Scope,
  fromRobots: string[],
  allowed: (url: URL) => boolean,
  limits: CrawlLimits,
): Promise<string[]> {
  const candidates = [
    ...fromRobots,
    new URL("sitemap.xml", new URL(scope.prefix, scope.root)).href,
    new URL("/sitemap.xml", scope.root).href,
  ];
  const queue = [...new Set(candidates.map(normalise).filter((u): u is string => !!u && new URL(u).origin === scope.root.origin))];
  const read = new Set<string>();
  const pages = new Set<string>();
  while (queue.length > 0 && read.size < limits.maxSitemaps && pages.size < limits.maxPages) {
    const url = queue.shift() as string;
    if (read.has(url)) continue;
    read.add(url);
    const outcome = await fetcher.get({ url, maxBytes: limits.sitemapBytes, allowed: (u) => u.origin === scope.root.origin });
    if (outcome.kind !== "ok") continue;
    const sitemap = parseSitemap(outcome.text);
    for (const loc of sitemap.locs) {
      const href = normalise(loc);
      if (!href) continue;
      if (sitemap.kind === "index") {
        if (new URL(href).origin === scope.root.origin && !read.has(href)) queue.push(href);
      } else if (pages.size < limits.maxPages && allowed(new URL(href))) pages.add(href);
    }
  }
  return [...pages];
}
