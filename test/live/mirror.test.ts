/**
 * The mirror against the truth: random changes made in the sandbox (through its API and by
 * simulated customers), delivered as webhooks duplicated and out of order, leave the mirror equal
 * to a fresh scan; triage_queue then answers from it with no HelpCrunch request, the same answer a
 * scan gives; and `since` returns exactly the chats that changed.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../../src/helpcrunch/index.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type LiveRig, startLiveRig } from "../helpers/live.js";
import { type Action, action, mirroredQueue, openQueueNow, performChange, sandboxApi } from "../helpers/live-changes.js";
import { parsed } from "../helpers/typed-call.js";

let rig: LiveRig;
/** One clock for the sandbox and the server, a second per change: events are ordered by their time, as HelpCrunch's are. */
let clock = Date.parse("2026-11-25T12:00:00Z");
const now = () => clock;
beforeAll(async () => {
  rig = await startLiveRig({ sandbox: { chatCount: 60, now }, now, faults: { duplicates: 0.3, outOfOrder: 6 } });
});
afterAll(() => rig?.close());

const api = (method: string, path: string, body: unknown) => sandboxApi(rig.sandbox)(method, path, body);
const freshScan = () => openQueueNow(rig);
const mirrored = () => mirroredQueue(rig);
const perform = (a: Action) => {
  clock += 1000;
  return performChange(rig.sandbox, a, clock);
};

describe("the live mirror", () => {
  it("equals a fresh scan after random changes delivered with duplicates and out of order", async () => {
    await rig.call("triage_queue", {}); // the seed
    await fc.assert(
      fc.asyncProperty(fc.array(action, { minLength: 1, maxLength: 20 }), async (actions) => {
        for (const a of actions) await perform(a);
        await rig.settle();
        expect(await mirrored()).toEqual(await freshScan());
      }),
      { numRuns: 25 },
    );
    expect(rig.sandbox.webhooks.deliveries.every((d) => d.status === 202)).toBe(true);
  }, 60_000);

  it("answers triage_queue with 0 HelpCrunch requests, and the same answer a scan gives", async () => {
    await rig.call("list_agents", {}); // names resolve from the cache, as in a running server
    await rig.settle();
    rig.sandbox.clearRequests();
    const live = await rig.call("triage_queue", { limit: 50 });
    expect(rig.sandbox.requests).toEqual([]);
    const liveAnswer = parsed(triageQueue, live);
    expect(liveAnswer.source).toMatch(
      /^Live queue \(webhooks, 0 requests, as of \d\d:\d\d:\d\d UTC: last event .* before, rescanned .* before\)\.$/,
    );

    // The same services without webhooks scan; their answer must be the same ranking and counts.
    const scanRig = await startLiveRig({ sameAccountAs: rig.sandbox, now, config: { webhookSecret: undefined } });
    try {
      const scanned = parsed(triageQueue, await scanRig.call("triage_queue", { limit: 50 }));
      expect(scanned.source).toMatch(/^Scanned HelpCrunch now/);
      const { team_online: _t, chat_enabled: _c, ...scanCounts } = scanned.counts;
      const { team_online: _t2, chat_enabled: _c2, ...liveCounts } = liveAnswer.counts;
      expect(liveCounts).toEqual(scanCounts);
      expect(liveAnswer.chats).toEqual(scanned.chats);
    } finally {
      await scanRig.close();
    }
  });

  it("since: a mass close lists 20 chats that left and counts the rest", async () => {
    await rig.settle();
    const first = parsed(triageQueue, await rig.call("triage_queue", {}));
    const closing = (await mirrored()).filter((c) => c.snoozedUntil === null || c.snoozedUntil < clock).slice(0, 25);
    for (const chat of closing) {
      clock += 10;
      await api("PUT", "/chats/status", { id: chat.id, status: "closed" });
    }
    await rig.settle();
    const delta = await rig.call("triage_queue", { since: first.cursor });
    const answer = parsed(triageQueue, delta);
    expect(answer.left).toHaveLength(20);
    expect(answer.left_more).toBe(5);
    expect(JSON.stringify(delta.content)).toContain("…and 5 more left.");
    expect(JSON.stringify(delta.content)).toContain("Since then: 25 left.");
  });

  it("since: returns exactly the chats that entered, changed or left, and why they left", async () => {
    await rig.settle();
    const first = parsed(triageQueue, await rig.call("triage_queue", {}));
    const queued = (await mirrored()).filter((c) => c.snoozedUntil === null || c.snoozedUntil < clock);
    const [talk, close, snooze] = queued.slice(-3) as [Chat, Chat, Chat];
    clock += 1000;
    rig.sandbox.customerWrites(talk.id, "are you there?");
    clock += 1000;
    await api("PUT", "/chats/status", { id: close.id, status: "closed" });
    clock += 1000;
    await api("PUT", "/chats/snooze", { id: snooze.id, snoozedUntil: Math.floor(clock / 1000) + 3600 });
    await rig.settle();
    const delta = await rig.call("triage_queue", { since: first.cursor });
    const answer = parsed(triageQueue, delta);
    expect(answer.chats.map((c) => c.id)).toEqual([talk.id]);
    expect(answer.left).toEqual(
      expect.arrayContaining([
        { id: close.id, why: "closed" },
        { id: snooze.id, why: "snoozed" },
      ]),
    );
    expect(answer.left).toHaveLength(2);

    // Nothing changed since the newest cursor; an unknown one gets the full answer and says so.
    const quiet = parsed(triageQueue, await rig.call("triage_queue", { since: answer.cursor }));
    expect(quiet.chats).toEqual([]);
    expect(quiet.left).toEqual([]);
    const unknown = await rig.call("triage_queue", { since: "q1.nope.0.0" });
    expect(JSON.stringify(unknown.content)).toContain("The since cursor is unknown or too old: this is the full answer.");
    expect(parsed(triageQueue, unknown).chats.length).toBeGreaterThan(1);
  });
});
