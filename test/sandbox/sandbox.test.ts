/** The sandbox behaves like HelpCrunch: data, auth, search semantics, validation, writes, faults. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";

let sb: SandboxHandle;
const call = async (method: string, path: string, body?: unknown, key = sb.apiKey) => {
  const res = await fetch(`${sb.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as { data: Array<Record<string, unknown>>; meta: { total: number }; errors?: Array<{ code: string }> } & Record<string, unknown> };
};
const search = (filter: unknown[], extra: Record<string, unknown> = {}) => call("POST", "/chats/search", { filter, limit: 100, ...extra });
const chats = () => [...sb.state.chats.values()];
const sec = (ms: number) => Math.floor(ms / 1000);

beforeAll(async () => {
  sb = await startSandbox({ seed: 42 });
});
afterAll(() => sb.stop());
beforeEach(() => sb.clearFaults());

describe("demo data", () => {
  it("is deterministic per seed and rich enough", async () => {
    const again = await startSandbox({ seed: 42 });
    const other = await startSandbox({ seed: 43 });
    const texts = (s: SandboxHandle) => [...s.state.chats.values()].map((c) => `${c.status}${c.lastMessageText}`);
    expect(texts(again)).toEqual(texts(sb));
    expect(texts(other)).not.toEqual(texts(sb));
    await Promise.all([again.stop(), other.stop()]);
    expect(sb.state.chats.size).toBeGreaterThanOrEqual(300);
    expect(new Set(chats().map((c) => c.status))).toEqual(new Set(["new", "opened", "pending", "onhold", "no communication", "closed", "empty"]));
    expect(sb.state.agents.size).toBeGreaterThanOrEqual(8);
    expect(sb.state.departments.size).toBeGreaterThanOrEqual(4);
    expect(sb.state.customers.size).toBeGreaterThanOrEqual(150);
    expect(sb.state.applications.size).toBe(2);
    expect(chats().some((c) => c.snoozedUntil !== null && c.snoozedUntil < Date.now())).toBe(true);
    expect(chats().some((c) => c.snoozedUntil !== null && c.snoozedUntil > Date.now())).toBe(true);
    expect(chats().some((c) => !c.readByAgent)).toBe(true);
  });

  it("yields ≥ 500 open chats with chatCount 900", async () => {
    const big = await startSandbox({ chatCount: 900 });
    expect([...big.state.chats.values()].filter((c) => ["new", "opened", "pending", "onhold"].includes(c.status)).length).toBeGreaterThanOrEqual(500);
    await big.stop();
  });
});

describe("auth and envelopes", () => {
  it("rejects a wrong key with 401 invalid_token", async () => {
    const r = await call("GET", "/agents", undefined, "nope");
    expect(r.status).toBe(401);
    expect(r.json.errors?.[0]?.code).toBe("invalid_token");
  });

  it("wraps lists in {data, meta:{total}} and messages in {data, total}", async () => {
    const agents = await call("GET", "/agents?limit=3&offset=2");
    expect(agents.json.data).toHaveLength(3);
    expect(agents.json.meta.total).toBe(sb.state.agents.size);
    const chatId = chats()[10]?.id;
    const messages = await call("GET", `/chats/${chatId}/messages`);
    expect(messages.json.total).toBe(sb.state.messages.get(chatId as number)?.length);
  });
});

describe("search semantics", () => {
  const dept = 1;
  it.each([
    ["=", (v: number | null) => v === dept],
    ["!=", (v: number | null) => v !== dept],
  ])("department %s", async (operator, expected) => {
    const r = await search([{ field: "chats.department", operator, value: dept }]);
    expect(r.json.meta.total).toBe(chats().filter((c) => expected(c.departmentId)).length);
  });

  it.each([">", "<", ">=", "<="])("createdAt %s (numbers only)", async (operator) => {
    const pivot = sec(chats()[50]?.createdAt as number);
    const cmp = { ">": (a: number) => a > pivot, "<": (a: number) => a < pivot, ">=": (a: number) => a >= pivot, "<=": (a: number) => a <= pivot }[operator] as (a: number) => boolean;
    const r = await search([{ field: "chats.createdAt", operator, value: pivot }]);
    expect(r.json.meta.total).toBe(chats().filter((c) => cmp(sec(c.createdAt))).length);
  });

  it("~ and !~ match substrings case-insensitively", async () => {
    const has = await search([{ field: "chats.customer.email", operator: "~", value: "EXAMPLE.COM" }]);
    const hasNot = await search([{ field: "chats.customer.email", operator: "!~", value: "example.com" }]);
    expect(has.json.meta.total + hasNot.json.meta.total).toBe(sb.state.chats.size);
    expect(has.json.meta.total).toBeGreaterThan(0);
  });

  it("AND narrows, OR widens", async () => {
    const statusNew = { field: "chats.status", operator: "=", value: "new" };
    const statusPending = { field: "chats.status", operator: "=", value: "pending" };
    const inBilling = { field: "chats.department", operator: "=", value: 1 };
    const and = await search([statusNew, inBilling]);
    const or = await search([statusNew, statusPending], { comparison: "OR" });
    expect(and.json.meta.total).toBe(chats().filter((c) => c.status === "new" && c.departmentId === 1).length);
    expect(or.json.meta.total).toBe(chats().filter((c) => c.status === "new" || c.status === "pending").length);
  });

  it("accepts status names in any spelling and numeric codes", async () => {
    const expected = chats().filter((c) => c.status === "onhold").length;
    for (const value of ["onhold", "on hold", "On-Hold", "4"]) {
      expect((await search([{ field: "chats.status", operator: "=", value }])).json.meta.total, value).toBe(expected);
    }
  });

  it("sorts asc/desc with ties by id, and pages with honest totals", async () => {
    const filter = [{ field: "chats.status", operator: "=", value: "closed" }];
    const desc = await search(filter, { sort: "chats.closedAt", order: "DESC" });
    const values = desc.json.data.map((c) => Number(c.closedAt));
    expect(values).toEqual([...values].sort((a, b) => b - a));
    const first = await search(filter, { sort: "chats.createdAt", order: "asc", limit: 10, offset: 0 });
    const second = await search(filter, { sort: "chats.createdAt", order: "asc", limit: 10, offset: 10 });
    const all = await search(filter, { sort: "chats.createdAt", order: "asc", limit: 20 });
    expect([...first.json.data, ...second.json.data].map((c) => c.id)).toEqual(all.json.data.map((c) => c.id));
    expect(first.json.meta.total).toBe(chats().filter((c) => c.status === "closed").length);
  });

  it.each([
    [[{ field: "chats.createdAt", operator: ">", value: "1700000000" }], {}, "filter[0].value"],
    [[{ field: "chats.department", operator: "=", value: 1 }], { limit: 101 }, "limit"],
    [[], {}, "filter[0].field"],
    [[{ field: "chats.nonsense", operator: "=", value: 1 }], {}, "filter[0].field"],
    [[{ field: "chats.department", operator: "~", value: 1 }], {}, "filter[0].operator"],
    [[{ field: "chats.department", operator: "=", value: 1 }], { sort: "chats.random" }, "sort"],
  ])("validation: %j %j → 400 %s", async (filter, extra, code) => {
    const r = await search(filter as unknown[], extra);
    expect(r.status).toBe(400);
    expect(r.json.errors?.map((e) => e.code)).toEqual(["invalid_request", code]);
  });
});

describe("writes change state", () => {
  it("assign, unassign, snooze, status spellings, department, and 404s", async () => {
    const id = chats().find((c) => c.status === "opened")?.id as number;
    expect((await call("PUT", "/chats/assignee", { id, assignee: 3 })).json.assignee).toMatchObject({ id: 3 });
    expect((await call("PUT", "/chats/assignee", { id, assignee: null })).json.assignee).toBeNull();
    expect((await call("PUT", "/chats/assignee", { id, assignee: 999 })).json.errors?.[0]?.code).toBe("invalid_chat_value");
    expect((await call("PUT", "/chats/snooze", { id, snoozedUntil: 1_900_000_000 })).json.snoozedUntil).toBe("1900000000.000");
    for (const status of ["on hold", "on-hold", "onhold"]) expect((await call("PUT", "/chats/status", { id, status })).status).toBe(200);
    expect(sb.state.chats.get(id)?.status).toBe("onhold");
    expect((await call("PUT", "/chats/status", { id, status: "empty" })).json.errors?.[0]?.code).toBe("invalid_chat_value");
    expect((await call("PUT", "/chats/department", { id, department: 3 })).json.department).toMatchObject({ id: 3, name: "Sales" });
    expect((await call("GET", "/chats/1")).json.errors?.[0]?.code).toBe("chat_not_found");
  });

  it("creates chats (201, empty) and messages; a message without agent is the customer's", async () => {
    const created = await call("POST", "/chats", { customer: 4_001, application: 1 });
    expect(created.status).toBe(201);
    expect(created.json.status).toBe("empty");
    const id = created.json.id as number;
    const asCustomer = await call("POST", "/messages", { chat: id, text: "who wrote this?", type: "message" });
    expect(asCustomer.json.from).toBe("customer");
    const note = await call("POST", "/messages", { chat: id, text: "internal", agent: 2, type: "private" });
    expect(note.json.from).toBe("agent");
    expect(sb.state.chats.get(id)?.lastMessageText).toBe("who wrote this?");
    expect((await call("POST", "/messages", { chat: id, text: "x", agent: 999, type: "message" })).json.errors?.[0]?.code).toBe("entity_not_found");
  });
});

describe("faults and limits", () => {
  it("injects status, delay, reset, malformed JSON, HTML and lost responses", async () => {
    sb.addFault({ path: "/agents", fault: { type: "status", status: 503, retryAfter: 2 } });
    const res = await fetch(`${sb.url}/agents`, { headers: { authorization: `Bearer ${sb.apiKey}` } });
    expect([res.status, res.headers.get("retry-after")]).toEqual([503, "2"]);
    sb.addFault({ path: "/agents", fault: { type: "reset" } });
    await expect(call("GET", "/agents")).rejects.toThrow();
    sb.addFault({ path: "/agents", fault: { type: "malformed-json" } });
    await expect(call("GET", "/agents")).rejects.toThrow(SyntaxError);
    sb.addFault({ path: "/agents", fault: { type: "html", status: 502 } });
    const html = await fetch(`${sb.url}/agents`, { headers: { authorization: `Bearer ${sb.apiKey}` } });
    expect(await html.text()).toMatch(/<html>/);
    const id = chats()[20]?.id as number;
    sb.addFault({ method: "PUT", path: "/chats/assignee", fault: { type: "lose-response" } });
    await expect(call("PUT", "/chats/assignee", { id, assignee: 5 })).rejects.toThrow();
    expect(sb.state.chats.get(id)?.assigneeId).toBe(5);
  });

  it("rate-limits per rolling window with 429 too_many_requests", async () => {
    const limited = await startSandbox({ rateLimitPerMinute: 5, rateLimitWindowMs: 500 });
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${limited.url}/agents`, { headers: { authorization: `Bearer ${limited.apiKey}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    await limited.stop();
  });

  it("stops promptly with a pending delayed answer", async () => {
    const slow = await startSandbox({ faults: [{ path: "/agents", fault: { type: "delay", ms: 10_000 } }] });
    const pending = fetch(`${slow.url}/agents`, { headers: { authorization: `Bearer ${slow.apiKey}` } }).catch(() => "closed");
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await slow.stop();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await pending).toBe("closed");
  });
});
