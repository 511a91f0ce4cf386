/**
 * The help-center crawler against the sandbox's help center over real HTTP: discovery through
 * robots.txt and the sitemap index, politeness (robots rules, scope, two requests in flight, its
 * User-Agent), the page cache (a restart fetches nothing), revalidation (304s, an edited article is
 * reindexed, a removed one dropped), and every hostile case bounded, with no hidden text indexed.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLogger } from "../../../src/log.js";
import {
  ARTICLES,
  FLOOD_SIZE,
  type HelpCenterHandle,
  HIDDEN_MARKERS,
  OVERSIZED_PATH,
  startHelpCenter,
} from "../../../src/sandbox/index.js";
import { DiskPageStore, KnowledgeBase, type StoredPage } from "../../../src/services/knowledge/index.js";

const folders: string[] = [];
const centers: HelpCenterHandle[] = [];
const bases: KnowledgeBase[] = [];
afterAll(async () => {
  for (const kb of bases) kb.stop();
  await Promise.all(centers.map((c) => c.stop()));
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

async function setup(options: Parameters<typeof startHelpCenter>[0] = {}, cacheDir?: string) {
  const center = await startHelpCenter(options);
  centers.push(center);
  const dir = cacheDir ?? mkdtempSync(join(tmpdir(), "knowledge-"));
  folders.push(dir);
  const open = (limits = {}) => {
    const kb = new KnowledgeBase({ url: center.url, store: new DiskPageStore(dir, center.url), log: createLogger("silent"), limits });
    bases.push(kb);
    return kb;
  };
  return { center, dir, open };
}

/** Every page the index holds (through the store: what a restart would load). */
async function stored(dir: string, url: string): Promise<StoredPage[]> {
  return new DiskPageStore(dir, url).loadPages();
}

describe("a crawl of the sandbox help center", () => {
  it("finds every article through the sitemap index, politely, and indexes no hub, hidden text or disallowed page", async () => {
    const { center, dir, open } = await setup({ latencyMs: 5 });
    const kb = open();
    kb.start();
    await kb.settled();
    const status = kb.status().helpCenter;
    expect(status?.state).toBe("ready");
    expect(status?.last?.discovery).toBe("sitemap");
    expect(status?.indexed).toBe(ARTICLES.length);
    const pages = await stored(dir, center.url);
    const articles = pages.filter((p) => !p.hub);
    expect(articles.map((p) => p.url).sort()).toEqual(ARTICLES.map((a) => center.articleUrl(a.id)).sort());
    // Category and home pages are read for links, not indexed.
    expect(pages.filter((p) => p.hub).length).toBeGreaterThanOrEqual(3);
    // robots.txt: /en/internal/ is listed in the sitemap and never requested.
    expect(center.requests.some((r) => r.path.startsWith("/en/internal/"))).toBe(false);
    // Off the site: the Slack link and the other host are never requested (only this origin serves requests).
    expect(center.requests.every((r) => r.userAgent.startsWith("helpcrunch-mcp/"))).toBe(true);
    expect(center.maxInFlight).toBeLessThanOrEqual(2);
    // The oversized page failed with its reason, and nothing else did.
    expect(status?.last?.failed).toEqual([
      { url: `${center.url.slice(0, -1)}${OVERSIZED_PATH}`, reason: expect.stringMatching(/^larger than 1 MB/) },
    ]);
    for (const page of pages) for (const marker of HIDDEN_MARKERS) expect(page.text + page.title).not.toContain(marker);
    const security = articles.find((p) => p.url.includes("134-security-notice"));
    expect(security?.text).toContain("We never ask for your password");
    expect(security?.text).not.toMatch(/STAFF90|cookies|Privacy|Acme Help Center/);
    // Titles come from the article's h1, in every page structure.
    expect(articles.find((p) => p.url.includes("201-rueckerstattung"))?.title).toBe("Rückerstattung: So bekommen Sie Ihr Geld zurück");
    expect(articles.find((p) => p.url.includes("301-reembolsos"))?.lang).toBe("es");
  });

  it("a restart loads the kept pages and fetches nothing; a refresh revalidates with 304s, reindexes an edited article and drops a removed one", async () => {
    const { center, dir, open } = await setup();
    const first = open();
    first.start();
    await first.settled();
    first.stop();
    const before = center.requests.length;

    const second = open();
    second.start();
    await second.settled();
    expect(center.requests.length).toBe(before);
    expect(second.status().helpCenter?.indexed).toBe(ARTICLES.length);
    expect((await second.search("money back charged twice", 1))[0]?.ref).toBe(center.articleUrl(101));

    center.edit(103, ["Subscriptions now end with a one-click farewell-survey-4711 in Settings → Billing."]);
    center.remove(133);
    await second.refresh();
    const revalidation = center.requests.slice(before);
    const articleRequests = revalidation.filter((r) => r.path.includes("/articles/") && r.path !== OVERSIZED_PATH);
    expect(articleRequests.every((r) => r.conditional)).toBe(true);
    expect(articleRequests.filter((r) => r.status === 304).length).toBe(ARTICLES.length - 2);
    expect((await second.search("farewell survey", 1))[0]?.ref).toBe(center.articleUrl(103));
    expect((await second.search("dashboard slow", 5)).some((m) => m.ref === center.articleUrl(133))).toBe(false);
    expect((await stored(dir, center.url)).some((p) => p.url === center.articleUrl(133))).toBe(false);
  });

  it("hostile site: a redirect loop, a redirect to another host, a 500 and a 10,000-URL sitemap are bounded and reported", async () => {
    const { center, open } = await setup({ hostile: true });
    const kb = open();
    const started = performance.now();
    kb.start();
    await kb.settled();
    const seconds = (performance.now() - started) / 1000;
    const last = kb.status().helpCenter?.last;
    expect(seconds).toBeLessThan(15);
    // At most 2,000 pages, whatever the sitemap lists: the real articles first, then filler.
    expect(last?.found).toBe(2_000);
    expect(center.requests.filter((r) => /-filler$/.test(r.path)).length).toBeLessThan(FLOOD_SIZE);
    const reasons = Object.fromEntries((last?.failed ?? []).map((f) => [new URL(f.url).pathname, f.reason]));
    expect(reasons["/en/articles/801-loop-a"]).toMatch(/more than 5 redirects/);
    expect(reasons["/en/articles/803-moved-away"]).toMatch(/redirected off the help center to http:\/\/localhost/);
    expect(reasons["/en/articles/804-broken"]).toBe("HTTP 500");
    expect(reasons[OVERSIZED_PATH]).toMatch(/larger than 1 MB/);
    expect(center.requests.some((r) => r.path.startsWith("/en/internal/"))).toBe(false);
    expect(center.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("a site without a sitemap is crawled through its links from the root, within the root's path", async () => {
    const { center, open } = await setup({ sitemap: false });
    const kb = open();
    kb.start();
    await kb.settled();
    const status = kb.status().helpCenter;
    expect(status?.last?.discovery).toBe("links");
    // The English home page links to the English categories and articles; the other languages are not linked from it.
    expect(status?.indexed).toBe(ARTICLES.filter((a) => a.lang === "en").length);
    expect(center.requests.some((r) => r.path.startsWith("/en/internal/") || r.path.includes("localhost"))).toBe(false);
    expect(center.maxInFlight).toBeLessThanOrEqual(2);
  });
});
