/** Auth, routing, envelopes and the JSON HelpCrunch serves, inconsistencies included. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { call, codes, sec, seconds } from "./helpers.js";

let sb: SandboxHandle;
const chats = () => [...sb.state.chats.values()];
const chatWith = (status: string) => chats().find((c) => c.status === status && (sb.state.messages.get(c.id)?.length ?? 0) >= 5);

beforeAll(async () => {
  sb = await startSandbox({ seed: 7, apiKey: "test-key-123" });
});
afterAll(() => sb.stop());

describe("auth and routing", () => {
  it.each([
    ["no Authorization header", null],
    ["a wrong key", "nope"],
    ["the key in other case", "TEST-KEY-123"],
  ])("answers %s with 401 invalid_token", async (_name, key) => {
    const r = await call(sb, "GET", "/agents", undefined, key);
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ errors: [{ code: "invalid_token", message: "Invalid token" }] });
  });

  it("serves only under /v1 and answers unknown routes with 404 not_found", async () => {
    expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    for (const path of ["/nothing", "/chats/abc", "/chats/1/notes"]) {
      const r = await call(sb, "GET", path);
      expect([r.status, r.json]).toEqual([404, { errors: [{ code: "not_found", message: "Not found" }] }]);
    }
    const outside = await fetch(sb.url.replace(/\/v1$/, "/agents"), { headers: { authorization: "Bearer test-key-123" } });
    expect(outside.status).toBe(404);
    expect((await call(sb, "DELETE", "/agents")).status).toBe(404);
  });

  it("ignores a trailing slash, as HelpCrunch does on /chats/{id}/messages/", async () => {
    const chat = chatWith("opened");
    const r = await call(sb, "GET", `/chats/${chat?.id}/messages/`);
    expect(r.status).toBe(200);
    expect(r.json.total).toBe(sb.state.messages.get(chat?.id as number)?.length);
  });
});

describe("envelopes", () => {
  it("GET /chats: {data, meta:{total}}, limit 100 by default, offset and limit honoured", async () => {
    const all = await call(sb, "GET", "/chats");
    expect(all.json.data).toHaveLength(100);
    expect(all.json.meta).toEqual({ total: sb.state.chats.size });
    const page = await call(sb, "GET", "/chats?offset=98&limit=4");
    expect(page.json.data?.map((c) => c.id)).toEqual(
      all.json.data
        ?.slice(98, 100)
        .concat((await call(sb, "GET", "/chats?offset=100&limit=2")).json.data ?? [])
        .map((c) => c.id),
    );
  });

  it("GET /chats/{id} answers the bare chat with every field of the chat model; unknown → 404 chat_not_found", async () => {
    const chat = chatWith("closed");
    const r = await call(sb, "GET", `/chats/${chat?.id}`);
    expect(r.status).toBe(200);
    for (const field of [
      "id",
      "status",
      "closedBy",
      "closedAt",
      "createdAt",
      "lastMessageAt",
      "lastCustomerMessageAt",
      "snoozedUntil",
      "rating",
      "createdWith",
      "readByAgent",
      "readByCustomer",
      "lastMessageText",
      "lastMessageId",
      "applicationId",
      "lastCommunicatedAgentId",
      "agents",
      "customer",
      "assignee",
      "department",
    ]) {
      expect(r.json, field).toHaveProperty(field);
    }
    expect(r.json.id).toBe(chat?.id);
    expect(seconds(r.json.createdAt)).toBe(sec(chat?.createdAt ?? null));
    expect(Object.keys(r.json.customer as object)).toEqual(expect.arrayContaining(["id", "name", "email", "userId"]));
    for (const agent of r.json.agents as Array<Record<string, unknown>>)
      expect(Object.keys(agent).sort()).toEqual(["email", "id", "name", "role"]);
    const missing = await call(sb, "GET", "/chats/1");
    expect([missing.status, missing.json]).toEqual([404, { errors: [{ code: "chat_not_found", message: "Chat not found" }] }]);
  });

  it("GET /chats/{id}/messages: {data, total}, newest first, paged", async () => {
    const chat = chatWith("closed");
    const stored = sb.state.messages.get(chat?.id as number) ?? [];
    const r = await call(sb, "GET", `/chats/${chat?.id}/messages`);
    expect(r.json.total).toBe(stored.length);
    expect(r.json.data?.map((m) => m.id)).toEqual([...stored].reverse().map((m) => m.id));
    const second = await call(sb, "GET", `/chats/${chat?.id}/messages?offset=2&limit=2`);
    expect(second.json.data?.map((m) => m.id)).toEqual(
      [...stored]
        .reverse()
        .slice(2, 4)
        .map((m) => m.id),
    );
    expect(second.json.total).toBe(stored.length);
    expect((await call(sb, "GET", "/chats/1/messages")).json.errors?.[0]?.code).toBe("chat_not_found");
  });

  it("GET /agents and /departments: {data, meta:{total}} with offset/limit; departments list their agents", async () => {
    const agents = await call(sb, "GET", "/agents?offset=2&limit=3");
    expect(agents.json.data?.map((a) => a.id)).toEqual([...sb.state.agents.keys()].slice(2, 5));
    expect(agents.json.meta).toEqual({ total: sb.state.agents.size });
    const departments = await call(sb, "GET", "/departments");
    expect(departments.json.meta).toEqual({ total: sb.state.departments.size });
    const billing = departments.json.data?.find((d) => d.name === "Billing") as { agents: Array<{ id: number; role: string }> };
    expect(billing.agents.map((a) => a.id)).toEqual(sb.state.departments.get(1)?.agentIds);
    expect(billing.agents[0]?.role).toBeTypeOf("string");
  });

  it("GET /applications: {data:[{id, name, type}]}", async () => {
    const r = await call(sb, "GET", "/applications");
    expect(r.json).toEqual({ data: [...sb.state.applications.values()].map(({ id, name, type }) => ({ id, name, type })) });
  });

  it("customers: one bare (404 entity_not_found), the list as {data, total}", async () => {
    const customer = [...sb.state.customers.values()][5];
    const one = await call(sb, "GET", `/customers/${customer?.id}`);
    expect(one.json).toMatchObject({ id: customer?.id, name: customer?.name, email: customer?.email, userId: customer?.userId });
    expect(seconds(one.json.lastSeen)).toBe(sec(customer?.lastSeen ?? null));
    const missing = await call(sb, "GET", "/customers/1");
    expect([missing.status, missing.json]).toEqual([404, { errors: [{ code: "entity_not_found", message: "Customer not found" }] }]);
    const list = await call(sb, "GET", "/customers?limit=10&sort=customers.firstSeen&order=asc");
    expect(list.json.total).toBe(sb.state.customers.size);
    expect(list.json.meta).toBeUndefined();
    const firstSeen = list.json.data?.map((c) => seconds(c.firstSeen) as number) ?? [];
    expect(firstSeen).toEqual([...firstSeen].sort((a, b) => a - b));
  });

  it("GET lists refuse limit 101 and a negative offset with field-path codes", async () => {
    expect(codes(await call(sb, "GET", "/chats?limit=101"))).toEqual(["invalid_request", "limit"]);
    expect(codes(await call(sb, "GET", "/agents?offset=-1"))).toEqual(["invalid_request", "offset"]);
    expect(codes(await call(sb, "GET", "/chats?sort=chats.nonsense"))).toEqual(["invalid_request", "sort"]);
  });
});

describe("the JSON is as inconsistent as HelpCrunch's", () => {
  it("timestamps come as integers, strings of seconds and strings with milliseconds", async () => {
    const r = await call(sb, "GET", "/chats?limit=30");
    const createdAt = r.json.data?.map((c) => c.createdAt) ?? [];
    expect(createdAt.some((v) => typeof v === "number")).toBe(true);
    expect(createdAt.some((v) => typeof v === "string" && /^\d{10}$/.test(v))).toBe(true);
    expect(createdAt.some((v) => typeof v === "string" && /^\d{10}\.000$/.test(v))).toBe(true);
    // The encoding is a property of the record: read twice, the same.
    expect((await call(sb, "GET", "/chats?limit=30")).json.data?.map((c) => c.createdAt)).toEqual(createdAt);
    const messages = await call(sb, "GET", `/chats/${chatWith("closed")?.id}/messages`);
    for (const m of messages.json.data ?? []) expect(m.createdAt).toMatch(/^\d{10}\.\d{3}$/);
    expect(messages.json.data?.some((m) => !String(m.createdAt).endsWith(".000"))).toBe(true);
  });

  it('on hold reads back as "on hold" for some chats and "onhold" for others', async () => {
    const onhold = chats()
      .filter((c) => c.status === "onhold")
      .slice(0, 6);
    const served = await Promise.all(onhold.map((c) => call(sb, "GET", `/chats/${c.id}`)));
    expect(new Set(served.map((r) => r.json.status))).toEqual(new Set(["on hold", "onhold"]));
  });

  it("adds fields the model does not list (notes, updatedAt, customer.tagsData) on some chats only", async () => {
    const r = await call(sb, "GET", "/chats?limit=40");
    const data = r.json.data ?? [];
    expect(data.filter((c) => "notes" in c && "updatedAt" in c).length).toBeGreaterThan(0);
    expect(data.filter((c) => !("notes" in c)).length).toBeGreaterThan(0);
    expect(data.some((c) => Array.isArray((c.customer as { tagsData?: unknown } | null)?.tagsData))).toBe(true);
  });

  it("messages carry from, type, agent, read, createdAt, updatedAt, edited, broadcastType and chat", async () => {
    const chat = chatWith("closed");
    const r = await call(sb, "GET", `/chats/${chat?.id}/messages`);
    const agentMessage = r.json.data?.find((m) => m.from === "agent" && m.type === "message");
    expect(Object.keys(agentMessage ?? {}).sort()).toEqual([
      "agent",
      "broadcastType",
      "chat",
      "createdAt",
      "edited",
      "from",
      "id",
      "read",
      "text",
      "type",
      "updatedAt",
    ]);
    expect(agentMessage?.agent).toMatchObject({ id: expect.any(Number), name: expect.any(String) });
    expect(agentMessage?.chat).toBe(chat?.id);
    expect(r.json.data?.filter((m) => m.from === "customer").every((m) => m.agent === null)).toBe(true);
  });
});

describe("customers", () => {
  it("PUT replaces the whole customer (fields not sent become null); PATCH changes only the fields sent", async () => {
    const c = [...sb.state.customers.values()].find((x) => x.email && x.company) as { id: number };
    const patched = await call(sb, "PATCH", `/customers/${c.id}`, { company: "Acme EU" });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ company: "Acme EU" });
    expect((patched.json as { email: string | null }).email).not.toBeNull();
    const put = await call(sb, "PUT", `/customers/${c.id}`, { name: "Only Name" });
    expect(put.json).toMatchObject({ name: "Only Name", email: null, company: null, phone: null });
    expect((await call(sb, "PUT", `/customers/${c.id}`, { name: 42 })).status).toBe(400);
  });

  it("GET /organization is wrapped in data", async () => {
    const r = await call(sb, "GET", "/organization");
    expect(r.json).toEqual({ data: { id: 1, domain: "acme", teamOnline: true, chatEnabled: true } });
  });
});
