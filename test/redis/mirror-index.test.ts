/**
 * A live answer over a large Redis mirror reads the top of its index, not the mirror: over 20,000
 * open chats, triage's answer (top 20 and every count) equals ranking and counting all of them,
 * while Redis sends under a tenth of what reading every record costs (HVALS, about 7 MB here): the
 * chats awaiting a reply the proof needs, the kept tally, and the snoozes still running.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countQueue, rankQueue } from "../../src/domain/triage.js";
import type { HelpCrunchApi } from "../../src/helpcrunch/index.js";
import { createLogger } from "../../src/log.js";
import { Directory } from "../../src/services/directory.js";
import { LiveQueue, queueChat } from "../../src/services/live-queue.js";
import { openStore } from "../../src/shared-state/index.js";
import { RedisMirror } from "../../src/shared-state/redis-mirror.js";
import type { SharedStore } from "../../src/shared-state/store.js";
import { NOW, spreadQueue } from "../helpers/chats.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";

let redis: RedisServer;
let store: SharedStore;
let watcher: Redis;

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
  store = await openStore(redis.url, `index-${process.pid}`, createLogger("silent"));
  watcher = new Redis(redis.url);
});
afterAll(async () => {
  store?.redis.disconnect();
  watcher?.disconnect();
  await redis?.close();
});

/** Bytes Redis has sent its clients so far, and how often HVALS ran. */
async function sent(): Promise<{ bytes: number; hvals: number }> {
  const stats = await watcher.info("stats");
  const commands = await watcher.info("commandstats");
  return {
    bytes: Number(/total_net_output_bytes:(\d+)/.exec(stats)?.[1]),
    hvals: Number(/cmdstat_hvals:calls=(\d+)/.exec(commands)?.[1] ?? 0),
  };
}

/** No HelpCrunch request may be made: a fresh mirror answers alone. */
const noApi = new Proxy({} as HelpCrunchApi, {
  get: (_target, name) => () => Promise.reject(new Error(`unexpected HelpCrunch request (${String(name)})`)),
});

describe.skipIf(redisMissing)("a live answer over 20,000 chats in Redis", () => {
  it("reads the top of the index and the kept counts, and equals ranking every chat", async () => {
    const mirror = new RedisMirror(store);
    const chats = spreadQueue(20_000, 7);
    for (let i = 0; i < chats.length; i += 1_000)
      await Promise.all(chats.slice(i, i + 1_000).map((chat) => mirror.apply(chat.id, chat, NOW - 60_000, "seed")));
    await mirror.markSeeded(NOW - 60_000);
    const liveQueue = () => {
      const queue = new LiveQueue({ store: mirror, client: noApi, log: createLogger("silent"), now: () => NOW, source: "webhooks" });
      queue.stop();
      return queue;
    };
    const top20 = () => ({ view: { includeSnoozed: false }, limit: 20, directory: new Directory(noApi, () => NOW), call: {} });
    const live = liveQueue();

    const before = await sent();
    const answer = await live.answer(top20());
    const after = await sent();

    const kept = chats.map(queueChat);
    const trueTop = rankQueue(kept, NOW, false).slice(0, 20);
    expect(
      rankQueue(answer.chats, NOW, false)
        .slice(0, 20)
        .map((r) => r.chat.id),
    ).toEqual(trueTop.map((r) => r.chat.id));
    expect(answer.counts).toEqual(countQueue(kept, NOW));
    expect(answer.source).toMatch(/^Live queue \(webhooks, 0 requests/);
    expect(after.hvals - before.hvals).toBe(0);
    // What reading every record costs (what every answer did before the index was used).
    await store.redis.hvals(`${store.prefix}live:q`);
    const full = (await sent()).bytes - after.bytes;
    const answered = after.bytes - before.bytes;
    console.error(
      `answer over 20,000 chats in Redis: ${answered} bytes from Redis (a full read: ${full}), ${answer.chats.length} chats read`,
    );
    expect(answered).toBeLessThan(full / 10);

    // Asked again in the same minute, the mirror unchanged: the kept answer, nothing read from Redis but the freshness.
    const again = await sent();
    const repeated = await live.answer(top20());
    expect(repeated.chats).toBe(answer.chats);
    expect((await sent()).bytes - again.bytes).toBeLessThan(answered / 20);

    // A mirror written before the tally was kept (here: the tally lost) is read whole rather than miscounted
    // (by a process that has no answer of its own kept yet).
    await store.redis.del(`${store.prefix}live:n`);
    const hvalsBefore = (await sent()).hvals;
    const whole = await liveQueue().answer(top20());
    expect(whole.counts).toEqual(countQueue(kept, NOW));
    expect((await sent()).hvals - hvalsBefore).toBe(1);
  });
});
