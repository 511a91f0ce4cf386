/**
 * A help center on 127.0.0.1 for the knowledge crawler: robots.txt (one disallowed folder), a sitemap
 * index → one sitemap per language → category and article pages; ETag and Last-Modified on every
 * page, 304 to a matching conditional request; an article that links off the site and to another host;
 * a page with scripts and hidden text; an oversized page. `hostile: true` adds a sitemap of its own
 * with a redirect loop, a redirect to another host, a page that answers 500, and a sitemap of 10,000
 * URLs. Every request is logged with the most that were in flight at once.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { ARTICLES, type HelpArticle, INTERNAL_ARTICLE } from "./articles.js";
import { articlePage, articlePath, categoryPage, categoryPath, HOSTILE_BODY, homePage, oversizedPage } from "./pages.js";

export interface HelpCenterOptions {
  port?: number;
  /** Adds the redirect loop, the off-host redirect, the 500 page and the 10,000-URL sitemap. */
  hostile?: boolean;
  /** Delay before each answer, so concurrency can be observed. */
  latencyMs?: number;
  /** Size of the oversized page (default 5 MB). */
  oversizedBytes?: number;
  /** false: no sitemap at all (robots.txt names none, /sitemap.xml answers 404), so articles are found by links. */
  sitemap?: boolean;
}

export interface HelpCenterRequest {
  path: string;
  status: number;
  conditional: boolean;
  userAgent: string;
}

export interface HelpCenterHandle {
  /** The help center's root, e.g. http://127.0.0.1:PORT/ (HELPCRUNCH_KNOWLEDGE_URL). */
  url: string;
  /** The same server under another host name (localhost): another origin. */
  otherHostUrl: string;
  articles: readonly HelpArticle[];
  articleUrl(id: number): string;
  requests: HelpCenterRequest[];
  /** The most requests that were in flight at once. */
  maxInFlight: number;
  /** Changes an article upstream (its ETag and Last-Modified change with it). */
  edit(id: number, paragraphs: string[]): void;
  /** Takes an article down (404 from then on, gone from the sitemap). */
  remove(id: number): void;
  stop(): Promise<void>;
}

export const OVERSIZED_PATH = "/en/articles/199-complete-changelog";
export const FLOOD_SIZE = 10_000;
const HOSTILE_PATHS = {
  loopA: "/en/articles/801-loop-a",
  loopB: "/en/articles/802-loop-b",
  offHost: "/en/articles/803-moved-away",
  broken: "/en/articles/804-broken",
};
/** The article whose body carries scripts and hidden text; another links off the site. */
const SECURITY_ARTICLE = 134;
const LINKING_ARTICLE = 126;
const LANGS = ["en", "de", "es"] as const;

const urlset = (origin: string, paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<url><loc>${origin}${p}</loc><lastmod>2026-01-01</lastmod></url>`).join("")}</urlset>`;
const index = (origin: string, paths: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">${paths.map((p) => `<sitemap><loc>${origin}${p}</loc></sitemap>`).join("")}</sitemapindex>`;

export async function startHelpCenter(options: HelpCenterOptions = {}): Promise<HelpCenterHandle> {
  const articles = ARTICLES.map((a) => ({ ...a, version: 1, removed: false }));
  const requests: HelpCenterRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let oversized: string | undefined;
  let port = 0;
  const origin = () => `http://127.0.0.1:${port}`;

  const route = (path: string): { status: number; type?: string; body?: string; location?: string; version?: string } => {
    const o = origin();
    const sitemaps = options.sitemap !== false;
    if (path === "/robots.txt")
      return {
        status: 200,
        type: "text/plain",
        body: `User-agent: *\nDisallow: /en/internal/\n${sitemaps ? `\nSitemap: ${o}/sitemap.xml\n` : ""}`,
      };
    if (!sitemaps && (path === "/sitemap.xml" || path.startsWith("/sitemaps/")))
      return { status: 404, type: "text/html", body: "<h1>Not found</h1>" };
    if (path === "/sitemap.xml")
      return {
        status: 200,
        type: "application/xml",
        body: index(o, [
          ...LANGS.map((l) => `/sitemaps/${l}.xml`),
          ...(options.hostile ? ["/sitemaps/hostile.xml", "/sitemaps/flood.xml"] : []),
        ]),
      };
    const sitemap = /^\/sitemaps\/(en|de|es)\.xml$/.exec(path);
    if (sitemap) {
      const lang = sitemap[1] as string;
      const live = articles.filter((a) => a.lang === lang && !a.removed);
      const categories = [...new Set(live.map((a) => a.category))].map((c) => categoryPath(lang, c));
      const extra = lang === "en" ? [`/en/internal/${INTERNAL_ARTICLE.id}-${INTERNAL_ARTICLE.slug}`, OVERSIZED_PATH] : [];
      return { status: 200, type: "application/xml", body: urlset(o, [`/${lang}/`, ...categories, ...live.map(articlePath), ...extra]) };
    }
    if (options.hostile && path === "/sitemaps/hostile.xml")
      return { status: 200, type: "application/xml", body: urlset(o, Object.values(HOSTILE_PATHS)) };
    if (options.hostile && path === "/sitemaps/flood.xml")
      return {
        status: 200,
        type: "application/xml",
        body: urlset(
          o,
          Array.from({ length: FLOOD_SIZE }, (_, i) => `/en/articles/${10_000 + i}-filler`),
        ),
      };
    if (options.hostile && path === HOSTILE_PATHS.loopA) return { status: 302, location: HOSTILE_PATHS.loopB };
    if (options.hostile && path === HOSTILE_PATHS.loopB) return { status: 301, location: HOSTILE_PATHS.loopA };
    if (options.hostile && path === HOSTILE_PATHS.offHost)
      return { status: 301, location: `http://localhost:${port}${articlePath(articles[0] as HelpArticle)}` };
    if (options.hostile && path === HOSTILE_PATHS.broken) return { status: 500, type: "text/html", body: "<h1>Internal Server Error</h1>" };
    if (path === OVERSIZED_PATH) {
      oversized ??= oversizedPage(options.oversizedBytes ?? 5 * 1_048_576);
      return { status: 200, type: "text/html; charset=utf-8", body: oversized, version: "big" };
    }
    if (path.startsWith("/en/internal/")) return { status: 200, type: "text/html; charset=utf-8", body: articlePage(INTERNAL_ARTICLE) };
    const home = /^\/(en|de|es)\/$/.exec(path);
    if (home || path === "/") return { status: 200, type: "text/html; charset=utf-8", body: homePage(home?.[1] ?? "en"), version: "home" };
    const category = /^\/(en|de|es)\/categories\/([a-z]+)$/.exec(path);
    if (category)
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: categoryPage(category[1] as string, category[2] as string),
        version: "cat",
      };
    const article = articles.find((a) => articlePath(a) === path && !a.removed);
    if (article) {
      const extra =
        article.id === SECURITY_ARTICLE
          ? HOSTILE_BODY
          : article.id === LINKING_ARTICLE
            ? `<p>See <a href="https://slack.com/apps">Slack's app directory</a> and <a href="http://localhost:${port}/en/">our other site</a>.</p>`
            : "";
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: articlePage(article, extra),
        version: `a${article.id}-v${article.version}`,
      };
    }
    const filler = /^\/en\/articles\/(1\d{4})-filler$/.exec(path);
    if (options.hostile && filler)
      return {
        status: 200,
        type: "text/html; charset=utf-8",
        body: `<html><body><main><article><h1>Filler ${filler[1]}</h1><p>Generated filler page number ${filler[1]} of the flood sitemap.</p></article></main></body></html>`,
        version: "f",
      };
    return { status: 404, type: "text/html", body: "<h1>Not found</h1>" };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
      const path = new URL(req.url ?? "/", "http://x").pathname;
      const answer = route(path);
      const etag = answer.version ? `"${answer.version}"` : undefined;
      const versionNumber = Number(/-v(\d+)$/.exec(answer.version ?? "")?.[1] ?? 1);
      const lastModified = new Date(Date.UTC(2026, 0, 1) + versionNumber * 86_400_000).toUTCString();
      const conditional = req.headers["if-none-match"] !== undefined || req.headers["if-modified-since"] !== undefined;
      const fresh = etag !== undefined && req.headers["if-none-match"] === etag;
      const status = fresh ? 304 : answer.status;
      requests.push({ path, status, conditional, userAgent: String(req.headers["user-agent"] ?? "") });
      res.writeHead(status, {
        ...(answer.type && !fresh ? { "content-type": answer.type } : {}),
        ...(answer.location ? { location: answer.location } : {}),
        ...(etag ? { etag, "last-modified": lastModified } : {}),
      });
      res.end(fresh ? undefined : answer.body);
    } finally {
      inFlight--;
    }
  };

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => void handle(req, res));
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  port = (server.address() as { port: number }).port;

  const find = (id: number) => {
    const found = articles.find((a) => a.id === id);
    if (!found) throw new Error(`no article ${id}`);
    return found;
  };
  return {
    url: `${origin()}/`,
    otherHostUrl: `http://localhost:${port}/`,
    articles: ARTICLES,
    articleUrl: (id) => `${origin()}${articlePath(find(id))}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    edit(id, paragraphs) {
      const article = find(id);
      article.paragraphs = paragraphs;
      article.version++;
    },
    remove(id) {
      find(id).removed = true;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
