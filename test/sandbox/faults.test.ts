/** Fault injection, the request log, the rate limit and stopping, all seen through plain fetch. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { call } from "./helpers.js";

let sb: SandboxHandle;
let chat: StoredChat;
const auth = () => ({ authorization: `Bearer ${sb.apiKey}`, "content-type": "application/json" });
const raw = (path: string, init: RequestInit = {}) => fetch(`${sb.url}${path}`, { ...init, headers: { ...auth(), ...init.headers } });
const statusOf = async (path: string) => (await raw(path)).status;

beforeAll(async () => {
  sb = await startSandbox({ seed: 19 });
  chat = [...sb.state.chats.values()].find((c) => c.status === "opened" && c.assigneeId !== 6) as StoredChat;
});
afterAll(() => sb.stop());
beforeEach(() => {
  sb.clearFaults();
  sb.clearRequests();
});

describe("status faults", () => {
  it("rules given at start apply once", async () => {
    const fresh = await startSandbox({
      chatCount: 0,
      faults: [{ method: "GET", path: "/departments", fault: { type: "status", status: 500 } }],
    });
    const statuses = [];
    for (let i = 0; i < 2; i++)
      statuses.push((await fetch(`${fresh.url}/departments`, { headers: { authorization: `Bearer ${fresh.apiKey}` } })).status);
    await fresh.stop();
    expect(statuses).toEqual([500, 200]);
  });

  it("answers the status with a HelpCrunch error body and Retry-After when given; nothing is applied", async () => {
    sb.addFault({ method: "PUT", path: "/chats/assignee", fault: { type: "status", status: 503, retryAfter: 2 } });
    const res = await raw("/chats/assignee", { method: "PUT", body: JSON.stringify({ id: chat.id, assignee: 6 }) });
    expect([res.status, res.headers.get("retry-after"), res.headers.get("content-type")]).toEqual([503, "2", "application/json"]);
    expect(await res.json()).toEqual({ errors: [{ code: "server_error", message: "Service Unavailable" }] });
    expect(sb.state.chats.get(chat.id)?.assigneeId).not.toBe(6);
  });

  it.each([
    [429, "too_many_requests", "You have exceeded your requests limit"],
    [404, "not_found", "Not found"],
    [401, "invalid_token", "Invalid token"],
    [502, "server_error", "Bad Gateway"],
  ])("an injected %i says %s", async (status, code, message) => {
    sb.addFault({ path: "/agents", fault: { type: "status", status } });
    const res = await raw("/agents");
    expect([res.status, res.headers.get("retry-after"), await res.json()]).toEqual([status, null, { errors: [{ code, message }] }]);
  });

  it("sends a custom body as given", async () => {
    const body = {
      errors: [
        { code: "invalid_request", message: "Invalid request" },
        { code: "assignee", message: "This value should be of type numeric." },
      ],
    };
    sb.addFault({ path: "/agents", fault: { type: "status", status: 400, body } });
    expect(await (await raw("/agents")).json()).toEqual(body);
  });

  it("counts after and times per rule, matches method and RegExp paths, and takes rules in order", async () => {
    sb.addFault({ path: "/agents", after: 1, times: 2, fault: { type: "status", status: 500 } });
    const agents = [];
    for (let i = 0; i < 4; i++) agents.push(await statusOf("/agents"));
    expect(agents).toEqual([200, 500, 500, 200]);

    sb.addFault({ path: /^\/chats\/\d+$/, times: Number.POSITIVE_INFINITY, fault: { type: "status", status: 418 } });
    expect([
      await statusOf(`/chats/${chat.id}`),
      await statusOf(`/chats/${chat.id}/messages`),
      await statusOf(`/chats/${chat.id}`),
    ]).toEqual([418, 200, 418]);

    sb.addFault({ method: "POST", path: "/applications", fault: { type: "status", status: 500 } });
    expect(await statusOf("/applications")).toBe(200); // a GET: the POST rule does not match

    for (const status of [500, 502, 504]) sb.addFault({ method: "GET", path: "/customers", fault: { type: "status", status } });
    const customers = [];
    for (let i = 0; i < 4; i++) customers.push(await statusOf("/customers?limit=1"));
    expect(customers).toEqual([500, 502, 504, 200]);
  });

  it("clearFaults drops every rule", async () => {
    sb.addFault({ path: "/agents", times: 5, fault: { type: "status", status: 500 } });
    sb.clearFaults();
    expect(await statusOf("/agents")).toBe(200);
  });
});

describe("network faults", () => {
  it("delay answers normally, only later — long enough to exceed a client timeout", async () => {
    sb.addFault({ path: "/agents", fault: { type: "delay", ms: 250 } });
    const started = performance.now();
    const res = await raw("/agents");
    expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    expect([res.status, ((await res.json()) as { meta: unknown }).meta]).toEqual([200, { total: sb.state.agents.size }]);

    sb.addFault({ path: "/agents", fault: { type: "delay", ms: 1_000 } });
    await expect(raw("/agents", { signal: AbortSignal.timeout(100) })).rejects.toThrow();
  });

  it("reset destroys the connection without answering and changes nothing", async () => {
    sb.addFault({ method: "PUT", path: "/chats/assignee", fault: { type: "reset" } });
    await expect(raw("/chats/assignee", { method: "PUT", body: JSON.stringify({ id: chat.id, assignee: 6 }) })).rejects.toThrow(TypeError);
    expect(sb.state.chats.get(chat.id)?.assigneeId).not.toBe(6);
    expect(sb.requests.map((r) => [r.path, r.status])).toEqual([["/chats/assignee", 0]]);
  });

  it("lose-response applies the change, then destroys the connection", async () => {
    sb.addFault({ method: "PUT", path: "/chats/assignee", fault: { type: "lose-response" } });
    await expect(raw("/chats/assignee", { method: "PUT", body: JSON.stringify({ id: chat.id, assignee: 6 }) })).rejects.toThrow(TypeError);
    expect(sb.state.chats.get(chat.id)?.assigneeId).toBe(6);
    expect(sb.requests.map((r) => r.status)).toEqual([0]);
    expect((await call(sb, "GET", `/chats/${chat.id}`)).json.assignee).toMatchObject({ id: 6 });
  });

  it("malformed-json answers a truncated JSON body (200 unless told), after doing the work", async () => {
    sb.addFault({ path: "/agents", fault: { type: "malformed-json" } });
    const res = await raw("/agents");
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "application/json"]);
    const text = await res.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(JSON.stringify((await call(sb, "GET", "/agents")).json).startsWith(text)).toBe(true);

    const before = sb.state.messages.get(chat.id)?.length ?? 0;
    sb.addFault({ method: "POST", path: "/messages", fault: { type: "malformed-json", status: 201 } });
    const posted = await raw("/messages", {
      method: "POST",
      body: JSON.stringify({ chat: chat.id, text: "hi", agent: 1, type: "message" }),
    });
    expect(posted.status).toBe(201);
    await expect(posted.json()).rejects.toThrow(SyntaxError);
    expect(sb.state.messages.get(chat.id)?.length).toBe(before + 1);
  });

  it("html answers the status with an HTML page", async () => {
    sb.addFault({ path: "/agents", fault: { type: "html", status: 502 } });
    const res = await raw("/agents");
    expect([res.status, res.headers.get("content-type")]).toEqual([502, "text/html"]);
    expect(await res.text()).toMatch(/^<html>[\s\S]*502 Bad Gateway[\s\S]*<\/html>/);
    expect(sb.requests.map((r) => r.status)).toEqual([502]);
  });
});

describe("request log", () => {
  it("records method, path without /v1 or query, parsed query and body, lower-case headers, status and time", async () => {
    const before = Date.now();
    await raw(`/chats/${chat.id}/messages?offset=2&limit=3`, { headers: { "X-Trace": "abc" } });
    await raw("/chats/search", {
      method: "POST",
      body: JSON.stringify({ filter: [{ field: "chats.status", operator: "=", value: "new" }], limit: 1 }),
    });
    await raw("/chats/search", { method: "POST", body: "not json" });
    await fetch(`${sb.url}/agents`);
    expect(sb.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", `/chats/${chat.id}/messages`, 200],
      ["POST", "/chats/search", 200],
      ["POST", "/chats/search", 400],
      ["GET", "/agents", 401],
    ]);
    const [first, second, third] = sb.requests;
    expect(first?.query).toEqual({ offset: "2", limit: "3" });
    expect(first?.body).toBeUndefined();
    expect(first?.headers).toMatchObject({ authorization: `Bearer ${sb.apiKey}`, "x-trace": "abc" });
    expect(second?.body).toEqual({ filter: [{ field: "chats.status", operator: "=", value: "new" }], limit: 1 });
    expect(third?.body).toBe("not json");
    expect(first?.at).toBeGreaterThanOrEqual(before);
    sb.clearRequests();
    expect(sb.requests).toEqual([]);
  });
});

describe("rate limit", () => {
  it("is off by default", async () => {
    const statuses = await Promise.all(Array.from({ length: 150 }, () => statusOf("/applications")));
    expect(statuses.every((s) => s === 200)).toBe(true);
  });

  it("answers 429 too_many_requests without Retry-After over the window's limit, logs it, and lets requests through once the window has passed", async () => {
    const limited = await startSandbox({ chatCount: 0, rateLimitPerMinute: 5, rateLimitWindowMs: 1_000 });
    const get = () => fetch(`${limited.url}/agents`, { headers: { authorization: `Bearer ${limited.apiKey}` } });
    try {
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push(await get());
      expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const refused = answers[5] as Response;
      expect([refused.headers.get("retry-after"), await refused.json()]).toEqual([
        null,
        { errors: [{ code: "too_many_requests", message: "You have exceeded your requests limit" }] },
      ]);
      expect(limited.requests.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 429, 429]);
      await new Promise((resolve) => setTimeout(resolve, 1_020)); // a window long enough that a slow machine still sends 7 inside it
      expect((await get()).status).toBe(200);
    } finally {
      await limited.stop();
    }
  });

  it("switches at run time with setRateLimit", async () => {
    sb.setRateLimit(2);
    const limited = [await statusOf("/agents"), await statusOf("/agents"), await statusOf("/agents")];
    sb.setRateLimit(undefined);
    expect(limited).toEqual([200, 200, 429]);
    expect(await statusOf("/agents")).toBe(200);
  });
});

describe("stop", () => {
  it("returns promptly with a delayed answer pending and keep-alive connections open, leaving no timer behind", async () => {
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const timersBefore = timers();
    const slow = await startSandbox({ chatCount: 0, faults: [{ path: "/agents", fault: { type: "delay", ms: 10_000 } }] });
    const headers = { authorization: `Bearer ${slow.apiKey}` };
    await fetch(`${slow.url}/applications`, { headers }).then((r) => r.text()); // leaves an idle keep-alive socket
    const pending = fetch(`${slow.url}/agents`, { headers }).then(
      () => "answered",
      () => "connection closed",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const started = performance.now();
    await slow.stop();
    expect(performance.now() - started).toBeLessThan(500);
    expect(await pending).toBe("connection closed");
    expect(timers()).toBeLessThanOrEqual(timersBefore); // the 10 s delay would keep a CLI process alive
    expect(slow.requests.map((r) => [r.path, r.status])).toEqual([
      ["/applications", 200],
      ["/agents", 0],
    ]);
  });
});
