/**
 * Two replicas on one real Redis: a webhook received by replica A updates the mirror replica B
 * answers from (0 HelpCrunch requests), and notifies a client subscribed on B within 2 s; random
 * changes delivered to A duplicated and out of order leave the shared mirror equal to a fresh scan.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../../src/log.js";
import { openStore } from "../../src/shared-state/index.js";
import { RedisMirror } from "../../src/shared-state/redis-mirror.js";
import type { SharedStore } from "../../src/shared-state/store.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig } from "../helpers/live.js";
import { action, mirroredQueue, openQueueNow, performChange } from "../helpers/live-changes.js";
import { type RedisServer, redisMissing, startRedis } from "../helpers/redis.js";
import { parsed } from "../helpers/typed-call.js";

let redis: RedisServer;
const stores: SharedStore[] = [];
const rigs: LiveRig[] = [];

beforeAll(async () => {
  if (redisMissing) return; // skipped loudly by the global setup
  redis = await startRedis();
});
afterAll(async () => {
  for (const rig of rigs.reverse()) await rig.close();
  for (const store of stores) store.redis.disconnect();
  await redis?.close();
});

async function mirror(apiKey: string): Promise<RedisMirror> {
  const store = await openStore(redis.url, apiKey, createLogger("silent"));
  stores.push(store);
  return new RedisMirror(store);
}

describe.skipIf(redisMissing)("live queue across replicas", () => {
  it("an event received by replica A notifies a subscriber on replica B, and B answers from the shared mirror", async () => {
    const apiKey = `live-${process.pid}`;
    const a = await startLiveRig({ sandbox: { apiKey, chatCount: 80 }, mirror: await mirror(apiKey), noClient: true });
    rigs.push(a);
    const mirrorB = await mirror(apiKey);
    const b = await startLiveRig({ sameAccountAs: a.sandbox, mirror: mirrorB });
    rigs.push(b);

    // B's scan seeds the shared mirror; A sees it fresh too.
    await b.call("triage_queue", {});
    expect((await a.services.liveQueue.freshness()).fresh).toBe(true);

    const chat = [...a.sandbox.state.chats.values()].find((c) => c.status === "opened");
    if (!chat) throw new Error("no open chat in the seed");
    const uri = `helpcrunch://chats/${chat.id}`;
    const told = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no resources/updated on replica B within 2 s")), 2_000);
      b.mcp.setNotificationHandler("notifications/resources/updated", (n) => {
        if (n.params.uri !== uri) return;
        clearTimeout(timer);
        resolve();
      });
    });
    await b.mcp.subscribeResource({ uri });
    await mirrorB.listening();
    a.sandbox.customerWrites(chat.id, "Anyone there? It is urgent.");
    await told;
    // The webhook went to A only.
    expect(a.sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([202]);

    await a.settle();
    a.sandbox.clearRequests();
    const answer = parsed(triageQueue, await b.call("triage_queue", { limit: 50 }));
    expect(a.sandbox.requests).toEqual([]);
    expect(answer.source).toMatch(/^Live queue/);
    expect(answer.chats.map((c) => c.id)).toContain(chat.id);
  });

  it("the shared mirror equals a fresh scan after random changes delivered with duplicates and out of order", async () => {
    const apiKey = `live-property-${process.pid}`;
    let clock = Date.parse("2026-11-25T12:00:00Z");
    const now = () => clock;
    const a = await startLiveRig({
      sandbox: { apiKey, chatCount: 60, now },
      now,
      faults: { duplicates: 0.3, outOfOrder: 6 },
      mirror: await mirror(apiKey),
      noClient: true,
    });
    rigs.push(a);
    const b = await startLiveRig({ sameAccountAs: a.sandbox, now, mirror: await mirror(apiKey) });
    rigs.push(b);
    await b.call("triage_queue", {});
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 15 }), async (actions) => {
        for (const change of actions) {
          clock += 1000;
          await performChange(a.sandbox, change, clock);
        }
        await a.settle();
        expect(await mirroredQueue(b)).toEqual(await openQueueNow(b));
      }),
      { numRuns: 20 },
    );
  }, 60_000);

  it("with Redis gone, triage_queue scans as before the live queue, and a webhook is still answered", async () => {
    const own = await startRedis();
    try {
      const apiKey = `live-outage-${process.pid}`;
      const store = await openStore(own.url, apiKey, createLogger("silent"));
      stores.push(store);
      const rig = await startLiveRig({ sandbox: { apiKey }, mirror: new RedisMirror(store) });
      rigs.push(rig);
      await rig.call("triage_queue", {});
      expect((await rig.services.liveQueue.freshness()).fresh).toBe(true);
      await own.stop();
      const result = await rig.call("triage_queue", {});
      expect(result.isError).toBeFalsy();
      const answer = parsed(triageQueue, result);
      expect(answer.source).toMatch(/^Scanned HelpCrunch now \(\d+ requests; live queue unreachable \(Redis\)\)\.$/);
      expect(answer.cursor).toBe("unavailable");
      expect(answer.chats.length).toBeGreaterThan(0);
      const chat = [...rig.sandbox.state.chats.values()].find((c) => c.status === "opened");
      rig.sandbox.customerWrites(chat?.id ?? 0, "hello?");
      await rig.sandbox.webhooks.settle();
      expect(rig.sandbox.webhooks.deliveries.map((d) => d.status)).toEqual([202]);
    } finally {
      await own.close();
    }
  });
});
