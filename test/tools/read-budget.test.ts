/**
 * One read spends at most its request budget (HELPCRUNCH_READ_BUDGET, by default half of the
 * per-minute limit: 60 of a 120/min key) and answers with what it counted, saying it is partial.
 * Before: chat_stats over ten years of 6,000 chats cost 106 of the key's 120 requests, and against an
 * API that overstates its totals one call spent 97 and answered with a rate-limit error.
 */
import type { CallToolResult } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { partialOutput } from "../../src/runtime/define-tool.js";
import { chatStats } from "../../src/tools/chat_stats.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk, parsed } from "../helpers/typed-call.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
/** The default for a 120/min key (see test/config.test.ts). */
const BUDGET = 60;

/** A tool whose output schema declares `partial` (a scan that can stop at its budget). */
type PartialTool = { name: string; outputSchema: z.ZodObject<typeof partialOutput> };

function expectPartial(h: Harness, tool: PartialTool, result: CallToolResult): void {
  expect(result.isError, h.text(result)).toBeFalsy();
  const structured = parsed(tool, result);
  expect(structured.partial).toMatch(/^Partial result: this call stopped at its budget of \d+ HelpCrunch requests/);
  expect(h.text(result).split("\n")[0]).toMatch(/^Partial result: this call stopped at its budget of \d+ HelpCrunch requests/);
}

describe("a read over 6,000 chats", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sandbox: { seed: 5, chatCount: 6_000, now: () => NOW },
      now: () => NOW,
      config: { rateLimitPerMinute: 120, readBudget: BUDGET },
      // The client's own limiter would only slow the test down; the budget is what is under test.
      client: { rateLimitPerMinute: 100_000 },
    });
  }, 60_000);
  afterAll(() => h.close());

  it(`chat_stats over ten years spends at most ${BUDGET} requests and says its counts are partial`, async () => {
    h.sandbox.clearRequests();
    const result = await h.call("chat_stats", { from: "520w", group_by: "department" });
    expect(h.sandbox.requests.length).toBeLessThanOrEqual(BUDGET);
    expectPartial(h, chatStats, result);
    const stats = parsed(chatStats, result);
    expect(stats.complete).toBe(false);
    // What was counted so far: a lower bound, not nothing.
    expect(stats.total.created).toBeGreaterThan(1_000);
    expect(stats.total.created).toBeLessThan(6_000);
  });

  const scans: Array<[string, PartialTool, Record<string, unknown>]> = [
    // triage_queue proves its top within 5 requests here: test/tools/triage-scale.test.ts has its partial answer.
    [searchChats.name, searchChats, { assignee: "unassigned", status: ["new", "opened", "pending", "onhold"], limit: 5 }],
    [chatStats.name, chatStats, { from: "30d", response_times: true }],
  ];
  it.each(scans)(
    "%s with HELPCRUNCH_READ_BUDGET=5 spends at most 5 requests",
    async (tool, schema, args) => {
      const small = await startHarness({
        sandbox: { seed: 5, chatCount: 2_000, now: () => NOW },
        now: () => NOW,
        config: { readBudget: 5 },
      });
      try {
        small.sandbox.clearRequests();
        const result = await small.call(tool, args);
        expect(small.sandbox.requests.length).toBeLessThanOrEqual(5);
        expectPartial(small, schema, result);
      } finally {
        await small.close();
      }
    },
    30_000,
  );

  it("a read that needs fewer requests than its budget is not partial", async () => {
    const { text, structured } = await callOk(h, searchChats, { status: ["new"], limit: 5 });
    expect(structured.partial).toBeUndefined();
    expect(text).not.toContain("Partial result");
  });
});

describe("an API that overstates its totals", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      sandbox: { seed: 5, chatCount: 200, now: () => NOW, rateLimitPerMinute: 120 },
      now: () => NOW,
      config: { rateLimitPerMinute: 120, readBudget: BUDGET },
      client: { rateLimitPerMinute: 100_000 },
    });
    const res = await fetch(`${h.sandbox.url}/chats?limit=100`, { headers: { authorization: `Bearer ${h.sandbox.apiKey}` } });
    const page = ((await res.json()) as { data: unknown[] }).data.slice(0, 20);
    // Every search answers the same 20 chats and claims 100,000 match.
    h.sandbox.addFault({
      method: "POST",
      path: "/chats/search",
      times: Number.POSITIVE_INFINITY,
      fault: { type: "status", status: 200, body: { data: page, meta: { total: 100_000 } } },
    });
  });
  afterAll(() => h.close());

  it(`chat_stats spends at most ${BUDGET} requests and answers with what it counted, partial`, async () => {
    h.sandbox.clearRequests();
    const result = await h.call("chat_stats", { from: "30d" });
    expect(h.sandbox.requests.length).toBeLessThanOrEqual(BUDGET);
    expect(h.sandbox.requests.every((r) => r.status !== 429)).toBe(true);
    expectPartial(h, chatStats, result);
    // The next call still has the rest of the minute's requests.
    const next = await h.call("get_chat", { chat_id: [...h.sandbox.state.chats.keys()][0] });
    expect(next.isError, h.text(next)).toBeFalsy();
  });
});

describe("a fresh process that still has to learn the status filter", () => {
  // The status-dialect probes (GET /chats, then a search by name) are HelpCrunch requests like any
  // other: before, the first chat_stats sent its budget of pages plus the uncounted probes (62 of 60).
  it.each([BUDGET, 1])(
    "the first chat_stats with a budget of %i counts the probes in it and answers partially",
    async (budget) => {
      const h = await startHarness({
        sandbox: { seed: 5, chatCount: 6_000, now: () => NOW },
        now: () => NOW,
        config: { rateLimitPerMinute: 120, readBudget: budget, statusFilter: "auto" },
        client: { rateLimitPerMinute: 100_000 },
      });
      try {
        h.sandbox.clearRequests();
        const result = await h.call("chat_stats", { from: "520w", group_by: "department" });
        expect(h.sandbox.requests.length).toBeLessThanOrEqual(budget);
        expectPartial(h, chatStats, result);
      } finally {
        await h.close();
      }
    },
    60_000,
  );
});
