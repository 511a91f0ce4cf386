/** The HelpCrunch client over real HTTP against the sandbox. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type HelpCrunchClient, HelpCrunchError, createClient } from "../../src/client/index.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";

const KEY = "hc-test-key-DISTINCTIVE-42f1";
let sandbox: SandboxHandle;
let client: HelpCrunchClient;
const warnings: string[] = [];
const errorsSeen: string[] = [];

async function failure(promise: Promise<unknown>): Promise<HelpCrunchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HelpCrunchError);
  errorsSeen.push((error as Error).message);
  return error as HelpCrunchError;
}

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, seed: 17 });
  client = createClient({ baseUrl: sandbox.url, apiKey: KEY, retryBaseDelayMs: 5, timeoutMs: 1_000, onWarning: (w) => warnings.push(w) });
});
afterAll(async () => {
  await client.close();
  await sandbox.stop();
});
afterEach(() => {
  sandbox.clearFaults();
  sandbox.clearRequests();
});

describe("every method", () => {
  it("reads chats, messages, team, customers and applications", async () => {
    const page = await client.listChats({ limit: 5, sort: "chats.createdAt", order: "desc" });
    expect(page.data).toHaveLength(5);
    expect(page.total).toBe(sandbox.state.chats.size);
    const chat = await client.getChat(page.data[0]?.id as number);
    expect(chat.id).toBe(page.data[0]?.id);
    const messages = await client.listChatMessages(chat.id, { limit: 3 });
    expect(messages.total).toBe(sandbox.state.messages.get(chat.id)?.length ?? 0);
    const times = messages.data.map((m) => m.createdAt ?? 0);
    expect(times).toEqual([...times].sort((a, b) => b - a)); // newest first
    expect((await client.listAgents()).length).toBe(sandbox.state.agents.size);
    expect((await client.listDepartments()).length).toBe(sandbox.state.departments.size);
    expect((await client.listApplications()).map((a) => a.id)).toEqual([1, 2]);
    const customerId = chat.customer?.id as number;
    expect((await client.getCustomer(customerId)).id).toBe(customerId);
    const email = sandbox.state.customers.get(customerId)?.email ?? "x@example.com";
    expect((await client.searchCustomers({ filters: [{ field: "customers.email", operator: "=", value: email }] })).data[0]?.id).toBe(customerId);
  });

  it("searches chats by status with the documented body", async () => {
    const page = await client.searchChats({ statuses: ["pending"], filters: [{ field: "chats.department", operator: "=", value: 1 }], limit: 10 });
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

  it("writes: snooze (integer seconds), status, assignee, department, create chat, create message", async () => {
    const chat = [...sandbox.state.chats.values()].find((c) => c.status === "opened") as { id: number; customerId: number };
    const until = Date.now() + 3_600_000;
    const snoozed = await client.snoozeChat(chat.id, until);
    expect(snoozed.snoozedUntil).toBe(Math.floor(until / 1000) * 1000);
    expect((sandbox.requests.at(-1)?.body as { snoozedUntil: unknown }).snoozedUntil).toBe(Math.floor(until / 1000));
    expect((await client.snoozeChat(chat.id, null)).snoozedUntil).toBeNull();
    expect((await client.setChatStatus(chat.id, "pending")).status).toBe("pending");
    expect((await client.setChatAssignee(chat.id, 3)).assignee?.id).toBe(3);
    expect((await client.setChatAssignee(chat.id, null)).assignee).toBeNull();
    expect((await client.setChatDepartment(chat.id, 2)).department?.id).toBe(2);
    const created = await client.createChat({ customer: chat.customerId, application: 1 });
    expect(created.status).toBe("empty");
    const message = await client.createMessage({ chat: created.id, text: "hello", agent: 1, type: "message" });
    expect(message.from).toBe("agent");
    expect((await client.getChat(created.id)).status).toBe("opened");
  });
});

describe("liberal parsing", () => {
  it("reads every timestamp encoding the sandbox serves as the same epoch ms", async () => {
    const raw = await fetch(`${sandbox.url}/chats?limit=30`, { headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.json() as Promise<{ data: Array<{ id: number; createdAt: unknown }> }>);
    const kinds = new Set(raw.data.map((c) => (typeof c.createdAt === "number" ? "int" : String(c.createdAt).includes(".") ? "millis" : "string")));
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
});

describe("errors and retries", () => {
  it("maps 400 with field-path codes, 401, 404 and 429", async () => {
    const bad = await failure(client.searchChats({ filters: [{ field: "chats.createdAt", operator: ">", value: "yesterday" }] }));
    expect(bad.status).toBe(400);
    expect(bad.code).toBe("filter[0].value");
    expect(bad.message).toMatch(/filter\[0\]\.value: This value should be of type numeric/);
    const wrongKey = createClient({ baseUrl: sandbox.url, apiKey: "wrong-key-123456" });
    const unauthorized = await failure(wrongKey.getChat(1));
    await wrongKey.close();
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.message).toMatch(/HELPCRUNCH_API_KEY/);
    const missing = await failure(client.getChat(1));
    expect(missing).toMatchObject({ status: 404, code: "chat_not_found" });
    sandbox.clearRequests();
    sandbox.addFault({ path: "/agents", times: 10, fault: { type: "status", status: 429 } });
    const limited = await failure(client.listAgents());
    expect(limited.status).toBe(429);
    expect(sandbox.requests).toHaveLength(4); // 1 + 3 retries
  });

  it("retries after 429 honouring Retry-After", async () => {
    sandbox.addFault({ path: "/agents", fault: { type: "status", status: 429, retryAfter: 1 } });
    await client.listAgents();
    const [first, second] = sandbox.requests;
    expect(sandbox.requests).toHaveLength(2);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("retries a 503 then succeeds", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 503 } });
    expect(await client.listApplications()).toHaveLength(2);
    expect(sandbox.requests.map((r) => r.status)).toEqual([503, 200]);
  });

  it("never retries create chat or create message", async () => {
    sandbox.addFault({ method: "POST", path: "/chats", fault: { type: "status", status: 503 } });
    await failure(client.createChat({ customer: 4_010, application: 1 }));
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "status", status: 503 } });
    const chat = [...sandbox.state.chats.keys()][0] as number;
    await failure(client.createMessage({ chat, text: "x", agent: 1, type: "private" }));
    expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /chats 503", "POST /messages 503"]);
  });

  it("flags a lost answer to a non-idempotent write as outcome unknown", async () => {
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "lose-response" } });
    const chat = [...sandbox.state.chats.keys()][1] as number;
    const before = sandbox.state.messages.get(chat)?.length ?? 0;
    const lost = await failure(client.createMessage({ chat, text: "x", agent: 1, type: "private" }));
    expect(lost.outcomeUnknown).toBe(true);
    expect(sandbox.state.messages.get(chat)?.length).toBe(before + 1);
    expect(sandbox.requests).toHaveLength(1);
  });

  it("times out with a clear error, retrying reads", async () => {
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "delay", ms: 1_500 } });
    const timeout = await failure(client.listApplications());
    expect(timeout.kind).toBe("timeout");
    expect(timeout.message).toMatch(/did not answer within/);
    expect(sandbox.requests).toHaveLength(4);
  });

  it("turns malformed JSON and HTML pages into clear errors", async () => {
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "malformed-json" } });
    expect((await failure(client.listApplications())).message).toMatch(/non-JSON answer/);
    sandbox.clearFaults();
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "html", status: 502 } });
    const html = await failure(client.listApplications());
    expect(html.message).toBe("HelpCrunch is having trouble (HTTP 502); try again shortly.");
  });

  it("names the field when a 2xx answer does not parse", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 200, body: { data: [{ id: "abc" }] } } });
    const parse = await failure(client.listApplications());
    expect(parse.kind).toBe("parse");
    expect(parse.message).toMatch(/data\[0\]\.id/);
  });

  it("guards status searches: drops chats with other statuses and warns once", async () => {
    const coded = createClient({ baseUrl: sandbox.url, apiKey: KEY, statusFilterEncoding: "name", onWarning: (w) => warnings.push(w) });
    const opened = [...sandbox.state.chats.values()].find((c) => c.status === "opened");
    sandbox.addFault({ path: "/chats/search", times: 2, fault: { type: "status", status: 200, body: { data: [{ id: opened?.id, status: "closed" }, { id: 99, status: "opened" }], meta: { total: 2 } } } });
    const page = await coded.searchChats({ statuses: ["opened"] });
    await coded.searchChats({ statuses: ["opened"] });
    await coded.close();
    expect(page.data.map((c) => c.id)).toEqual([99]);
    expect(page.rawCount).toBe(2);
    expect(warnings.filter((w) => w.includes("HELPCRUNCH_STATUS_FILTER"))).toHaveLength(1);
  });

  it("falls back through on-hold spellings and remembers the one that worked", async () => {
    const chat = [...sandbox.state.chats.values()].find((c) => c.status === "opened")?.id as number;
    sandbox.addFault({ method: "PUT", path: "/chats/status", fault: { type: "status", status: 400, body: { errors: [{ code: "invalid_chat_value", message: "status value is invalid" }] } } });
    expect((await client.setChatStatus(chat, "onhold")).status).toBe("onhold");
    await client.setChatStatus(chat, "onhold");
    expect(sandbox.requests.map((r) => (r.body as { status: string }).status)).toEqual(["on hold", "onhold", "onhold"]);
  });

  it("never puts the API key in an error message", () => {
    expect(errorsSeen.length).toBeGreaterThan(10);
    for (const message of errorsSeen) expect(message).not.toContain(KEY);
  });
});

describe("rate limiting", () => {
  it("spreads 200 calls so a sandbox at 120 per window returns no 429", async () => {
    const limited = await startSandbox({ rateLimitPerMinute: 120, rateLimitWindowMs: 1_000 });
    const fast = createClient({ baseUrl: limited.url, apiKey: limited.apiKey, rateLimitPerMinute: 120, rateLimitWindowMs: 1_000, maxConcurrency: 8, retryBaseDelayMs: 5 });
    await Promise.all(Array.from({ length: 200 }, () => fast.listApplications()));
    expect(limited.requests).toHaveLength(200);
    expect(limited.requests.filter((r) => r.status === 429)).toHaveLength(0);
    const span = (limited.requests.at(-1)?.at ?? 0) - (limited.requests[0]?.at ?? 0);
    expect(span).toBeGreaterThanOrEqual(1_000);
    await fast.close();
    await limited.stop();
  });

  it("the same burst without the client limiter earns 429s (the test can fail)", async () => {
    const limited = await startSandbox({ rateLimitPerMinute: 120, rateLimitWindowMs: 1_000 });
    const unlimited = createClient({ baseUrl: limited.url, apiKey: limited.apiKey, rateLimitPerMinute: 100_000, maxConcurrency: 8, maxRetries: 0 });
    await Promise.allSettled(Array.from({ length: 200 }, () => unlimited.listApplications()));
    expect(limited.requests.filter((r) => r.status === 429).length).toBeGreaterThan(0);
    await unlimited.close();
    await limited.stop();
  });

  it("keeps at most maxConcurrency requests in flight", async () => {
    sandbox.addFault({ path: "/applications", times: 20, fault: { type: "delay", ms: 50 } });
    const slow = createClient({ baseUrl: sandbox.url, apiKey: KEY, maxConcurrency: 2, timeoutMs: 2_000 });
    await Promise.all(Array.from({ length: 8 }, () => slow.listApplications()));
    await slow.close();
    const arrivals = sandbox.requests.map((r) => r.at);
    const maxInWindow = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 45).length));
    expect(maxInWindow).toBeLessThanOrEqual(2);
  });
});
