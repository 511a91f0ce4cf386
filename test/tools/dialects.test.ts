/**
 * The tools on accounts that speak different dialects (the sandbox accepts exactly one each):
 * status search, triage, snooze and on-hold land, and dry_run shows the request that is then sent.
 * The client starts knowing nothing (HELPCRUNCH_STATUS_FILTER=auto): only a client that learns passes.
 */
import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { DOCS_STATUS_CODES, randomStatusCodes, type SandboxDialect } from "../../src/sandbox/index.js";
import { type Harness, startHarness } from "../helpers/harness.js";

type Request = { method: string; path: string; body: unknown };
type WriteOut = { results: Array<{ chat_id: number; ok: boolean; fallback?: string; request?: Request }> };

// A seed per run, printed on failure through the test name, so every run tries another code table.
const runSeed = Math.floor(Math.random() * 1_000_000);

const DIALECTS: Array<[string, Partial<SandboxDialect>]> = [
  ["names, integer snooze", { statusFilter: "names", snoozedUntil: "integer", onHoldWrite: "on hold" }],
  ["the docs' codes, string snooze", { statusFilter: { codes: { ...DOCS_STATUS_CODES } }, snoozedUntil: "string", onHoldWrite: "onhold" }],
  [
    `random codes (seed ${runSeed}), string snooze`,
    { statusFilter: { codes: randomStatusCodes(runSeed) }, snoozedUntil: "string", onHoldWrite: "on-hold" },
  ],
  [
    "random codes (seed 8), integer snooze",
    { statusFilter: { codes: randomStatusCodes(8) }, snoozedUntil: "integer", onHoldWrite: "on hold" },
  ],
];

const OPEN = ["new", "opened", "pending", "onhold"];
let h: Harness | undefined;
const auditFile = join(tmpdir(), `helpcrunch-dialect-audit-${process.pid}.jsonl`);

afterEach(async () => {
  await h?.close();
  h = undefined;
  rmSync(auditFile, { force: true });
});

const stored = (harness: Harness, statuses: string[]) =>
  [...harness.sandbox.state.chats.values()]
    .filter((c) => statuses.includes(c.status))
    .map((c) => c.id)
    .sort((a, b) => a - b);

const wire = (harness: Harness, path: string): Request[] =>
  harness.sandbox.requests.filter((r) => r.path === path).map((r) => ({ method: r.method, path: r.path, body: r.body }));

describe.each(DIALECTS)("on an account with %s", (_name, dialect) => {
  it("search_chats by one and several statuses returns exactly the chats with those statuses", async () => {
    h = await startHarness({ sandbox: { seed: 11, dialect }, config: { statusFilter: "auto" } });
    for (const status of [["pending"], ["new", "opened"], ["onhold", "closed"]]) {
      const ids: number[] = [];
      for (let offset = 0; ; ) {
        const out = (await h.call("search_chats", { status, limit: 100, offset })).structuredContent as {
          total: number;
          next_offset: number | null;
          chats: Array<{ id: number }>;
        };
        expect(out.total).toBe(stored(h, status).length);
        ids.push(...out.chats.map((c) => c.id));
        if (out.next_offset === null) break;
        offset = out.next_offset;
      }
      expect(ids.sort((a, b) => a - b)).toEqual(stored(h, status));
    }
  });

  it("triage_queue lists the whole open queue", async () => {
    h = await startHarness({ sandbox: { seed: 11, dialect }, config: { statusFilter: "auto" } });
    const out = (await h.call("triage_queue", { limit: 50, include_snoozed: true })).structuredContent as {
      counts: { open: number; snoozed: number; by_status: Record<string, number> };
      chats: Array<{ id: number }>;
    };
    // Open = not snoozed now; snoozed ones are counted apart.
    expect(out.counts.open + out.counts.snoozed).toBe(stored(h, OPEN).length);
    const now = Date.now();
    for (const status of OPEN) {
      const awake = [...h.sandbox.state.chats.values()].filter(
        (c) => c.status === status && !(c.snoozedUntil !== null && c.snoozedUntil > now),
      );
      expect(out.counts.by_status[status] ?? 0).toBe(awake.length);
    }
    expect(out.chats).toHaveLength(50);
    for (const chat of out.chats) expect(stored(h, OPEN)).toContain(chat.id);
  });

  it("snooze_chat and set_chat_status onhold land; dry_run shows the first request sent, and after learning exactly the request sent", async () => {
    h = await startHarness({ sandbox: { seed: 11, dialect }, config: { statusFilter: "auto", auditLog: auditFile } });
    const [first, second, third, fourth] = stored(h, ["opened"]) as [number, number, number, number];
    for (const [tool, args, path] of [
      // An absolute time: "2h" is read at each call, and the dry run and the real call may fall in different seconds.
      ["snooze_chat", { until: new Date(Math.floor(Date.now() / 1000) * 1000 + 7_200_000).toISOString() }, "/chats/snooze"],
      ["set_chat_status", { status: "onhold" }, "/chats/status"],
    ] as const) {
      // Before anything is learned: the dry run is what goes first; a refusal makes the client adapt and say so.
      h.sandbox.clearRequests();
      const dry = (await h.call(tool, { chat_id: first, ...args, dry_run: true })).structuredContent as WriteOut;
      const real = await h.call(tool, { chat_id: first, ...args });
      expect(real.isError).toBeFalsy();
      const sent = wire(h, path);
      expect(sent[0]).toEqual(dry.results[0]?.request);
      const out = real.structuredContent as WriteOut;
      expect(Boolean(out.results[0]?.fallback)).toBe(sent.length > 1);
      const audit = readFileSync(auditFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { tool: string; request: Request });
      expect(audit.filter((a) => a.tool === tool).at(-1)?.request).toEqual(sent.at(-1));
      // Once learned, dry_run equals the wire for single and bulk calls.
      for (const target of [{ chat_id: second }, { chat_ids: [third, fourth] }]) {
        h.sandbox.clearRequests();
        const again = (await h.call(tool, { ...target, ...args, dry_run: true })).structuredContent as WriteOut;
        expect((await h.call(tool, { ...target, ...args })).isError).toBeFalsy();
        expect(wire(h, path)).toEqual(again.results.map((r) => r.request));
      }
    }
    for (const id of [first, second, third, fourth]) {
      expect(h.sandbox.state.chats.get(id)?.status).toBe("onhold");
      expect(h.sandbox.state.chats.get(id)?.snoozedUntil).not.toBeNull();
    }
  });
});

describe.each(DIALECTS)("first writes of a fresh process, in parallel, on an account with %s", (_name, dialect) => {
  it("a first bulk snooze and a first bulk on-hold land on every chat: requests in flight when a refusal is learned are retried in the learned form", async () => {
    h = await startHarness({ sandbox: { seed: 11, dialect }, config: { statusFilter: "auto" } });
    const opened = stored(h, ["opened"]);
    for (const [tool, args, ids] of [
      ["snooze_chat", { until: "2h" }, opened.slice(0, 4)],
      ["set_chat_status", { status: "onhold" }, opened.slice(4, 8)],
    ] as const) {
      const result = await h.call(tool, { chat_ids: ids, ...args });
      const out = result.structuredContent as WriteOut;
      expect(out.results.filter((r) => !r.ok)).toEqual([]);
      expect(result.isError).toBeFalsy();
    }
    for (const id of opened.slice(0, 4)) expect(h.sandbox.state.chats.get(id)?.snoozedUntil).not.toBeNull();
    for (const id of opened.slice(4, 8)) expect(h.sandbox.state.chats.get(id)?.status).toBe("onhold");
  });
});

describe("first searches of a fresh process, in parallel, on an account that cannot sort by lastMessageAt", () => {
  it("every search is answered: those in flight when the sort is refused are retried with the learned sort", async () => {
    const searchSorts = ["chats.createdAt", "chats.lastCustomerMessageAt", "chats.closedAt"];
    h = await startHarness({ sandbox: { seed: 11, dialect: { statusFilter: "names", searchSorts } }, config: { statusFilter: "name" } });
    const harness = h;
    const results = await Promise.all(
      ["new", "opened", "pending", "closed"].map((s) => harness.call("search_chats", { status: [s], limit: 5 })),
    );
    expect(results.filter((r) => r.isError)).toEqual([]);
  });
});
