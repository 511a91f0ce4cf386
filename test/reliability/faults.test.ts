/**
 * Fault matrix through the MCP client against the sandbox's fault injection: transient faults are
 * absorbed by retries on idempotent calls; final failures are one actionable sentence with no stack,
 * no raw body and no key; non-idempotent writes are sent exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Agent, Chat } from "../../src/helpcrunch/index.js";
import type { Fault } from "../../src/sandbox/index.js";
import { assignChat } from "../../src/tools/assign_chat.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { parsed } from "../helpers/typed-call.js";

const KEY = "hc-secret-key-7f3a9b2c4d5e6f70";
let h: Harness;
let chat: Chat;
let agent: Agent;

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 21, apiKey: KEY }, config: { timeoutMs: 800, maxRetries: 3, customerMessages: "on" } });
  chat = (await h.api.searchChats({ statuses: ["opened"], limit: 1 })).data[0] as Chat;
  agent = (await h.api.listAgents())[0] as Agent;
});
afterAll(() => h.close());
beforeEach(() => {
  h.sandbox.clearFaults();
  h.sandbox.clearRequests();
});

const TRANSIENT: Array<[string, Fault]> = [
  ["429 with Retry-After", { type: "status", status: 429, retryAfter: 1 }],
  ["429 without Retry-After", { type: "status", status: 429 }],
  ["500", { type: "status", status: 500 }],
  ["502", { type: "status", status: 502 }],
  ["503", { type: "status", status: 503 }],
  ["timeout", { type: "delay", ms: 1_600 }],
  ["connection reset", { type: "reset" }],
  ["HTML error page", { type: "html", status: 502 }],
];

function expectActionableSentence(text: string): void {
  expect(text.length).toBeLessThan(300);
  expect(text).not.toMatch(/\n\s+at |Error:|\{"errors"|<html/i);
  expect(text).not.toContain(KEY);
  expect(text).toMatch(/\.$/);
}

describe("read tool (get_chat) under faults", () => {
  it.each(TRANSIENT)("recovers from one %s", async (_name, fault) => {
    h.sandbox.addFault({ method: "GET", path: `/chats/${chat.id}`, fault });
    const r = await h.call("get_chat", { chat_id: chat.id, messages: 0 });
    expect(r.isError).toBeFalsy();
    expect(h.sandbox.requests.filter((q) => q.path === `/chats/${chat.id}`).length).toBe(2);
  });

  it.each(TRANSIENT)("fails with one actionable sentence when %s persists", async (_name, fault) => {
    h.sandbox.addFault({
      method: "GET",
      path: `/chats/${chat.id}`,
      times: Number.POSITIVE_INFINITY,
      fault: fault.type === "status" && fault.retryAfter ? { ...fault, retryAfter: 0 } : fault,
    });
    const r = await h.call("get_chat", { chat_id: chat.id, messages: 0 });
    expect(r.isError).toBe(true);
    expectActionableSentence(h.text(r));
  });

  it.each([
    [401, /API key/],
    [404, /Chat \d+ not found\. Use search_chats/],
  ])("maps %i to a sentence without retrying", async (status, message) => {
    h.sandbox.addFault({ method: "GET", path: `/chats/${chat.id}`, fault: { type: "status", status } });
    const r = await h.call("get_chat", { chat_id: chat.id, messages: 0 });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(message);
    expectActionableSentence(h.text(r));
    expect(h.sandbox.requests).toHaveLength(1);
  });

  it("maps malformed JSON to a clear error, never a crash", async () => {
    h.sandbox.addFault({ method: "GET", path: `/chats/${chat.id}`, times: Number.POSITIVE_INFINITY, fault: { type: "malformed-json" } });
    const r = await h.call("get_chat", { chat_id: chat.id, messages: 0 });
    expect(r.isError).toBe(true);
    expectActionableSentence(h.text(r));
  });
});

describe("write tool (assign_chat) under faults", () => {
  it.each(TRANSIENT)("an idempotent PUT recovers from one %s", async (_name, fault) => {
    h.sandbox.addFault({ method: "PUT", path: "/chats/assignee", fault });
    const r = await h.call("assign_chat", { chat_id: chat.id, agent: agent.id });
    expect(r.isError).toBeFalsy();
    expect(h.sandbox.requests.filter((q) => q.path === "/chats/assignee" && q.status === 200)).toHaveLength(1);
  });

  it("400 with field-path codes → the refusal in one sentence, not retried", async () => {
    h.sandbox.addFault({
      method: "PUT",
      path: "/chats/assignee",
      fault: {
        type: "status",
        status: 400,
        body: {
          errors: [
            { code: "invalid_request", message: "Invalid request" },
            { code: "assignee", message: "This value should be of type numeric." },
          ],
        },
      },
    });
    const r = await h.call("assign_chat", { chat_id: chat.id, agent: agent.id });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/assignee/);
    expectActionableSentence(h.text(r));
    expect(h.sandbox.requests.filter((q) => q.path === "/chats/assignee")).toHaveLength(1);
  });
});

describe("non-idempotent writes are sent exactly once", () => {
  it.each<[string, Fault]>([
    ["response lost", { type: "lose-response" }],
    ["503", { type: "status", status: 503 }],
    ["timeout", { type: "delay", ms: 1_600 }],
  ])("send_message with %s: one POST, and a way to check", async (name, fault) => {
    h.sandbox.addFault({ method: "POST", path: "/messages", fault });
    const text = `Status update (${name})`;
    const r = await h.call("send_message", { chat_id: chat.id, text, agent: agent.id });
    expect(r.isError).toBe(true);
    expect(h.sandbox.requests.filter((q) => q.method === "POST" && q.path === "/messages")).toHaveLength(1);
    if (fault.type !== "status") expect(h.text(r)).toMatch(/may or may not have been posted.*list_chat_messages/);
    expectActionableSentence(h.text(r));
  });

  it("create_chat with the response lost: one POST /chats, outcome unknown", async () => {
    h.sandbox.addFault({ method: "POST", path: "/chats", fault: { type: "lose-response" } });
    const r = await h.call("create_chat", { customer: chat.customer?.id, application_id: chat.applicationId });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/may or may not have been created.*search_chats/);
    expect(h.sandbox.requests.filter((q) => q.method === "POST" && q.path === "/chats")).toHaveLength(1);
  });

  it("a retry of send_message after an unknown outcome is refused by the reply guard", async () => {
    h.sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "lose-response" } });
    const args = { chat_id: chat.id, text: "We refunded you today.", agent: agent.id };
    await h.call("send_message", args);
    const retry = await h.call("send_message", args);
    expect(retry.isError).toBe(true);
    expect(h.text(retry)).toMatch(/not sending it twice/);
    expect(h.sandbox.requests.filter((q) => q.path === "/messages")).toHaveLength(1);
  });
});

describe("bulk under faults", () => {
  it("50 chats with missing ones and a 429 storm: one result each, nothing dropped, nothing repeated", async () => {
    const ids = (await h.api.searchChats({ statuses: ["opened"], limit: 45 })).data.map((c) => c.id);
    const missing = [900_000_001, 900_000_002, 900_000_003, 900_000_004, 900_000_005];
    const all = [...ids.slice(0, 20), ...missing, ...ids.slice(20)];
    h.sandbox.clearRequests();
    h.sandbox.addFault({ method: "PUT", path: "/chats/assignee", after: 5, times: 6, fault: { type: "status", status: 429 } });
    const r = await h.call("assign_chat", { chat_ids: all, agent: agent.id });
    const s = parsed(assignChat, r);
    expect(s.results.map((x) => x.chat_id)).toEqual(all);
    expect(s.succeeded).toBe(ids.length);
    expect(s.results.filter((x) => !x.ok).map((x) => x.chat_id)).toEqual(missing);
    const succeededPuts = h.sandbox.requests.filter((q) => q.path === "/chats/assignee" && q.status === 200);
    expect(new Set(succeededPuts.map((q) => (q.body as { id: number }).id)).size).toBe(succeededPuts.length);
    expect(succeededPuts).toHaveLength(ids.length);
  });
});
