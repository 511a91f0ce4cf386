/**
 * Where crawled pages are kept between runs, so a restart rebuilds the index without fetching again:
 * on disk (one JSON file per page, written whole then renamed, under HELPCRUNCH_KNOWLEDGE_CACHE), or in
 * Redis with HELPCRUNCH_REDIS_URL (src/shared-state/knowledge-store.ts), where every replica reads the
 * one crawl and a lock lets only one of them crawl at a time.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface StoredPage {
  url: string;
  title: string;
  text: string;
  lang: string;
  /** Crawled for links only (a list of articles), not indexed. */
  hub: boolean;
  etag?: string;
  lastModified?: string;
  /** Epoch ms of the last answer (200 or 304). */
  checkedAt: number;
}

export interface CrawlFailure {
  url: string;
  reason: string;
}

/** The outcome of the last finished crawl. */
export interface CrawlRecord {
  startedAt: number;
  finishedAt: number;
  /** Article URLs discovered (sitemaps, or links), within the limits. */
  found: number;
  /** Pages that could not be read, with why (at most MAX_FAILURES_KEPT). */
  failed: CrawlFailure[];
  failedCount: number;
  /** How articles were found: "sitemap" or "links". */
  discovery: "sitemap" | "links" | "none";
}

export const MAX_FAILURES_KEPT = 50;

export interface PageStore {
  /** Where the pages are kept, for doctor and logs. */
  readonly where: string;
  loadPages(): Promise<StoredPage[]>;
  loadRecord(): Promise<CrawlRecord | undefined>;
  putPage(page: StoredPage): Promise<void>;
  removePage(url: string): Promise<void>;
  saveRecord(record: CrawlRecord): Promise<void>;
  /** Becomes the one crawler for `ttlMs` (Redis: SET NX); false while another process holds it. */
  claimCrawl(ttlMs: number): Promise<boolean>;
  releaseCrawl(): Promise<void>;
}

/** A short stable name for a URL (file names, Redis keys). */
export function urlKey(url: string): string {
  return createHash("sha256").update(url).digest("hex").slice(0, 24);
}

function isStoredPage(value: unknown): value is StoredPage {
  const v = value as Partial<StoredPage> | null;
  return typeof v === "object" && v !== null && typeof v.url === "string" && typeof v.title === "string" && typeof v.text === "string";
}

export function parseStoredPage(raw: string): StoredPage | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return isStoredPage(value)
      ? { ...value, lang: value.lang ?? "", hub: value.hub === true, checkedAt: Number(value.checkedAt) || 0 }
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseCrawlRecord(raw: string | null | undefined): CrawlRecord | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<CrawlRecord>;
    return typeof value.finishedAt === "number" && Array.isArray(value.failed) ? (value as CrawlRecord) : undefined;
  } catch {
    return undefined;
  }
}

/** One folder per help center: `<cache>/<hash of its URL>/pages/<hash of the page URL>.json` and `crawl.json`. */
export class DiskPageStore implements PageStore {
  readonly where: string;
  private readonly pages: string;

  constructor(cacheDir: string, knowledgeUrl: string) {
    this.where = join(cacheDir, urlKey(knowledgeUrl));
    this.pages = join(this.where, "pages");
  }

  async loadPages(): Promise<StoredPage[]> {
    const names = await readdir(this.pages).catch(() => [] as string[]);
    const pages: StoredPage[] = [];
    for (const name of names.filter((n) => n.endsWith(".json"))) {
      const page = parseStoredPage(await readFile(join(this.pages, name), "utf8").catch(() => ""));
      if (page) pages.push(page);
    }
    return pages;
  }

  async loadRecord(): Promise<CrawlRecord | undefined> {
    return parseCrawlRecord(await readFile(join(this.where, "crawl.json"), "utf8").catch(() => undefined));
  }

  async putPage(page: StoredPage): Promise<void> {
    await this.write(join(this.pages, `${urlKey(page.url)}.json`), JSON.stringify(page));
  }

  async removePage(url: string): Promise<void> {
    await rm(join(this.pages, `${urlKey(url)}.json`), { force: true });
  }

  async saveRecord(record: CrawlRecord): Promise<void> {
    await this.write(join(this.where, "crawl.json"), JSON.stringify(record));
  }

  /** One process per cache folder is the usual case (stdio); two stdio servers on one machine both crawl, harmlessly. */
  async claimCrawl(): Promise<boolean> {
    return true;
  }

  async releaseCrawl(): Promise<void> {}

  /** Whole file or none: written beside, then renamed over. */
  private async write(path: string, contents: string): Promise<void> {
    await mkdir(this.pages, { recursive: true });
    const temporary = `${path}.${process.pid}.tmp`;
    await writeFile(temporary, contents);
    await rename(temporary, path);
  }
}
