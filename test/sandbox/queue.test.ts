/**
 * A large queue (`openChats`): exactly N open chats plus a closed history, each chat's messages made
 * on first read and agreeing with the chat, an everyday spread of waits, and sorted search pages that
 * stay right at 100,000 open chats and when chats change behind the routes' back.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { call, expectConversationAgrees, OPEN, searchChats } from "./helpers.js";

const NOW = Date.parse("2026-11-25T12:00:00Z");
const MINUTE = 60_000;
const started: SandboxHandle[] = [];
async function queue(openChats: number, seed = 42): Promise<SandboxHandle> {
  const sb = await startSandbox({ openChats, seed, now: () => NOW });
  started.push(sb);
  return sb;
}
afterAll(() => Promise.all(started.map((sb) => sb.stop())));

/** What a search must answer, from the state: matching chats by (whole seconds of the key, null as 0), ties by id. */
function expectedPage(
  sb: SandboxHandle,
  keep: (c: StoredChat) => boolean,
  key: (c: StoredChat) => number | null,
  order: string,
  offset: number,
) {
  const sign = order === "asc" ? 1 : -1;
  const seconds = (c: StoredChat) => Math.floor((key(c) ?? 0) / 1000);
  const all = [...sb.state.chats.values()].filter(keep).sort((a, b) => sign * (seconds(a) - seconds(b) || a.id - b.id));
  return { ids: all.slice(offset, offset + 100).map((c) => c.id), total: all.length };
}

async function searchedPage(sb: SandboxHandle, status: string, order: string, offset: number) {
  const r = await searchChats(sb, [{ field: "chats.status", operator: "=", value: status }], {
    sort: "chats.lastCustomerMessageAt",
    order,
    offset,
  });
  expect(r.status, JSON.stringify(r.json.errors)).toBe(200);
  return { ids: (r.json.data ?? []).map((c) => c.id as number), total: r.json.meta?.total };
}

describe("a queue of 2,000 open chats", () => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await queue(2_000);
  });
  const chats = () => [...sb.state.chats.values()];

  it("has exactly 2,000 open chats and a closed history in STATUS_SHARES' proportions, the same for the same seed", async () => {
    expect(sb.openChats()).toHaveLength(2_000);
    expect(sb.openChats().every((c) => OPEN.includes(c.status))).toBe(true);
    const closed = chats().filter((c) => !OPEN.includes(c.status)).length;
    expect(closed / chats().length).toBeGreaterThan(0.37);
    expect(closed / chats().length).toBeLessThan(0.41);
    expect(new Set(chats().map((c) => c.status))).toEqual(
      new Set(["new", "opened", "pending", "onhold", "no communication", "closed", "empty"]),
    );
    const created = chats().map((c) => c.createdAt);
    expect(created).toEqual([...created].sort((a, b) => a - b));
    const same = await queue(2_000);
    const other = await queue(2_000, 43);
    const json = (s: SandboxHandle) => JSON.stringify([...s.state.chats.values()]);
    expect(json(same)).toBe(json(sb));
    expect(json(other)).not.toBe(json(sb));
  });

  it("makes every chat's messages on first read, agreeing with the chat's fields, ids growing with chat ids", () => {
    const untouched = chats().find((c) => c.status === "opened") as StoredChat;
    const before = { ...untouched, agentIds: [...untouched.agentIds] };
    let lastId = 0;
    for (const chat of chats()) {
      const messages = sb.state.messages.get(chat.id) ?? [];
      const visible = expectConversationAgrees(chat, messages);
      expect(chat.agentIds).toEqual([...new Set(visible.flatMap((m) => (m.from === "agent" && m.agentId !== null ? [m.agentId] : [])))]);
      expect(messages.some((m) => m.from === "customer" && !m.read)).toBe(!chat.readByAgent);
      expect(messages.every((m) => m.chatId === chat.id)).toBe(true);
      for (const m of messages) {
        expect(m.id).toBeGreaterThan(lastId);
        lastId = m.id;
      }
    }
    // Reading made messages, and changed nothing on the chat.
    expect(sb.state.chats.get(untouched.id)).toEqual(before);
  });

  it("spreads the queue as the everyday seeder does: long-tailed waits up to about 4 days, answered chats, unassigned, unread, snoozes", () => {
    const open = sb.openChats();
    const waiting = open.filter((c) => c.lastCustomerMessageAt !== null && c.lastCustomerMessageAt >= (c.lastMessageAt ?? 0));
    const waits = waiting.map((c) => (NOW - (c.lastCustomerMessageAt as number)) / MINUTE).sort((a, b) => a - b);
    expect(Math.max(...waits)).toBeGreaterThan(3.5 * 1_440);
    expect(Math.max(...waits)).toBeLessThan(4.1 * 1_440);
    expect(waits[Math.floor(waits.length / 2)]).toBeLessThan(2 * 1_440); // more short waits than long ones
    expect(waiting.length / open.length).toBeGreaterThan(0.3);
    expect(open.filter((c) => c.status === "opened" && (c.lastMessageAt ?? 0) > (c.lastCustomerMessageAt ?? 0)).length).toBeGreaterThan(
      100,
    );
    expect(open.filter((c) => c.assigneeId === null).length / open.length).toBeGreaterThan(0.1);
    expect(open.filter((c) => !c.readByAgent).length / open.length).toBeGreaterThan(0.1);
    expect(open.filter((c) => c.snoozedUntil !== null && c.snoozedUntil < NOW).length).toBeGreaterThan(10);
    expect(open.filter((c) => c.snoozedUntil !== null && c.snoozedUntil > NOW).length).toBeGreaterThan(10);
    // The spotlight chats still lead: the five customers who wrote last.
    const spotlight = [...waiting].sort((a, b) => (b.lastCustomerMessageAt as number) - (a.lastCustomerMessageAt as number)).slice(0, 5);
    expect(spotlight.every((c) => c.status === "new" && c.assigneeId === null && !c.readByAgent)).toBe(true);
  });

  it("a write to a chat whose messages were never read lands after the seeded ones", async () => {
    const chat = [...sb.state.chats.values()].reverse().find((c) => c.status === "pending") as StoredChat;
    const posted = await call(sb, "POST", "/messages", { chat: chat.id, text: "Any news?" });
    expect(posted.status).toBe(200);
    const listed = await call(sb, "GET", `/chats/${chat.id}/messages`);
    expect(listed.json.data?.[0]?.text).toBe("Any news?");
    expect(listed.json.total).toBeGreaterThanOrEqual(4);
    expect(chat.lastCustomerMessageAt).toBe(NOW);
    expect(sb.state.messages.get(chat.id)?.at(-1)?.id).toBe(posted.json.id);
  });
});

describe("sorted search pages", () => {
  it("follow chats changed behind the routes' back, added and replaced", async () => {
    const sb = await queue(600, 9);
    const lcm = (c: StoredChat) => c.lastCustomerMessageAt;
    const isOpened = (c: StoredChat) => c.status === "opened";
    const check = async (order: string, offset = 0) =>
      expect(await searchedPage(sb, "opened", order, offset)).toEqual(expectedPage(sb, isOpened, lcm, order, offset));
    await check("desc");
    await check("asc", 100);
    const [first, second] = sb.openChats().filter(isOpened);
    (first as StoredChat).lastCustomerMessageAt = NOW + MINUTE; // moves to the top
    (second as StoredChat).status = "closed"; // leaves the filter
    await check("desc");
    sb.state.chats.set((second as StoredChat).id, { ...(second as StoredChat), status: "opened", lastCustomerMessageAt: null });
    await check("asc");
    const created = await call(sb, "POST", "/chats", { customer: 4_010, application: 1 });
    await call(sb, "PUT", "/chats/status", { id: created.json.id, status: "opened" });
    await check("asc");
    await check("desc", 100);
  });

  it("at 100,000 open chats: seeds, and pages sorted by the customers' wait match a full sort of the state", async () => {
    const started = performance.now();
    const sb = await queue(100_000);
    const seeded = performance.now() - started;
    expect(sb.openChats()).toHaveLength(100_000);
    const lcm = (c: StoredChat) => c.lastCustomerMessageAt;
    for (const status of ["opened", "new"])
      for (const [order, offset] of [
        ["asc", 0],
        ["asc", 100],
        ["desc", 100],
        ["desc", 20_000],
      ] as const) {
        const t = performance.now();
        const page = await searchedPage(sb, status, order, offset);
        const took = performance.now() - t;
        expect(page, `${status} ${order} ${offset}`).toEqual(expectedPage(sb, (c) => c.status === status, lcm, order, offset));
        expect(page.ids).toHaveLength(100);
        if (process.env.SANDBOX_TIMINGS) console.error(`search ${status} ${order} offset ${offset}: ${took.toFixed(1)} ms`);
      }
    if (process.env.SANDBOX_TIMINGS) console.error(`seeded 100,000 open chats in ${seeded.toFixed(0)} ms`);
  }, 120_000);
});

describe("options", () => {
  it("refuses chatCount and openChats together", async () => {
    await expect(startSandbox({ chatCount: 10, openChats: 10 })).rejects.toThrow(/not both/);
  });
});
