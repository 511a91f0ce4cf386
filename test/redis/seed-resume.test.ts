/**
 * The progressive seed over real Redis and real processes: a server (dist/server.js --http) seeding
 * the mirror is killed mid-pass; a second process continues the pass where the first left it (not
 * from the start) and ends with the same mirror a fresh seed gives, a chat closed meanwhile included.
 *
 * The servers' rate runs on a short window (16 per 4 s, so the background's 25% is 4 pages per 4 s)
 * to make the pass long enough to interrupt and short enough for a test.
 */
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { liveQueueReport } from "../../src/cli/doctor/mirror-report.js";
import { OPEN_STATUSES } from "../../src/domain/conversation.js";
import { createClient } from "../../src/helpcrunch/index.js";
import { createLogger } from "../../src/log.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { LiveQueue, MemoryMirror, queueChat } from "../../src/services/live-queue.js";
import { openStore } from "../../src/shared-state/index.js";
import { RedisMirror } from "../../src/shared-state/redis-mirror.js";
import type { SharedStore } from "../../src/shared-state/store.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { spawnHttp } from "../helpers/spawn.js";

let redis: RedisServer;
let api: SandboxHandle;
let store: SharedStore;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
  api = await startSandbox({ apiKey: `seed-resume-${process.pid}`, chatCount: 2_000 });
  store = await openStore(redis.url, api.apiKey, createLogger("silent"));
});
afterAll(async () => {
  for (const child of children) child.kill("SIGKILL");
  store?.redis.disconnect();
  await api?.stop();
  await redis?.close();
});

async function startServer(): Promise<ChildProcess> {
  const { child } = await spawnHttp(
    {
      HELPCRUNCH_API_KEY: api.apiKey,
      HELPCRUNCH_BASE_URL: api.url,
      HELPCRUNCH_REDIS_URL: redis.url,
      HELPCRUNCH_STATUS_FILTER: "name",
      HELPCRUNCH_POLL_SECONDS: "10",
      HELPCRUNCH_RATE_LIMIT_PER_MINUTE: "16",
      HELPCRUNCH_RATE_LIMIT_WINDOW_SECONDS: "4",
    },
    [],
  );
  children.push(child);
  return child;
}

async function until<T>(read: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const seedPages = () => api.requests.filter((r) => r.path === "/chats/search" && JSON.stringify(r.body).includes("chats.createdAt")).length;
const byId = <T extends { id: number }>(chats: T[]) => [...chats].sort((a, b) => a.id - b.id);

describe.skipIf(redisMissing)("the progressive seed across processes", () => {
  it("killed mid-pass, it is continued by another process and ends with the same mirror as a fresh seed", async () => {
    const mirror = new RedisMirror(store);
    const first = await startServer();
    const stoppedAt = await until(
      async () => {
        const progress = await mirror.progress();
        return progress && progress.pages >= 3 ? progress : undefined;
      },
      30_000,
      "three seed pages",
    );
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    expect(await mirror.seededAt()).toBeUndefined();
    const pagesBefore = seedPages();
    // doctor tells where the pass stands.
    const settings = { redisUrl: redis.url, apiKey: api.apiKey, seedShare: 0.25, rateLimitPerMinute: 120 };
    expect((await liveQueueReport(settings)).summary).toMatch(
      /^shared in Redis, never seeded; a pass is running: [\d,]+ of (at least )?[\d,]+ open chats read in \d+ pages/,
    );

    // A chat the first process read closes while no process runs: the pass must not keep it.
    const read = (await mirror.state()).chats[0];
    if (!read) throw new Error("the first process read no chat");
    const closed = api.state.chats.get(read.id);
    if (!closed) throw new Error("the chat read is not in the sandbox");
    Object.assign(closed, { status: "closed", closedAt: Date.now(), closedBy: "agent", updatedAt: Date.now() });

    await startServer();
    await until(async () => (await mirror.seededAt()) ?? undefined, 60_000, "the seed to end");
    const resumed = byId((await mirror.state()).chats);
    const pagesResumed = seedPages() - pagesBefore;

    // A fresh seed of the same account, in memory, from the start.
    const log = createLogger("silent");
    const client = createClient({ baseUrl: api.url, apiKey: api.apiKey, statusFilter: "name", rateLimitPerMinute: 10_000 });
    const fresh = new LiveQueue({
      store: new MemoryMirror(),
      client,
      log,
      now: Date.now,
      source: "webhooks",
      background: { perWindow: 1_000, windowMs: 1_000 },
    });
    const freshBefore = seedPages();
    await until(async () => ((await fresh.snapshot()).seededAt !== undefined ? true : undefined), 30_000, "the fresh seed");
    const freshPages = seedPages() - freshBefore;
    fresh.stop();
    await client.close();

    expect(resumed).toEqual(byId((await fresh.snapshot()).chats));
    expect(resumed.some((chat) => chat.id === read.id)).toBe(false);
    const open = [...api.state.chats.values()].filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status)).length;
    expect(resumed).toHaveLength(open);
    expect(resumed.map((chat) => queueChat(chat))).toEqual(resumed);
    // Continued, not started over: the second process read about what was left, not a whole pass again.
    expect(stoppedAt.pages).toBeGreaterThanOrEqual(3);
    expect(pagesResumed).toBeLessThanOrEqual(freshPages - stoppedAt.pages + 1);
    expect((await liveQueueReport(settings)).summary).toContain(`with ${open.toLocaleString("en-US")} open chats; seeding reads 100 chats`);
  }, 120_000);
});
