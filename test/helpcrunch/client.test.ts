/** The HelpCrunch client over real HTTP against the sandbox: every method, what is sent, what is read. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { collectAll, createClient, type HelpCrunchClient, paginate } from "../../src/helpcrunch/index.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { errorsSeen, expectNoKey, failure, KEY, send } from "./helpers.js";

let sandbox: SandboxHandle;
let client: HelpCrunchClient;
const warnings: string[] = [];

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, seed: 17 });
  // Names, as this sandbox speaks: the exact bodies below are not disturbed by dialect probes (dialect.test.ts).
  client = createClient({
    baseUrl: sandbox.url,
    apiKey: KEY,
    retryBaseDelayMs: 5,
    timeoutMs: 1_000,
    statusFilter: "name",
    onWarning: (w) => warnings.push(w),
  });
});
afterAll(async () => {
  await client.close();
  await sandbox.stop();
});
afterEach(() => {
  sandbox.clearFaults();
  sandbox.clearRequests();
});

const chatWithStatus = (status: string) => {
  const chat = [...sandbox.state.chats.values()].find((c) => c.status === status);
  if (!chat) throw new Error(`seed has no ${status} chat`);
  return chat;
};

describe("every method", () => {
  it("reads chats, messages, team, customers and applications", async () => {
    const page = await client.listChats({ limit: 5, sort: "chats.createdAt", order: "desc" });
    expect(page.data).toHaveLength(5);
    expect(page.total).toBe(sandbox.state.chats.size);
    expect(sandbox.requests[0]?.query).toEqual({ offset: "0", limit: "5", sort: "chats.createdAt", order: "desc" });
    const chat = await client.getChat(page.data[0]?.id as number);
    expect(chat.id).toBe(page.data[0]?.id);
    const messages = await client.listChatMessages(chat.id, { limit: 3 });
    expect(messages.total).toBe(sandbox.state.messages.get(chat.id)?.length ?? 0);
    const times = messages.data.map((m) => m.createdAt ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a)); // newest first, as HelpCrunch sends them
    expect((await client.listAgents()).map((a) => a.id).sort()).toEqual([...sandbox.state.agents.keys()].sort());
    expect((await client.listDepartments()).length).toBe(sandbox.state.departments.size);
    expect((await client.listApplications()).map((a) => a.id)).toEqual([1, 2]);
    const customerId = chat.customer?.id as number;
    expect((await client.getCustomer(customerId)).id).toBe(customerId);
    const email = sandbox.state.customers.get(customerId)?.email ?? "x@example.com";
    const customers = await client.searchCustomers({ filters: [{ field: "customers.email", operator: "=", value: email }], limit: 500 });
    expect(customers.data[0]?.id).toBe(customerId);
    expect(sandbox.requests.at(-1)?.body).toEqual({
      filter: [{ field: "customers.email", operator: "=", value: email }],
      comparison: "AND",
      sort: "customers.lastSeen",
      order: "desc",
      offset: 0,
      limit: 100, // clamped
    });
  });

  it("searches chats by one status ANDed with other filters, with the documented body", async () => {
    const page = await client.searchChats({
      statuses: ["pending"],
      filters: [{ field: "chats.department", operator: "=", value: 1 }],
      limit: 10,
    });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((c) => c.status === "pending" && c.department?.id === 1)).toBe(true);
    expect(sandbox.requests[0]?.body).toEqual({
      filter: [
        { field: "chats.status", operator: "=", value: "pending" },
        { field: "chats.department", operator: "=", value: 1 },
      ],
      comparison: "AND",
      sort: "chats.lastMessageAt",
      order: "desc",
      offset: 0,
      limit: 10,
    });
  });

  it("several statuses alone become one OR query", async () => {
    const page = await client.searchChats({ statuses: ["new", "opened"], limit: 100 });
    expect(new Set(page.data.map((c) => c.status))).toEqual(new Set(["new", "opened"]));
    expect(sandbox.requests[0]?.body).toMatchObject({
      filter: [
        { field: "chats.status", operator: "=", value: "new" },
        { field: "chats.status", operator: "=", value: "opened" },
      ],
      comparison: "OR",
    });
  });

  it("writes: snooze (integer seconds), status, assignee, department, create chat, create message", async () => {
    const chat = chatWithStatus("opened");
    const until = Date.now() + 3_600_500;
    const snoozed = await send(client, client.prepare.snooze(chat.id, until));
    expect(snoozed.snoozedUntil).toBe(Math.floor(until / 1000) * 1000);
    expect(sandbox.requests.at(-1)?.body).toEqual({ id: chat.id, snoozedUntil: Math.floor(until / 1000) });
    expect((await send(client, client.prepare.snooze(chat.id, null))).snoozedUntil).toBeNull();
    expect(sandbox.requests.at(-1)?.body).toEqual({ id: chat.id, snoozedUntil: null });
    expect((await send(client, client.prepare.setStatus(chat.id, "pending"))).status).toBe("pending");
    expect(sandbox.requests.at(-1)?.body).toEqual({ id: chat.id, status: "pending" });
    expect((await send(client, client.prepare.setAssignee(chat.id, 3))).assignee?.id).toBe(3);
    expect((await send(client, client.prepare.setAssignee(chat.id, null))).assignee).toBeNull();
    expect(sandbox.requests.at(-1)?.body).toEqual({ id: chat.id, assignee: null });
    expect((await send(client, client.prepare.setDepartment(chat.id, 2))).department?.id).toBe(2);
    expect(sandbox.requests.at(-1)?.body).toEqual({ id: chat.id, department: 2 });
    const created = await send(client, client.prepare.createChat({ customer: chat.customerId, application: 1 }));
    expect(created.status).toBe("empty");
    expect(sandbox.requests.at(-1)?.body).toEqual({ customer: chat.customerId, application: 1 });
    const message = await send(client, client.prepare.createMessage({ chat: created.id, text: "hello", agent: 1, type: "message" }));
    expect(message.from).toBe("agent");
    expect(sandbox.requests.at(-1)?.body).toEqual({ chat: created.id, text: "hello", agent: 1, type: "message" });
    expect((await client.getChat(created.id)).status).toBe("opened");
    expect(sandbox.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "PUT /chats/snooze",
      "PUT /chats/snooze",
      "PUT /chats/status",
      "PUT /chats/assignee",
      "PUT /chats/assignee",
      "PUT /chats/department",
      "POST /chats",
      "POST /messages",
      `GET /chats/${created.id}`,
    ]);
  });

  it("creates a chat with assignee and department when given", async () => {
    const customer = [...sandbox.state.customers.keys()][0] as number;
    const chat = await send(client, client.prepare.createChat({ customer, application: 2, assignee: 3, department: 1 }));
    expect(sandbox.requests.at(-1)?.body).toEqual({ customer, application: 2, assignee: 3, department: 1 });
    expect([chat.assignee?.id, chat.department?.id]).toEqual([3, 1]);
  });
});

describe("what goes on the wire", () => {
  it("sends the key as a Bearer token, JSON headers, and Content-Type only with a body", async () => {
    await client.getChat([...sandbox.state.chats.keys()][0] as number);
    await client.searchChats({ statuses: ["new"], limit: 1 });
    const [get, post] = sandbox.requests;
    expect(get?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: "application/json", "user-agent": "helpcrunch-mcp" });
    expect(get?.headers["content-type"]).toBeUndefined();
    expect(post?.headers).toMatchObject({ authorization: `Bearer ${KEY}`, accept: "application/json", "content-type": "application/json" });
  });

  it("accepts a base URL with a trailing slash", async () => {
    const slashed = createClient({ baseUrl: `${sandbox.url}/`, apiKey: KEY });
    expect(await slashed.listApplications()).toHaveLength(2);
    await slashed.close();
    expect(sandbox.requests[0]?.path).toBe("/applications");
  });
});

describe("liberal parsing", () => {
  it("reads every timestamp encoding the sandbox serves as the same epoch ms", async () => {
    const raw = await fetch(`${sandbox.url}/chats?limit=30`, { headers: { authorization: `Bearer ${KEY}` } }).then(
      (r) => r.json() as Promise<{ data: Array<{ id: number; createdAt: unknown }> }>,
    );
    const kinds = new Set(
      raw.data.map((c) => (typeof c.createdAt === "number" ? "int" : String(c.createdAt).includes(".") ? "millis" : "string")),
    );
    expect(kinds).toEqual(new Set(["int", "string", "millis"]));
    const parsed = await client.listChats({ limit: 30 });
    for (const chat of parsed.data) {
      expect(chat.createdAt).toBe(Math.floor((sandbox.state.chats.get(chat.id)?.createdAt as number) / 1000) * 1000);
    }
  });

  it("normalises 'on hold' to onhold", async () => {
    const page = await client.searchChats({ statuses: ["onhold"], limit: 100 });
    expect(page.data.length).toBeGreaterThan(0);
    expect(page.data.every((c) => c.status === "onhold")).toBe(true);
  });

  it("names the field when a 2xx answer does not parse", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 200, body: { data: [{ id: 1 }, { id: "abc" }] } } });
    const error = await failure(client.listApplications());
    expect(error).toMatchObject({
      kind: "parse",
      message: "Unexpected HelpCrunch answer for GET /applications: data[1].id: not an integer id.",
    });
    sandbox.addFault({ path: "/departments", fault: { type: "status", status: 200, body: { data: [{ id: 1, name: ["not", "text"] }] } } });
    const parse = await failure(client.listDepartments());
    expect(parse.message).toBe("Unexpected HelpCrunch answer for GET /departments: data[0].name: Invalid input.");
  });

  it("one unreadable timestamp costs that field (null and one warning), not the page", async () => {
    const chat = [...sandbox.state.chats.keys()][0] as number;
    sandbox.addFault({
      path: `/chats/${chat}`,
      fault: { type: "status", status: 200, body: { id: chat, createdAt: "yesterday", lastMessageAt: 1e20 } },
    });
    warnings.length = 0;
    const read = await client.getChat(chat);
    expect([read.id, read.createdAt, read.lastMessageAt]).toEqual([chat, null, null]);
    expect(warnings).toEqual([
      `HelpCrunch's answer to GET /chats/${chat} had 2 unreadable field(s), shown as unknown (not a UNIX timestamp: "yesterday", …).`,
    ]);
  });
});

describe("paging over HTTP", () => {
  it("paginate walks GET /chats to the reported total, 50 at a time", async () => {
    const seen: number[] = [];
    for await (const page of paginate((offset, limit) => client.listChats({ offset, limit }), { pageSize: 50 }))
      seen.push(...page.map((c) => c.id));
    expect(new Set(seen).size).toBe(sandbox.state.chats.size);
    expect(sandbox.requests.map((r) => r.query.offset)).toEqual(
      Array.from({ length: Math.ceil(sandbox.state.chats.size / 50) }, (_, i) => String(i * 50)),
    );
  });

  it("listAgents follows pages when HelpCrunch sends no total", async () => {
    const agents = [...sandbox.state.agents.values()].map((a) => ({ id: a.id, name: a.name }));
    const full = Array.from({ length: 100 }, (_, i) => ({ id: 1_000 + i, name: `Agent ${i}` }));
    sandbox.addFault({ path: "/agents", fault: { type: "status", status: 200, body: { data: full } } });
    sandbox.addFault({ path: "/agents", fault: { type: "status", status: 200, body: { data: agents } } }); // rules apply in turn
    expect(await client.listAgents()).toHaveLength(100 + agents.length);
    expect(sandbox.requests.map((r) => r.query.offset)).toEqual(["0", "100"]);
  });

  it("collectAll gathers every message of a chat", async () => {
    const [chatId, messages] = [...sandbox.state.messages.entries()].sort((a, b) => b[1].length - a[1].length)[0] as [number, unknown[]];
    const all = await collectAll((offset, limit) => client.listChatMessages(chatId, { offset, limit }), { pageSize: 3 });
    expect(all).toHaveLength(messages.length);
  });
});

describe("status guard and on-hold spelling", () => {
  it("drops chats with other statuses than asked for, keeps rawCount, and warns once per client", async () => {
    const own: string[] = [];
    const guarded = createClient({ baseUrl: sandbox.url, apiKey: KEY, statusFilter: "name", onWarning: (w) => own.push(w) });
    const opened = chatWithStatus("opened");
    const wrong = {
      data: [
        { id: opened.id, status: "closed" },
        { id: 99, status: "Open" },
        { id: 98, status: "archived" },
      ],
      meta: { total: 3 },
    };
    sandbox.addFault({ path: "/chats/search", times: 2, fault: { type: "status", status: 200, body: wrong } });
    const page = await guarded.searchChats({ statuses: ["opened"] });
    await guarded.searchChats({ statuses: ["opened"] });
    await guarded.close();
    expect(page.data.map((c) => c.id)).toEqual([99]);
    expect(page.rawCount).toBe(3);
    expect(page.total).toBe(3);
    expect(own).toHaveLength(1);
    expect(own[0]).toMatch(/doctor/);
    expect(own[0]).not.toContain(KEY);
  });

  it("a forced code filter on an account that takes names finds no code, sends names, and stays right", async () => {
    const coded = createClient({ baseUrl: sandbox.url, apiKey: KEY, statusFilter: "code" });
    const page = await coded.searchChats({ statuses: ["opened"], limit: 100 });
    const report = coded.dialect();
    await coded.close();
    expect(report.statusFilter.encoding).toBe("unknown");
    expect(report.statusFilter.evidence.join("\n")).toMatch(/no code tried found them/);
    const stored = [...sandbox.state.chats.values()].filter((c) => c.status === "opened").length;
    expect(page.total).toBe(stored);
    expect(page.data.every((c) => c.status === "opened")).toBe(true);
  });

  it("no guard and no warning when no status was asked for", async () => {
    const before = warnings.length;
    const page = await client.searchChats({ filters: [{ field: "chats.department", operator: "=", value: 1 }], limit: 100 });
    expect(new Set(page.data.map((c) => c.status)).size).toBeGreaterThan(1);
    expect(page.rawCount).toBe(page.data.length);
    expect(warnings.length).toBe(before);
  });

  it("gives up with HelpCrunch's refusal when no spelling is accepted, and never falls back for other statuses", async () => {
    const chat = chatWithStatus("opened").id;
    const refused = { errors: [{ code: "invalid_chat_value", message: "status value is invalid" }] };
    const fresh = createClient({ baseUrl: sandbox.url, apiKey: KEY });
    sandbox.addFault({ method: "PUT", path: "/chats/status", times: 4, fault: { type: "status", status: 400, body: refused } });
    const error = await failure(send(fresh, fresh.prepare.setStatus(chat, "onhold")));
    expect(error.message).toBe("HelpCrunch refused the request: status value is invalid.");
    expect(sandbox.requests.map((r) => (r.body as { status: string }).status)).toEqual(["on hold", "onhold", "on-hold"]);
    await expect(send(fresh, fresh.prepare.setStatus(chat, "closed"))).rejects.toThrow(/status value is invalid/);
    expect(sandbox.requests).toHaveLength(4);
    await fresh.close();
  });
});

it("no error in this file carried the key", () => {
  expect(errorsSeen.length).toBeGreaterThanOrEqual(3);
  for (const error of errorsSeen) expectNoKey(error);
});
