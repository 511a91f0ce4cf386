/**
 * The shared-state pieces against a real redis-server (test/helpers/redis.ts): the Redis window's
 * arithmetic with short windows, the reply guard's check-and-set and release, the name cache's TTL,
 * key names, and what each does when Redis stops.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../../src/config.js";
import { WaitPastDeadline } from "../../src/helpcrunch/rate-limiter.js";
import { createLogger } from "../../src/log.js";
import { RedisCache } from "../../src/shared-state/cache.js";
import { keyPrefix, openStore } from "../../src/shared-state/index.js";
import { RedisWindow } from "../../src/shared-state/rate-window.js";
import { SharedReplyGuard, UNCHECKED_REPLY } from "../../src/shared-state/shared-reply-guard.js";
import type { SharedStore } from "../../src/shared-state/store.js";
import { ToolError } from "../../src/tool-error.js";
import { maxInWindow, type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";

let redis: RedisServer;
const stores: SharedStore[] = [];
let keyCounter = 0;

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
});
afterAll(async () => {
  for (const store of stores) store.redis.disconnect();
  await redis?.close();
});

/** A store for a fresh API key (so tests never share keys), and the lines it logged. */
async function store(apiKey = `test-key-${process.pid}-${++keyCounter}`): Promise<{ store: SharedStore; logs: string[] }> {
  const logs: string[] = [];
  const opened = await openStore(
    redis.url,
    apiKey,
    createLogger("debug", [], (line) => logs.push(line)),
  );
  stores.push(opened);
  return { store: opened, logs };
}

describe("config", () => {
  it("HELPCRUNCH_REDIS_URL takes redis:// or rediss:// URLs and refuses anything else, naming the variable only", () => {
    const parse = (url: string) => parseConfig([], { HELPCRUNCH_API_KEY: "k", HELPCRUNCH_REDIS_URL: url });
    expect(parse("redis://localhost:6379")).toMatchObject({ config: { redisUrl: "redis://localhost:6379" } });
    expect(parse("rediss://user:secret@redis.example.com:6380/2")).toMatchObject({
      config: { redisUrl: expect.stringMatching(/^rediss:/) },
    });
    expect(parseConfig([], { HELPCRUNCH_API_KEY: "k" })).toMatchObject({ config: { redisUrl: undefined } });
    for (const bad of ["http://cache.internal:6379", "cache.internal:6379", "redis-secret-value"]) {
      expect(() => parse(bad)).toThrow(ConfigError);
      expect(() => parse(bad)).toThrow(/^HELPCRUNCH_REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      try {
        parse(bad);
      } catch (error) {
        expect((error as Error).message).not.toContain(bad);
      }
    }
  });
});

describe.skipIf(redisMissing)("key names", () => {
  it("carry the prefix and a truncated sha256 of the API key, never the key", async () => {
    const apiKey = "very-secret-api-key-value";
    expect(keyPrefix(apiKey)).toMatch(/^helpcrunch-mcp:[0-9a-f]{16}:$/);
    expect(keyPrefix(apiKey)).toBe(keyPrefix(apiKey));
    expect(keyPrefix(`${apiKey}2`)).not.toBe(keyPrefix(apiKey));
    const { store: s } = await store(apiKey);
    const window = new RedisWindow(s, { perWindow: 5, windowMs: 1_000, leaseMs: 1_000 });
    (await window.take(undefined, {}))();
    const guard = new SharedReplyGuard(s);
    await guard.reserve(1, "customer", "Hello there");
    await new RedisCache(s).set("agents", { items: [{ id: 1 }], at: Date.now() }, 10_000);
    const keys = await s.redis.keys("*");
    const ours = keys.filter((k) => k.startsWith(keyPrefix(apiKey)));
    expect(ours.map((k) => k.slice(keyPrefix(apiKey).length)).sort()).toEqual([
      "directory:v1:agents",
      "rate",
      expect.stringMatching(/^reply:[0-9a-f]{32}$/),
    ]);
    expect(keys.join("\n")).not.toContain(apiKey);
    expect(keys.join("\n")).not.toContain("Hello");
  });
});

describe.skipIf(redisMissing)("RedisWindow", () => {
  it("two processes' windows on one key start at most N requests in any window together", async () => {
    const a = await store("shared-window-key");
    const b = await store("shared-window-key");
    const options = { perWindow: 5, windowMs: 400, leaseMs: 2_000 };
    const windows = [new RedisWindow(a.store, options), new RedisWindow(b.store, options)];
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const done = await (windows[i % 2] as RedisWindow).take(undefined, {});
        starts.push(Date.now());
        await new Promise((r) => setTimeout(r, 10));
        done();
      }),
    );
    expect(starts).toHaveLength(16);
    expect(maxInWindow(starts, 400)).toBeLessThanOrEqual(5);
    // 16 requests at 5 per window: the last ones start at least three windows after the first.
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(3 * 400);
  });

  it("a place taken by a process that never ends its request frees after lease + window, not never", async () => {
    const { store: s } = await store();
    const window = new RedisWindow(s, { perWindow: 1, windowMs: 200, leaseMs: 300 });
    await window.take(undefined, {}); // never released: the process "died"
    const other = new RedisWindow(s, { perWindow: 1, windowMs: 200, leaseMs: 300 });
    const started = Date.now();
    (await other.take(undefined, {}))();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(450);
    expect(waited).toBeLessThan(3_000);
  });

  it("says WaitPastDeadline at once when the wait would outlive the call's deadline, and gives back nothing", async () => {
    const { store: s } = await store();
    const window = new RedisWindow(s, { perWindow: 1, windowMs: 10_000, leaseMs: 1_000 });
    (await window.take(undefined, {}))();
    const waits: number[] = [];
    const started = Date.now();
    await expect(window.take(undefined, { deadline: Date.now() + 1_000, onWait: (ms) => waits.push(ms) })).rejects.toBeInstanceOf(
      WaitPastDeadline,
    );
    expect(Date.now() - started).toBeLessThan(500);
    expect(waits).toEqual([]);
    expect(await s.redis.zcard(`${s.prefix}rate`)).toBe(1);
  });

  it("an aborted wait rejects with the signal's reason", async () => {
    const { store: s } = await store();
    const window = new RedisWindow(s, { perWindow: 1, windowMs: 10_000, leaseMs: 1_000 });
    (await window.take(undefined, {}))();
    const controller = new AbortController();
    const waiting = window.take(controller.signal, {});
    setTimeout(() => controller.abort(new Error("cancelled")), 50);
    await expect(waiting).rejects.toThrow("cancelled");
  });
});

describe.skipIf(redisMissing)("SharedReplyGuard", () => {
  it("refuses the same reply from another process, keeps private notes apart, and force reserves over it", async () => {
    const a = new SharedReplyGuard((await store("guard-key")).store);
    const b = new SharedReplyGuard((await store("guard-key")).store);
    const first = await a.reserve(7, "customer", "Your refund is on its way");
    expect(first.ok).toBe(true);
    const twin = await b.reserve(7, "customer", "  your REFUND is on its   way ");
    expect(twin).toMatchObject({ ok: false, previous: expect.any(Number) });
    expect(Date.now() - (twin as { previous: number }).previous).toBeLessThan(5_000);
    expect(await b.previous(7, "customer", "Your refund is on its way")).toEqual(expect.any(Number));
    expect(await b.previous(7, "private", "Your refund is on its way")).toBeUndefined();
    expect(await b.previous(8, "customer", "Your refund is on its way")).toBeUndefined();
    expect((await b.reserve(7, "customer", "Your refund is on its way", true)).ok).toBe(true);
  });

  it("release deletes only the caller's own reservation; a released one may be sent again", async () => {
    const a = new SharedReplyGuard((await store("release-key")).store);
    const b = new SharedReplyGuard((await store("release-key")).store);
    const mine = await a.reserve(9, "customer", "Hello");
    const forced = await b.reserve(9, "customer", "Hello", true); // b's reservation replaces a's
    if (!mine.ok || !forced.ok) throw new Error("expected both reserved");
    await mine.release(); // a's send failed: must not free b's reservation
    expect(await a.previous(9, "customer", "Hello")).toEqual(expect.any(Number));
    await forced.release();
    expect(await a.previous(9, "customer", "Hello")).toBeUndefined();
    expect((await a.reserve(9, "customer", "Hello")).ok).toBe(true);
  });

  it("a reservation expires with the window", async () => {
    const guard = new SharedReplyGuard((await store()).store, Date.now, 200);
    expect((await guard.reserve(1, "customer", "x")).ok).toBe(true);
    expect((await guard.reserve(1, "customer", "x")).ok).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect((await guard.reserve(1, "customer", "x")).ok).toBe(true);
  });
});

describe.skipIf(redisMissing)("RedisCache", () => {
  it("one process reads what another stored, until the TTL ends; garbage reads as a miss", async () => {
    const a = new RedisCache((await store("cache-key")).store);
    const b = new RedisCache((await store("cache-key")).store);
    const value = { items: [{ id: 1, name: "Priya" }], at: Date.now() };
    await a.set("agents", value, 300);
    expect(await b.get("agents")).toEqual(value);
    expect(await b.get("departments")).toBeUndefined();
    await new Promise((r) => setTimeout(r, 400));
    expect(await b.get("agents")).toBeUndefined();
    const { store: s } = await store("cache-key");
    await s.redis.set(`${s.prefix}directory:v1:agents`, "not json");
    expect(await b.get("agents")).toBeUndefined();
  });
});

describe.skipIf(redisMissing)("Redis stopped, then back", () => {
  it("falls back (window and cache open, customer replies closed) with ONE warning, and shares again once Redis is back", async () => {
    const { store: s, logs } = await store();
    const window = new RedisWindow(s, { perWindow: 100, windowMs: 1_000, leaseMs: 1_000 });
    const guard = new SharedReplyGuard(s);
    const cache = new RedisCache(s);
    (await window.take(undefined, {}))();
    expect(await s.redis.zcard(`${s.prefix}rate`)).toBe(1);
    await redis.stop();
    try {
      const started = Date.now();
      for (let i = 0; i < 5; i++) (await window.take(undefined, {}))();
      expect(await cache.get("agents")).toBeUndefined();
      await cache.set("agents", { items: [], at: Date.now() }, 1_000);
      await expect(guard.reserve(3, "customer", "Hi")).rejects.toThrow(new ToolError(UNCHECKED_REPLY));
      await expect(guard.previous(3, "customer", "Hi")).rejects.toThrow(UNCHECKED_REPLY);
      // Private notes fall back to this process's guard, which still refuses a repeat.
      expect((await guard.reserve(3, "private", "Note")).ok).toBe(true);
      expect((await guard.reserve(3, "private", "Note")).ok).toBe(false);
      expect(Date.now() - started).toBeLessThan(1_000); // nothing waited for a Redis timeout
      expect(logs.filter((l) => l.includes("warn:"))).toHaveLength(1);
      expect(logs.join("")).toContain("Redis (HELPCRUNCH_REDIS_URL) is unavailable");
    } finally {
      await redis.restart();
    }
    for (let i = 0; i < 100 && s.redis.status !== "ready"; i++) await new Promise((r) => setTimeout(r, 100));
    expect(s.redis.status).toBe("ready");
    expect((await guard.reserve(3, "customer", "Hi")).ok).toBe(true);
    (await window.take(undefined, {}))();
    expect(await s.redis.zcard(`${s.prefix}rate`)).toBe(1); // a fresh server: only the request made since
    expect(logs.filter((l) => l.includes("warn:"))).toHaveLength(1);
    expect(logs.join("")).toContain("answers again");
  }, 30_000);
});
