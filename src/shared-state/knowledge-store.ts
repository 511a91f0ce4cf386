/**
 * The help center's crawled pages in Redis (HELPCRUNCH_REDIS_URL), so every replica serves one crawl
 * and a restart rebuilds its index without fetching. Keys, under the API key's prefix and a hash of
 * the help center's URL: `knowledge:v1:<url hash>:pages` (a hash, page URL → JSON), `…:crawl` (the
 * last crawl's record) and `…:lock` (the replica crawling now, SET NX with an expiry, deleted only by
 * its holder). Read in HSCAN batches, so no command moves the whole site at once.
 *
 * Fail open: with Redis unreachable, nothing is loaded, writes are dropped and the lock is granted,
 * so this process crawls into its own memory as it would without Redis.
 */
import { randomBytes } from "node:crypto";
import {
  type CrawlRecord,
  type PageStore,
  parseCrawlRecord,
  parseStoredPage,
  type StoredPage,
  urlKey,
} from "../services/knowledge/page-store.js";
import type { SharedStore } from "./store.js";

/** Bumped when the stored shape changes, so processes of two versions never read each other's pages. */
const VERSION = "v1";
const SCAN_BATCH = 100;

/** KEYS[1] the lock; ARGV[1] the holder's token. */
const RELEASE_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export class RedisPageStore implements PageStore {
  readonly where: string;
  private readonly key: string;
  private readonly token = randomBytes(12).toString("hex");

  constructor(
    private readonly store: SharedStore,
    knowledgeUrl: string,
  ) {
    this.key = `${store.prefix}knowledge:${VERSION}:${urlKey(knowledgeUrl)}`;
    this.where = `Redis (${this.key}:*)`;
  }

  async loadPages(): Promise<StoredPage[]> {
    const pages: StoredPage[] = [];
    try {
      let cursor = "0";
      do {
        const [next, fields] = await this.store.run((redis) => redis.hscan(`${this.key}:pages`, cursor, "COUNT", SCAN_BATCH));
        cursor = next;
        for (let i = 1; i < fields.length; i += 2) {
          const page = parseStoredPage(fields[i] as string);
          if (page) pages.push(page);
        }
      } while (cursor !== "0");
    } catch {
      // Redis unavailable: what was read so far, and this process crawls on its own.
    }
    return pages;
  }

  async loadRecord(): Promise<CrawlRecord | undefined> {
    try {
      return parseCrawlRecord(await this.store.run((redis) => redis.get(`${this.key}:crawl`)));
    } catch {
      return undefined;
    }
  }

  async putPage(page: StoredPage): Promise<void> {
    await this.quietly((redis) => redis.hset(`${this.key}:pages`, page.url, JSON.stringify(page)));
  }

  async removePage(url: string): Promise<void> {
    await this.quietly((redis) => redis.hdel(`${this.key}:pages`, url));
  }

  async saveRecord(record: CrawlRecord): Promise<void> {
    await this.quietly((redis) => redis.set(`${this.key}:crawl`, JSON.stringify(record)));
  }

  async claimCrawl(ttlMs: number): Promise<boolean> {
    try {
      return (await this.store.run((redis) => redis.set(`${this.key}:lock`, this.token, "PX", ttlMs, "NX"))) === "OK";
    } catch {
      return true;
    }
  }

  async releaseCrawl(): Promise<void> {
    await this.quietly((redis) => redis.eval(RELEASE_SCRIPT, 1, `${this.key}:lock`, this.token));
  }

  private async quietly(command: Parameters<SharedStore["run"]>[0]): Promise<void> {
    try {
      await this.store.run(command);
    } catch {
      // Fail open: this process keeps its own copy.
    }
  }
}
