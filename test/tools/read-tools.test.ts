import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Agent, Chat } from "../../src/helpcrunch/index.js";
import { listChatMessages } from "../../src/tools/list_chat_messages.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk } from "../helpers/typed-call.js";

let h: Harness;
let agents: Agent[];
let allChats: Chat[];

async function allChatsOf(statuses?: Chat["status"][]): Promise<Chat[]> {
  const out: Chat[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await h.api.listChats({ offset, limit: 100 });
    out.push(...page.data);
    if (offset + 100 >= page.total) break;
  }
  return statuses ? out.filter((c) => statuses.includes(c.status)) : out;
}

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 11 } });
  agents = await h.api.listAgents();
  allChats = await allChatsOf();
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.clearRequests());

describe("search_chats", () => {
  it("several statuses and no other filter → one OR query, honest total", async () => {
    const s = (await callOk(h, searchChats, { status: ["new", "pending"], limit: 10 })).structured;
    const searches = h.sandbox.requests.filter((q) => q.path === "/chats/search");
    expect(searches).toHaveLength(1);
    expect(searches[0]?.body).toMatchObject({ comparison: "OR" });
    expect(s.total).toBe(allChats.filter((c) => c.status === "new" || c.status === "pending").length);
    expect(s.chats.every((c) => c.status === "new" || c.status === "pending")).toBe(true);
  });

  it("several statuses with a department → one search per status, merged by sort", async () => {
    const department = allChats.find((c) => c.department)?.department as { id: number; name: string };
    const s = (await callOk(h, searchChats, { status: ["new", "opened", "pending"], department: department.id, limit: 15 })).structured;
    const searches = h.sandbox.requests.filter((q) => q.path === "/chats/search");
    expect(searches).toHaveLength(3);
    const expected = allChats.filter((c) => ["new", "opened", "pending"].includes(c.status) && c.department?.id === department.id);
    expect(s.total).toBe(expected.length);
    // UNIX seconds, newest first; a chat without a last message last.
    const times = s.chats.map((c) => c.last_message_at ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it("assignee unassigned → only chats nobody owns, with an exact total", async () => {
    const s = (await callOk(h, searchChats, { status: ["opened"], assignee: "unassigned", limit: 100 })).structured;
    expect(s.chats.every((c) => c.assignee === undefined)).toBe(true);
    expect(s.total).toBe(allChats.filter((c) => c.status === "opened" && !c.assignee).length);
    expect(s.total_exact).toBeUndefined();
  });

  it("pages without overlap and says when the last page is reached", async () => {
    const first = (await callOk(h, searchChats, { status: ["closed"], limit: 30 })).structured;
    const second = (await callOk(h, searchChats, { status: ["closed"], limit: 30, offset: first.next_offset })).structured;
    const ids = new Set(first.chats.map((c) => c.id));
    expect(second.chats.some((c) => ids.has(c.id))).toBe(false);
    const last = (await callOk(h, searchChats, { status: ["closed"], limit: 100, offset: first.total - 3 })).structured;
    expect(last.chats).toHaveLength(3);
    expect(last.next_offset).toBeNull();
  });

  it("finds a customer's chats by email and by id", async () => {
    const customer = allChats.find((c) => c.customer?.email)?.customer as { id: number; email: string };
    const expected = allChats
      .filter((c) => c.customer?.id === customer.id)
      .map((c) => c.id)
      .sort();
    for (const ref of [customer.email, customer.id]) {
      const s = (await callOk(h, searchChats, { customer: ref, limit: 100 })).structured;
      expect(s.chats.map((c) => c.id).sort(), String(ref)).toEqual(expected);
    }
  });

  it("sends dates as numbers of UNIX seconds", async () => {
    await h.call("search_chats", { created_after: "3d", status: ["new"] });
    const filter = (h.sandbox.requests[0]?.body as { filter: Array<{ field: string; value: unknown }> }).filter;
    expect(filter.find((f) => f.field === "chats.createdAt")?.value).toBeTypeOf("number");
  });

  it("resolves an assignee by name with one cached GET /agents", async () => {
    const name = agents[0]?.name as string;
    await h.call("search_chats", { assignee: name.toUpperCase() });
    await h.call("search_chats", { assignee: name });
    expect(h.sandbox.requests.filter((q) => q.path === "/agents").length).toBeLessThanOrEqual(1);
  });

  it("rejects invalid arguments before any request", async () => {
    for (const args of [{ status: ["bogus"] }, { limit: 0 }, { limit: 101 }, { offset: -1 }, { sort: "random" }]) {
      const r = await h.call("search_chats", args);
      expect(r.isError, JSON.stringify(args)).toBe(true);
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("an unknown agent name is an error listing close candidates with ids", async () => {
    const first = (agents[0]?.name ?? "").split(" ")[0] as string;
    const r = await h.call("search_chats", { assignee: `${first} Nonexistent` });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(new RegExp(`No agent matches .*Closest: .*${first}.*\\(id \\d+`));
  });

  it("an ambiguous name is an error listing the candidates, and nothing is written", async () => {
    const twin = agents[0] as Agent;
    const fresh = await startHarness({ sandbox: { seed: 11 } });
    try {
      fresh.sandbox.state.agents.set(9_999, { id: 9_999, name: twin.name as string, email: "twin@example.com", role: "agent" });
      const r = await fresh.call("assign_chat", { chat_id: allChats[0]?.id, agent: twin.name });
      expect(r.isError).toBe(true);
      expect(fresh.text(r)).toMatch(/matches 2 agents: .*\(id 9999, twin@example.com\)\. Pass the id instead\.$/);
      expect(fresh.writes()).toHaveLength(0);
    } finally {
      await fresh.close();
    }
  });
});

describe("get_chat and list_chat_messages", () => {
  it("not found → one actionable sentence", async () => {
    const r = await h.call("get_chat", { chat_id: 987_654_321 });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toBe("Chat 987654321 not found. Use search_chats to find the id.");
  });

  it("hides system events by default and private notes on request", async () => {
    const chat = allChats[0] as Chat;
    const all = (await callOk(h, listChatMessages, { chat_id: chat.id, limit: 100, include_system: true })).structured;
    const plain = (await callOk(h, listChatMessages, { chat_id: chat.id, limit: 100, include_private: false })).structured;
    expect(plain.messages.some((m) => m.type === "private" || m.type === "tech")).toBe(false);
    expect(plain.messages.length).toBe(all.messages.filter((m) => m.type !== "private" && m.type !== "tech").length);
  });

  it("fences customer text in the text output", async () => {
    const r = await h.call("get_chat", { chat_id: (allChats.find((c) => c.lastCustomerMessageAt) as Chat).id, messages: 10 });
    expect(h.text(r)).toMatch(/customer: <customer_message>[^<>]*<\/customer_message>/);
  });
});
