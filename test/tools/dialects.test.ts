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
import { searchChats } from "../../src/tools/search_chats.js";
import { setChatStatus } from "../../src/tools/set_chat_status.js";
import { snoozeChat } from "../../src/tools/snooze_chat.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk, parsed } from "../helpers/typed-call.js";

type Request = { method: string; path: string; body: unknown };

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
        const out = (await callOk(h, searchChats, { status, limit: 100, offset })).structured;
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
    const out = (await callOk(h, triageQueue, { limit: 50, include_snoozed: true })).structured;
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
      [snoozeChat, { until: new Date(Math.floor(Date.now() / 1000) * 1000 + 7_200_000).toISOString() }, "/chats/snooze"],
      [setChatStatus, { status: "onhold" }, "/chats/status"],
    ] as const) {
      // Before anything is learned: the dry run is what goes first; a refusal makes the client adapt and say so.
      h.sandbox.clearRequests();
      const dry = parsed(tool, await h.call(tool.name, { chat_id: first, ...args, dry_run: true }));
      const real = await h.call(tool.name, { chat_id: first, ...args });
      expect(real.isError).toBeFalsy();
      const sent = wire(h, path);
      expect(sent[0]).toEqual(dry.results[0]?.request);
      const out = parsed(tool, real);
      expect(Boolean(out.results[0]?.fallback)).toBe(sent.length > 1);
      const audit = readFileSync(auditFile, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { tool: string; request: Request });
      expect(audit.filter((a) => a.tool === tool.name).at(-1)?.request).toEqual(sent.at(-1));
      // Once learned, dry_run equals the wire for single and bulk calls.
      for (const target of [{ chat_id: second }, { chat_ids: [third, fourth] }]) {
        h.sandbox.clearRequests();
        const again = parsed(tool, await h.call(tool.name, { ...target, ...args, dry_run: true }));
        expect((await h.call(tool.name, { ...target, ...args })).isError).toBeFalsy();
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
      [snoozeChat, { until: "2h" }, opened.slice(0, 4)],
      [setChatStatus, { status: "onhold" }, opened.slice(4, 8)],
    ] as const) {
      const result = await h.call(tool.name, { chat_ids: ids, ...args });
      const out = parsed(tool, result);
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
