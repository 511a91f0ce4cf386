/**
 * triage_queue on queues larger than one read can hold: the threshold scan must find the true top
 * (every open chat ranked, from the sandbox's state) within the call's read budget, or say how much
 * of it is proven. Before the threshold scan, 2,000 chats gave a top 20 sharing none of the true 20.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlaPolicy } from "../../src/domain/sla.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { trueTop } from "../helpers/true-top.js";
import { parsed } from "../helpers/typed-call.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");

describe("a queue of about 1,200 open chats (past the 1,000 read whole)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ sandbox: { seed: 7, chatCount: 2_000, now: () => NOW }, now: () => NOW });
  }, 60_000);
  afterAll(() => h.close());

  it("the top 20 is the true top 20, proven, within the read budget of 60", async () => {
    h.sandbox.clearRequests();
    const result = await h.call("triage_queue", { limit: 20 });
    const out = parsed(triageQueue, result);
    expect(out.chats.map((c) => c.id)).toEqual(trueTop(h.sandbox.state, NOW, 20).map((r) => r.chat.id));
    expect(out.coverage).toMatchObject({ exact: true, proven: 20 });
    expect(out.coverage?.total).toBeGreaterThan(1_000);
    expect(h.sandbox.requests.length).toBeLessThanOrEqual(60);
    expect(h.text(result)).toMatch(/Top 20 of \d+ open chats, exact/);
  });

  it("a department's top is its true top", async () => {
    const result = await h.call("triage_queue", { limit: 10, department: 2 });
    const out = parsed(triageQueue, result);
    const truth = trueTop(h.sandbox.state, NOW, 100_000)
      .filter((r) => r.chat.department?.id === 2)
      .slice(0, 10);
    expect(out.chats.map((c) => c.id)).toEqual(truth.map((r) => r.chat.id));
  });
});

describe("with SLA targets (the first-reply clock starts at creation: the creation order is walked too)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sandbox: { seed: 8, chatCount: 2_000, now: () => NOW },
      now: () => NOW,
      config: { sla: { firstReply: 30, nextReply: 240 } },
    });
  }, 60_000);
  afterAll(() => h.close());

  it("breached chats first, and the top 20 is the true top 20", async () => {
    const result = await h.call("triage_queue", { limit: 20 });
    const out = parsed(triageQueue, result);
    const sla = new SlaPolicy({ firstReply: 30, nextReply: 240, timeZone: "UTC" });
    expect(out.chats.map((c) => c.id)).toEqual(trueTop(h.sandbox.state, NOW, 20, sla).map((r) => r.chat.id));
    expect(out.coverage?.exact).toBe(true);
  });
});

describe("a budget too small to prove the whole top", () => {
  it("says how many are proven, and those are the true ones", async () => {
    const h = await startHarness({ sandbox: { seed: 7, chatCount: 2_000, now: () => NOW }, now: () => NOW, config: { readBudget: 2 } });
    try {
      const result = await h.call("triage_queue", { limit: 50 });
      const out = parsed(triageQueue, result);
      const proven = out.coverage?.proven ?? 0;
      expect(out.coverage?.exact).toBe(false);
      expect(out.chats.slice(0, proven).map((c) => c.id)).toEqual(trueTop(h.sandbox.state, NOW, proven).map((r) => r.chat.id));
      expect(proven).toBeGreaterThan(0);
      expect(h.text(result)).toContain(`only the top ${proven} are proven`);
      expect(h.text(result)).toMatch(/^Partial result/);
    } finally {
      await h.close();
    }
  }, 30_000);
});

describe("an account whose search ignores the order asked for", () => {
  it("ranks only what it read, says so, and calls nothing the top", async () => {
    const h = await startHarness({
      sandbox: { seed: 7, openChats: 3_000, now: () => NOW, dialect: { ignoredSearchSorts: ["chats.lastCustomerMessageAt"] } },
      now: () => NOW,
    });
    try {
      const result = await h.call("triage_queue", { limit: 20 });
      const out = parsed(triageQueue, result);
      expect(out.coverage).toMatchObject({ exact: false, proven: 0, read: 1_000, total: 3_000 });
      expect(h.text(result)).toContain("did not return chats oldest-first");
      expect(h.text(result)).toContain("Top 20 of the chats read");
      expect(h.api.dialect().searchOrders).toEqual({ "chats.lastCustomerMessageAt asc": false });
    } finally {
      await h.close();
    }
  }, 30_000);
});
