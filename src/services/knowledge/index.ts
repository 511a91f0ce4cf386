/**
 * The team's knowledge: its public help center (HELPCRUNCH_KNOWLEDGE_URL) and its saved replies
 * (HELPCRUNCH_SAVED_REPLIES), in one index that search_knowledge asks. The service owns its state: it
 * loads the pages a previous run kept (disk, or Redis shared by replicas), indexes them at once, and
 * crawls in the background when the copy is older than the refresh interval (24 h), revalidating
 * with ETag / Last-Modified. A search before the first crawl ends answers from what is indexed and
 * says how far the crawl is.
 */
import type { KnowledgeConfig } from "../../config.js";
import type { Logger } from "../../log.js";
import { type CrawlLimits, type CrawlProgress, crawlHelpCenter, DEFAULT_LIMITS } from "./crawler.js";
import { EXCERPT_CHARS, excerptAround } from "./excerpt.js";
import { type CrawlRecord, DiskPageStore, type PageStore, type StoredPage } from "./page-store.js";
import { SavedReplySource } from "./saved-replies.js";
import { type KnowledgeDoc, KnowledgeIndex } from "./search-index.js";

export type { CrawlRecord, PageStore, StoredPage } from "./page-store.js";
export { DiskPageStore, parseCrawlRecord, parseStoredPage, urlKey } from "./page-store.js";

export const REFRESH_MS = 24 * 60 * 60_000;
/** After a crawl that found no page at all, the next try. */
const EMPTY_RETRY_MS = 10 * 60_000;
/** Another replica's crawl is looked at this often while it runs (Redis). */
const WAIT_POLL_MS = 2_000;
/** A crawl lock outlives a crashed crawler by at most this long. */
const CRAWL_LOCK_MS = 15 * 60_000;

export interface KnowledgeOptions {
  /** The help center's root URL. */
  url?: string;
  /** Where its pages are kept (required with `url`). */
  store?: PageStore;
  /** The saved replies' Markdown file or folder. */
  savedReplies?: string;
  log: Logger;
  now?: () => number;
  limits?: Partial<CrawlLimits>;
  refreshMs?: number;
}

export interface KnowledgeMatch {
  source: KnowledgeDoc["source"];
  title: string;
  /** help_center: the article's URL; saved_reply: the reply's name. */
  ref: string;
  excerpt: string;
}

export interface HelpCenterStatus {
  url: string;
  /** crawling: the first crawl (or a refresh) runs; waiting: another replica crawls; ready: done. */
  state: "loading" | "crawling" | "waiting" | "ready";
  indexed: number;
  progress: CrawlProgress;
  /** The last finished crawl, if any (this process's or, with Redis, another replica's). */
  last?: CrawlRecord;
  store: string;
}

export interface KnowledgeStatus {
  helpCenter?: HelpCenterStatus;
  savedReplies?: { path: string; count: number; problem?: string };
}

export class KnowledgeBase {
  private readonly index = new KnowledgeIndex();
  private readonly pages = new Map<string, StoredPage>();
  private readonly replies?: SavedReplySource;
  private readonly now: () => number;
  private readonly limits: CrawlLimits;
  private readonly refreshMs: number;
  private readonly stopper = new AbortController();
  private state: HelpCenterStatus["state"] = "loading";
  private progress: CrawlProgress = { discovered: 0, fetched: 0, failed: 0 };
  private last?: CrawlRecord;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private syncing?: Promise<void>;

  constructor(private readonly options: KnowledgeOptions) {
    this.now = options.now ?? Date.now;
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.refreshMs = options.refreshMs ?? REFRESH_MS;
    if (options.savedReplies) this.replies = new SavedReplySource(options.savedReplies, this.now);
    if (options.url && !options.store) throw new Error("a help center needs a page store");
  }

  /** Loads what is kept and crawls in the background when it is stale. */
  start(): void {
    if (this.options.url) this.running ??= this.cycle();
    if (this.replies) void this.syncReplies();
  }

  /** Resolves when the load or crawl under way ends (tests, doctor, bench). */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Revalidates every page now (conditional requests), whatever the age of the copy. */
  async refresh(): Promise<void> {
    await this.settled();
    this.running = this.crawl().finally(() => (this.running = undefined));
    await this.running;
  }

  stop(): void {
    this.stopper.abort();
    clearTimeout(this.timer);
  }

  async search(query: string, limit: number): Promise<KnowledgeMatch[]> {
    await this.syncReplies();
    return this.index.find(query, limit).map(({ doc, terms }) => ({
      source: doc.source,
      title: doc.title,
      ref: doc.ref,
      excerpt: excerptAround(doc.text, terms).slice(0, EXCERPT_CHARS + 2),
    }));
  }

  /** Saved replies read again when a file changed; concurrent searches share one read. */
  syncReplies(): Promise<void> {
    const replies = this.replies;
    if (!replies) return Promise.resolve();
    this.syncing ??= replies
      .refresh()
      .then((changed) => {
        if (changed) this.indexReplies();
      })
      .finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  status(): KnowledgeStatus {
    const url = this.options.url;
    return {
      ...(url
        ? {
            helpCenter: {
              url,
              state: this.state,
              indexed: this.index.ids("help_center").length,
              progress: { ...this.progress },
              ...(this.last ? { last: this.last } : {}),
              store: this.options.store?.where ?? "",
            },
          }
        : {}),
      ...(this.replies
        ? {
            savedReplies: {
              path: this.replies.path,
              count: this.replies.current.length,
              ...(this.replies.problem ? { problem: this.replies.problem } : {}),
            },
          }
        : {}),
    };
  }

  /** Load, then crawl if the copy is stale (or wait for the replica that crawls), then sleep until the next refresh. */
  private async cycle(): Promise<void> {
    const store = this.options.store as PageStore;
    try {
      const record = await store.loadRecord();
      if (record && record.finishedAt !== this.last?.finishedAt) {
        await this.loadPages(store);
        this.last = record;
      }
      const age = record ? this.now() - record.finishedAt : Number.POSITIVE_INFINITY;
      // A crawl that found nothing (the site down, a wrong URL) is tried again soon, not in 24 h.
      const freshFor = record?.discovery === "none" ? Math.min(EMPTY_RETRY_MS, this.refreshMs) : this.refreshMs;
      if (age < freshFor) {
        this.state = "ready";
        return this.schedule(freshFor - age);
      }
      if (!(await store.claimCrawl(CRAWL_LOCK_MS))) {
        // Another replica crawls: answer from what it has stored so far, and look again shortly.
        this.state = "waiting";
        await this.loadPages(store);
        return this.schedule(WAIT_POLL_MS);
      }
      await this.crawl();
      this.schedule(this.last?.discovery === "none" ? Math.min(EMPTY_RETRY_MS, this.refreshMs) : this.refreshMs);
    } catch (error) {
      this.options.log.warn(
        `knowledge: the help center could not be loaded (${error instanceof Error ? error.message : String(error)}); trying again in a minute`,
      );
      this.schedule(60_000);
    } finally {
      this.running = undefined;
    }
  }

  private schedule(ms: number): void {
    if (this.stopper.signal.aborted) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running ??= this.cycle();
    }, ms);
    this.timer.unref();
  }

  private async loadPages(store: PageStore): Promise<void> {
    const loaded = await store.loadPages();
    const urls = new Set(loaded.map((p) => p.url));
    for (const url of [...this.pages.keys()]) if (!urls.has(url)) this.forget(url);
    for (const page of loaded) this.remember(page);
  }

  private async crawl(): Promise<void> {
    const store = this.options.store as PageStore;
    const url = this.options.url as string;
    this.state = "crawling";
    this.progress = { discovered: 0, fetched: 0, failed: 0 };
    const log = this.options.log;
    log.info(`knowledge: reading the help center at ${url} (at most ${this.limits.maxPages} pages, 2 requests at a time)`);
    try {
      const record = await crawlHelpCenter(url, this.limits, {
        known: new Map(this.pages),
        progress: this.progress,
        signal: this.stopper.signal,
        now: this.now,
        page: async (page) => {
          this.remember(page);
          await store.putPage(page).catch((error: unknown) => log.debug(`knowledge: could not keep ${page.url}: ${String(error)}`));
        },
        gone: async (gone) => {
          this.forget(gone);
          await store.removePage(gone).catch(() => {});
        },
      });
      this.last = record;
      await store.saveRecord(record).catch((error: unknown) => log.warn(`knowledge: could not save the crawl record: ${String(error)}`));
      log.info(
        `knowledge: ${this.index.ids("help_center").length} articles indexed from ${record.found} pages found (${record.discovery}); ${record.failedCount} failed${record.failed[0] ? `, e.g. ${record.failed[0].url}: ${record.failed[0].reason}` : ""}`,
      );
    } finally {
      this.state = "ready";
      await store.releaseCrawl().catch(() => {});
    }
  }

  private remember(page: StoredPage): void {
    this.pages.set(page.url, page);
    if (page.hub) this.index.remove(page.url);
    else this.index.put({ id: page.url, source: "help_center", title: page.title, text: page.text, ref: page.url, lang: page.lang });
  }

  private forget(url: string): void {
    this.pages.delete(url);
    this.index.remove(url);
  }

  private indexReplies(): void {
    for (const id of this.index.ids("saved_reply")) this.index.remove(id);
    this.replies?.current.forEach((reply, i) => {
      this.index.put({ id: `saved:${reply.file}#${i}`, source: "saved_reply", title: reply.name, text: reply.text, ref: reply.name });
    });
  }
}

/**
 * The knowledge base for the configured sources, started: pages kept on disk unless `store` (Redis)
 * is given. Loaded by server.ts only when a source is configured (import() keeps the parser and the
 * index out of every other start-up).
 */
export function startKnowledge(
  config: KnowledgeConfig,
  log: Logger,
  store?: PageStore,
  options: Pick<KnowledgeOptions, "now" | "limits" | "refreshMs"> = {},
): KnowledgeBase {
  const knowledge = new KnowledgeBase({
    ...options,
    ...(config.url ? { url: config.url, store: store ?? new DiskPageStore(config.cacheDir, config.url) } : {}),
    ...(config.savedReplies ? { savedReplies: config.savedReplies } : {}),
    log,
  });
  knowledge.start();
  return knowledge;
}
