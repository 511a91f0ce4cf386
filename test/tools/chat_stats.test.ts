/**
 * chat_stats against numbers computed here, independently, from the sandbox's own state (never
 * from the tool's helpers): every grouping, the window's edges, the closed-by split, ratings,
 * medians and p90s, paging past 100 chats, and the bound.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import type { StoredChat } from "../../src/sandbox/index.js";
import { chatStats } from "../../src/tools/chat_stats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk, golden, goldenWorld, parsed } from "../helpers/typed-call.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const DAY = 24 * 60 * 60_000;
const OPEN = ["new", "opened", "pending", "onhold"];

/** The answer as chat_stats's own output schema reads it. */
type Stats = z.output<typeof chatStats.outputSchema>;
type Group = Stats["groups"][number];

/** Independent arithmetic: a plain median, and p90 as the nearest rank. */
function expectedTimes(minutes: number[]) {
  if (minutes.length === 0) return undefined;
  const s = [...minutes].sort((a, b) => a - b);
  const n = s.length;
  const median = n % 2 ? (s[(n - 1) / 2] as number) : ((s[n / 2 - 1] as number) + (s[n / 2] as number)) / 2;
  const p90 = s[Math.ceil(0.9 * n) - 1] as number;
  return { median_minutes: Math.round(median * 10) / 10, p90_minutes: Math.round(p90 * 10) / 10 };
}

function expectedGroup(chats: StoredChat[], from: number, to: number) {
  const created = chats.filter((c) => c.createdAt >= from && c.createdAt < to);
  const closed = chats.filter((c) => c.closedAt !== null && c.closedAt >= from && c.closedAt < to);
  const open = chats.filter((c) => OPEN.includes(c.status));
  const rating = (r: string | null) => (r === "perfect" ? "great" : r);
  const ratings = { great: 0, average: 0, poor: 0 };
  for (const c of closed) {
    const r = rating(c.rating);
    if (r === "great" || r === "average" || r === "poor") ratings[r]++;
  }
  const rated = ratings.great + ratings.average + ratings.poor;
  const byStatus: Record<string, number> = {};
  for (const c of open) byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
  return {
    created: created.length,
    closed: closed.length,
    closed_by_agent: closed.filter((c) => c.closedBy === "agent").length,
    closed_by_customer: closed.filter((c) => c.closedBy === "customer").length,
    open: open.length,
    open_by_status: byStatus,
    awaiting_reply: open.filter(
      (c) => c.lastCustomerMessageAt !== null && (c.lastMessageAt === null || c.lastCustomerMessageAt >= c.lastMessageAt),
    ).length,
    time_to_close: expectedTimes(closed.map((c) => ((c.closedAt as number) - c.createdAt) / 60_000)),
    ratings,
    ...(rated ? { csat: Math.round((ratings.great / rated) * 1000) / 1000 } : {}),
  };
}

const strip = (g: Group) => {
  const { key: _k, label: _l, ...numbers } = g;
  return JSON.parse(JSON.stringify(numbers)) as Omit<Group, "key" | "label">;
};

let h: Harness;
let chats: StoredChat[];
beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 42, now: () => NOW }, now: () => NOW });
  chats = [...h.sandbox.state.chats.values()];
});
afterAll(() => h.close());

async function stats(args: Record<string, unknown>): Promise<Stats> {
  return (await callOk(h, chatStats, args)).structured;
}

/** Each group equals the arithmetic over the chats `member` says belong to it, in [from, NOW). */
function expectEachGroup(groups: Group[], member: (g: Group) => (c: StoredChat) => boolean, from: number): void {
  for (const g of groups) expect(strip(g), g.label).toEqual(expectedGroup(chats.filter(member(g)), from, NOW));
}
/** The id in a group key such as `agent:5`, or null for `agent:none`. */
const idOf = (g: Group, kind: "agent" | "department") => (g.key === `${kind}:none` ? null : Number(g.key.slice(kind.length + 1)));

describe("chat_stats", () => {
  it("by agent over 30 days (past one page of 100): every group and the total match the sandbox", async () => {
    const from = NOW - 30 * DAY;
    expect(chats.filter((c) => c.createdAt >= from).length).toBeGreaterThan(100);
    const s = await stats({ from: "30d", group_by: "agent" });
    expect(strip(s.total)).toEqual(expectedGroup(chats, from, NOW));
    const agents = new Set(chats.map((c) => c.assigneeId));
    expect(s.groups.map((g) => g.key).sort()).toEqual([...agents].map((id) => (id === null ? "agent:none" : `agent:${id}`)).sort());
    expectEachGroup(s.groups, (g) => (c) => c.assigneeId === idOf(g, "agent"), from);
    expect(s.complete).toBe(true);
  });

  it("by department and by status", async () => {
    const from = NOW - 7 * DAY;
    const byDepartment = await stats({ group_by: "department" });
    expectEachGroup(byDepartment.groups, (g) => (c) => c.departmentId === idOf(g, "department"), from);
    const byStatus = await stats({ group_by: "status" });
    expectEachGroup(byStatus.groups, (g) => (c) => c.status === g.key.slice("status:".length), from);
    expect(strip(byStatus.total)).toEqual(strip(byDepartment.total));
  });

  it("by day: created and closed by their own day, open chats only in the total", async () => {
    const from = NOW - 7 * DAY;
    const s = await stats({ group_by: "day" });
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    for (const g of s.groups) {
      const inDay = (t: number | null) => t !== null && day(t) === g.label;
      expect(g.created, g.label).toBe(chats.filter((c) => c.createdAt >= from && inDay(c.createdAt)).length);
      expect(g.closed, g.label).toBe(
        chats.filter((c) => c.closedAt !== null && c.closedAt >= from && c.closedAt < NOW && inDay(c.closedAt)).length,
      );
      expect(g.open).toBe(0);
    }
    expect(s.total.open).toBe(chats.filter((c) => OPEN.includes(c.status)).length);
    expect(s.groups.map((g) => g.label)).toEqual([...s.groups.map((g) => g.label)].sort());
  });

  it("counts a chat created exactly at `from` and not one created exactly at `to`", async () => {
    const from = Date.parse("2026-11-20T00:00:00Z");
    const to = Date.parse("2026-11-21T00:00:00Z");
    const [atStart, atEnd] = chats.filter((c) => c.status === "closed");
    Object.assign(atStart as StoredChat, { createdAt: from });
    Object.assign(atEnd as StoredChat, { createdAt: to });
    const s = await stats({ from: "2026-11-20T00:00:00Z", to: "2026-11-21T00:00:00Z" });
    expect(s.total.created).toBe(chats.filter((c) => c.createdAt >= from && c.createdAt < to).length);
    expect(s.total.created).toBeGreaterThanOrEqual(1);
    expect(strip(s.total)).toEqual(expectedGroup(chats, from, to));
  });

  it("filters by department name and agent email", async () => {
    const department = [...h.sandbox.state.departments.values()][0];
    const agent = [...h.sandbox.state.agents.values()][0];
    const s = await stats({ from: "30d", department: department?.name, assignee: agent?.email });
    expect(strip(s.total)).toEqual(
      expectedGroup(
        chats.filter((c) => c.departmentId === department?.id && c.assigneeId === agent?.id),
        NOW - 30 * DAY,
        NOW,
      ),
    );
  });

  it("the text is a table with one row per group and the total", async () => {
    const result = await h.call("chat_stats", { group_by: "department" });
    const lines = h.text(result).split("\n");
    expect(lines[0]).toBe("Chats 2026-11-18 → 2026-11-25 (UTC), by department:");
    expect(lines[1]).toMatch(/^ \| created \| closed \(agent\/customer\) \| open now/);
    expect(lines.some((l) => l.startsWith("total | "))).toBe(true);
  });

  it("response_times: first replies on every chat of a small window, with progress", async () => {
    const created = (hours: number) => chats.filter((c) => c.createdAt >= NOW - hours * 3_600_000 && c.createdAt < NOW);
    const hours = [24, 12, 8, 6, 4, 3, 2].find((n) => created(n).length <= 40) ?? 1;
    const inWindow = created(hours);
    expect(inWindow.length).toBeGreaterThan(3);
    expect(inWindow.length).toBeLessThanOrEqual(40);
    const replies: number[] = [];
    for (const chat of inWindow) {
      const messages = [...(h.sandbox.state.messages.get(chat.id) ?? [])].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
      const asked = messages.find((m) => m.from === "customer");
      const answered =
        asked && messages.find((m) => m.from === "agent" && (m.type === "message" || m.type === "email") && m.createdAt >= asked.createdAt);
      if (asked && answered) replies.push((answered.createdAt - asked.createdAt) / 60_000);
    }
    const progress: number[] = [];
    const result = await h.mcp.callTool(
      { name: "chat_stats", arguments: { from: `${hours}h`, response_times: true } },
      {
        onprogress: (p) => void progress.push(p.progress),
      },
    );
    const s = parsed(chatStats, result);
    expect(s.response_sample).toEqual({ asked: inWindow.length, measured: replies.length });
    expect(s.total.first_reply).toEqual({ ...expectedTimes(replies), chats: replies.length });
    expect(progress.length).toBeGreaterThan(0);
  });

  it("its answer validates against the published output schema (the SDK client checks it after tools/list)", async () => {
    const listed = await h.mcp.listTools();
    expect(listed.tools.find((t) => t.name === "chat_stats")?.outputSchema?.properties).toHaveProperty("groups");
    const result = await h.mcp.callTool({ name: "chat_stats", arguments: { group_by: "agent" } });
    expect(result.isError).toBeFalsy();
  });

  it("refuses a window that ends before it starts", async () => {
    const result = await h.call("chat_stats", { from: "1d", to: "3d" });
    expect(result.isError).toBe(true);
  });
});

describe("chat_stats with SLA targets", () => {
  it("reports the share of sampled chats that met the first- and next-reply targets", async () => {
    const sla = await startHarness({
      sandbox: { seed: 42, now: () => NOW },
      now: () => NOW,
      config: { sla: { firstReply: 15, nextReply: 60 } },
    });
    try {
      const all = [...sla.sandbox.state.chats.values()];
      const created = (hours: number) => all.filter((c) => c.createdAt >= NOW - hours * 3_600_000 && c.createdAt < NOW);
      const hours = [24, 12, 8, 6, 4, 3, 2].find((n) => created(n).length <= 40) ?? 1;
      // Independently: each customer wait (first unanswered customer message → next visible agent message).
      const verdicts = { first: { met: 0, missed: 0 }, next: { met: 0, missed: 0 } };
      for (const chat of created(hours)) {
        const messages = [...(sla.sandbox.state.messages.get(chat.id) ?? [])].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);
        const waits: Array<{ from: number; to?: number }> = [];
        let open: { from: number; to?: number } | undefined;
        for (const m of messages) {
          if (m.from === "customer" && !open) waits.push((open = { from: m.createdAt }));
          else if (m.from === "agent" && (m.type === "message" || m.type === "email") && open) {
            open.to = m.createdAt;
            open = undefined;
          }
        }
        const judge = (w: { from: number; to?: number }, target: number) =>
          w.to !== undefined ? w.to - w.from <= target * 60_000 : NOW - w.from > target * 60_000 ? false : undefined;
        const tally = (list: Array<{ from: number; to?: number }>, target: number, into: { met: number; missed: number }) => {
          const decided = list.map((w) => judge(w, target)).filter((v): v is boolean => v !== undefined);
          if (decided.length) decided.every(Boolean) ? into.met++ : into.missed++;
        };
        tally(waits.slice(0, 1), 15, verdicts.first);
        tally(waits.slice(1), 60, verdicts.next);
      }
      const { result, structured: s } = await callOk(sla, chatStats, { from: `${hours}h`, response_times: true });
      expect(s.sla?.first_reply).toMatchObject(verdicts.first);
      expect(s.sla?.next_reply).toMatchObject(verdicts.next);
      expect(verdicts.first.met + verdicts.first.missed).toBeGreaterThan(0);
      expect(sla.text(result)).toMatch(/^SLA \(first reply 15m, next reply 60m\): first reply \d+% met/m);
    } finally {
      await sla.close();
    }
  });
});

describe("chat_stats at its bound", () => {
  it("stops at 5,000 chats of one question and says so", async () => {
    const big = await startHarness({ sandbox: { seed: 3, chatCount: 5_200, now: () => NOW }, now: () => NOW });
    try {
      const { result, structured: s } = await callOk(big, chatStats, { from: "30d" });
      expect(s.complete).toBe(false);
      // The created question stopped at 5,000; chats the closed and open questions found add to it.
      const inWindow = [...big.sandbox.state.chats.values()].filter((c) => c.createdAt >= NOW - 30 * DAY).length;
      expect(s.total.created).toBeGreaterThanOrEqual(5_000);
      expect(s.total.created).toBeLessThan(inWindow);
      expect(big.text(result)).toContain("Stopped at 5000 chats for one of the questions: counts are lower bounds.");
    } finally {
      await big.close();
    }
  }, 60_000);
});

describe("chat_stats's golden answer", () => {
  const world = goldenWorld();

  it("a week of the golden world", async () => {
    const answer = await callOk(world.h, chatStats, { from: "7d" });
    expect(answer.structured.total.created).toBeGreaterThan(0);
    await golden("chat_stats", answer);
  });
});
