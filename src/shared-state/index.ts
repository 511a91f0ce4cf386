/**
 * Shared state on Redis (HELPCRUNCH_REDIS_URL): the rate-limit window, the duplicate-reply guard and
 * the name cache, shared by every process using the same HelpCrunch API key. Loaded only when the
 * URL is set (server.ts imports this module and ioredis lazily), so stdio users without Redis pay
 * nothing for it.
 *
 * Keys: `helpcrunch-mcp:<first 16 hex of sha256(API key)>:` + `rate` (sorted set), `reply:<hash>`
 * (string), `directory:v1:<list>` (string), `draft:<hash of a card's token>` (string), `live:*` (the live
 * queue, redis-mirror.ts), `knowledge:v1:*` (the help center's pages, knowledge-store.ts). Never the key itself.
 */
import { createHash } from "node:crypto";
import type { RateWindow } from "../helpcrunch/rate-limiter.js";
import type { Logger } from "../log.js";
import type { ApprovalDrafts } from "../services/approval-drafts.js";
import type { SharedCache } from "../services/directory.js";
import type { PageStore } from "../services/knowledge/page-store.js";
import type { MirrorStore } from "../services/live-queue.js";
import type { ReplyGuard } from "../services/reply-guard.js";
import { RedisCache } from "./cache.js";
import { RedisPageStore } from "./knowledge-store.js";
import { RedisWindow } from "./rate-window.js";
import { RedisMirror } from "./redis-mirror.js";
import { SharedApprovalDrafts } from "./shared-approval-drafts.js";
import { SharedReplyGuard } from "./shared-reply-guard.js";
import { COMMAND_TIMEOUT_MS, SharedStore } from "./store.js";

export const KEY_PREFIX = "helpcrunch-mcp:";
/** How long start-up waits for the first connection before going on without it. */
const CONNECT_TIMEOUT_MS = 2_000;

export interface SharedState {
  rateWindow: RateWindow;
  replyGuard: ReplyGuard;
  directoryCache: SharedCache;
  drafts: ApprovalDrafts;
  /** The live queue's mirror, shared by every replica. */
  mirror: MirrorStore;
  /** The help center's crawled pages, one crawl for every replica (knowledge-store.ts). */
  knowledgeStore(knowledgeUrl: string): PageStore;
  close(): Promise<void>;
}

export interface SharedStateOptions {
  redisUrl: string;
  apiKey: string;
  rateLimitPerMinute: number;
  rateLimitWindowMs: number;
  /** The client's per-request timeout: a request in flight holds its place at least this long. */
  requestTimeoutMs: number;
  log: Logger;
}

/** The prefix of every key for this API key: a truncated hash, never the key. */
export function keyPrefix(apiKey: string): string {
  return `${KEY_PREFIX}${createHash("sha256").update(apiKey).digest("hex").slice(0, 16)}:`;
}

/**
 * Connects to Redis, waiting at most CONNECT_TIMEOUT_MS. An unreachable Redis is not fatal: it is
 * warned about once and the connection keeps retrying in the background.
 */
export async function openStore(redisUrl: string, apiKey: string, log: Logger): Promise<SharedStore> {
  const { Redis } = await import("ioredis");
  const redis = new Redis(redisUrl, {
    lazyConnect: true,
    connectTimeout: CONNECT_TIMEOUT_MS,
    commandTimeout: COMMAND_TIMEOUT_MS,
    // No queue of commands waiting for a connection, none resent after a reconnect: a command fails at once instead.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (attempt) => Math.min(attempt * 250, 5_000),
    connectionName: "helpcrunch-mcp",
  });
  const store = new SharedStore(redis, keyPrefix(apiKey), log);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    redis.connect().catch(() => {}), // the "error" event has warned
    new Promise((resolve) => (timer = setTimeout(resolve, CONNECT_TIMEOUT_MS))),
  ]);
  clearTimeout(timer);
  if (redis.status !== "ready") store.failed(new Error(`no connection within ${CONNECT_TIMEOUT_MS} ms`), false);
  else
    log.info(
      "Redis (HELPCRUNCH_REDIS_URL) connected: the rate limit, the reply guard and the name cache are shared by every process using this API key",
    );
  return store;
}

/** The shared services over one connection; see the module comment for what falls back how. */
export async function connectSharedState(options: SharedStateOptions): Promise<SharedState> {
  const store = await openStore(options.redisUrl, options.apiKey, options.log);
  const mirror = new RedisMirror(store);
  return {
    rateWindow: new RedisWindow(store, {
      perWindow: options.rateLimitPerMinute,
      windowMs: options.rateLimitWindowMs,
      leaseMs: options.requestTimeoutMs + 10_000,
    }),
    replyGuard: new SharedReplyGuard(store),
    directoryCache: new RedisCache(store),
    drafts: new SharedApprovalDrafts(store),
    mirror,
    knowledgeStore: (knowledgeUrl) => new RedisPageStore(store, knowledgeUrl),
    close: async () => {
      await mirror.close();
      store.redis.disconnect();
    },
  };
}
