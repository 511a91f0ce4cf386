/** Errors, retries, timeouts and cancellation over real HTTP against the sandbox's fault injection. */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createClient, type HelpCrunchClient } from "../../src/helpcrunch/index.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { errorsSeen, expectNoKey, failure, KEY, send } from "./helpers.js";

let sandbox: SandboxHandle;
let client: HelpCrunchClient;
let chatId: number;
let customerId: number;

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: KEY, seed: 23 });
  client = createClient({ baseUrl: sandbox.url, apiKey: KEY, retryBaseDelayMs: 5, timeoutMs: 500, statusFilter: "name" });
  const chat = [...sandbox.state.chats.values()].find((c) => c.status === "opened");
  chatId = chat?.id as number;
  customerId = chat?.customerId as number;
});
afterAll(async () => {
  await client.close();
  await sandbox.stop();
});
afterEach(() => {
  sandbox.clearFaults();
  sandbox.clearRequests();
});

const statuses = () => sandbox.requests.map((r) => r.status);
const injected = (status: number, errors: Array<{ code: string; message: string }>) => ({
  type: "status" as const,
  status,
  body: { errors },
});

describe("error mapping", () => {
  it("400 from HelpCrunch's validator: the field-path code, and the message names the field", async () => {
    const bad = await failure(client.searchChats({ filters: [{ field: "chats.createdAt", operator: ">", value: "yesterday" }] }));
    expect(bad).toMatchObject({ kind: "http", status: 400, code: "filter[0].value", retryable: false });
    expect(bad.message).toBe("HelpCrunch refused the request: filter[0].value: This value should be of type numeric.");
    expect(bad.details.map((d) => d.code)).toEqual(["invalid_request", "filter[0].value"]);
    expect(statuses()).toEqual([400]); // not retried
  });

  it("401 with a wrong key: points at HELPCRUNCH_API_KEY, not retried", async () => {
    const wrongKey = createClient({ baseUrl: sandbox.url, apiKey: "wrong-key-123456", retryBaseDelayMs: 5 });
    const unauthorized = await failure(wrongKey.getChat(chatId));
    await wrongKey.close();
    expect(unauthorized).toMatchObject({
      kind: "http",
      status: 401,
      code: "invalid_token",
      message: "HelpCrunch rejected the API key (401). Check HELPCRUNCH_API_KEY.",
    });
    expect(statuses()).toEqual([401]);
  });

  it("403 is about the key's access too", async () => {
    sandbox.addFault({ path: `/chats/${chatId}`, fault: injected(403, [{ code: "forbidden", message: "Forbidden" }]) });
    const forbidden = await failure(client.getChat(chatId));
    expect(forbidden).toMatchObject({ status: 403, code: "forbidden" });
    expect(forbidden.message).toMatch(/\(403\).*HELPCRUNCH_API_KEY/);
  });

  it("404: HelpCrunch's message with its code, whether or not invalid_request comes first", async () => {
    const missing = await failure(client.getChat(987_654_321));
    expect(missing).toMatchObject({ status: 404, code: "chat_not_found", message: "Chat not found (HTTP 404, chat_not_found)." });
    sandbox.addFault({
      path: `/chats/${chatId}`,
      fault: injected(404, [
        { code: "invalid_request", message: "Invalid request" },
        { code: "not_found", message: "Chat not found" },
      ]),
    });
    const newer = await failure(client.getChat(chatId));
    expect(newer).toMatchObject({ code: "not_found", message: "Chat not found (HTTP 404, not_found)." });
    expect(newer.hasCode("invalid_request")).toBe(true);
  });

  it("429 that persists: retried maxRetries times, then the rate-limit sentence", async () => {
    sandbox.addFault({ path: "/agents", times: 10, fault: { type: "status", status: 429 } });
    const limited = await failure(client.listAgents());
    expect(limited).toMatchObject({ status: 429, code: "too_many_requests", retryable: true });
    expect(limited.message).toBe("HelpCrunch rate limit reached (120 requests/min); wait a minute and try again.");
    expect(statuses()).toEqual([429, 429, 429, 429]); // 1 + 3 retries
  });

  it("malformed JSON and an HTML page become short clear errors, never the body", async () => {
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "malformed-json" } });
    const malformed = await failure(client.listApplications());
    expect(malformed).toMatchObject({
      kind: "parse",
      message: "HelpCrunch returned a non-JSON answer (HTTP 200) to GET /applications; try again shortly.",
    });
    sandbox.clearFaults();
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "html", status: 502 } });
    const html = await failure(client.listApplications());
    expect(html).toMatchObject({ kind: "http", status: 502, message: "HelpCrunch is having trouble (HTTP 502); try again shortly." });
    expect(html.message).not.toMatch(/html|nginx/i);
    sandbox.clearFaults();
    sandbox.addFault({ path: `/chats/${chatId}`, fault: { type: "html", status: 404 } });
    expect((await failure(client.getChat(chatId))).message).toMatch(/non-JSON answer \(HTTP 404\).*HELPCRUNCH_BASE_URL/);
  });

  it("redacts the key even when an answer echoes it", async () => {
    sandbox.addFault({
      path: `/chats/${chatId}`,
      fault: injected(400, [
        { code: "invalid_request", message: "Invalid request" },
        { code: "authorization", message: `Bearer ${KEY} is malformed` },
      ]),
    });
    const echoed = await failure(client.getChat(chatId));
    expect(echoed.message).toBe("HelpCrunch refused the request: authorization: Bearer [redacted] is malformed.");
    expect(echoed.details[1]?.message).toBe("Bearer [redacted] is malformed");
    const warnings: string[] = [];
    const warned = createClient({ baseUrl: sandbox.url, apiKey: KEY, onWarning: (w) => warnings.push(w) });
    sandbox.addFault({ path: `/chats/${chatId}`, fault: { type: "status", status: 200, body: { id: chatId, createdAt: KEY } } });
    expect((await warned.getChat(chatId)).createdAt).toBeNull();
    expect(warnings).toEqual([
      `HelpCrunch's answer to GET /chats/${chatId} had 1 unreadable field(s), shown as unknown (not a UNIX timestamp: "[redacted]").`,
    ]);
    await warned.close();
  });
});

describe("retries of idempotent calls", () => {
  it("after 429 honours Retry-After: 1", async () => {
    sandbox.addFault({ path: "/agents", fault: { type: "status", status: 429, retryAfter: 1 } });
    await client.listAgents();
    const [first, second] = sandbox.requests;
    expect(statuses()).toEqual([429, 200]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("a Retry-After longer than maxRetryDelayMs is passed on as 'try again after', not slept through", async () => {
    const impatient = createClient({ baseUrl: sandbox.url, apiKey: KEY, maxRetryDelayMs: 50 });
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 429, retryAfter: 3_600 } });
    await expect(impatient.listApplications()).rejects.toThrow(
      "HelpCrunch answered HTTP 429 to GET /applications and asked to wait 3600 s; try again after that.",
    );
    expect(statuses()).toEqual([429]);
    await impatient.close();
  });

  it("a Retry-After that would end past the call's deadline is not waited for", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 503, retryAfter: 5 } });
    await expect(client.listApplications({ deadline: Date.now() + 2_000 })).rejects.toThrow("asked to wait 5 s; try again after that");
    expect(statuses()).toEqual([503]);
  });

  it("the call's deadline stops a request HelpCrunch is slow to answer, in the deadline's words", async () => {
    const patient = createClient({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 5_000 });
    sandbox.addFault({ path: "/agents", fault: { type: "delay", ms: 2_000 } });
    await expect(patient.listAgents({ deadline: Date.now() + 200 })).rejects.toMatchObject({ kind: "deadline" });
    await patient.close();
  });

  it("a 503 then success", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 503 } });
    expect(await client.listApplications()).toHaveLength(2);
    expect(statuses()).toEqual([503, 200]);
  });

  it("500, 502 and 504 too; a PUT as well as a GET", async () => {
    for (const status of [500, 502, 504]) sandbox.addFault({ method: "PUT", path: "/chats/assignee", fault: { type: "status", status } });
    expect((await send(client, client.prepare.setAssignee(chatId, 2))).assignee?.id).toBe(2);
    expect(statuses()).toEqual([500, 502, 504, 200]);
  });

  it("a dropped connection (reset) is retried for GET", async () => {
    sandbox.addFault({ path: `/chats/${chatId}`, fault: { type: "reset" } });
    expect((await client.getChat(chatId)).id).toBe(chatId);
    expect(statuses()).toEqual([0, 200]);
  });

  it("a timeout gives kind timeout and is retried for GET", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "delay", ms: 800 } });
    expect(await client.listApplications()).toHaveLength(2);
    expect(sandbox.requests).toHaveLength(2);
    sandbox.clearRequests();
    sandbox.addFault({ path: "/applications", times: 10, fault: { type: "delay", ms: 800 } });
    const timeout = await failure(client.listApplications());
    expect(timeout).toMatchObject({
      kind: "timeout",
      retryable: true,
      outcomeUnknown: false,
      message: "HelpCrunch did not answer within 500 ms; try again shortly.",
    });
    expect(sandbox.requests).toHaveLength(4);
  });

  it("POST /chats/search and /customers/search are retried (they only read)", async () => {
    sandbox.addFault({ method: "POST", path: "/chats/search", fault: { type: "status", status: 503 } });
    sandbox.addFault({ method: "POST", path: "/customers/search", fault: { type: "reset" } });
    await client.searchChats({ statuses: ["opened"], limit: 1 });
    await client.searchCustomers({ filters: [{ field: "customers.name", operator: "~", value: "a" }], limit: 1 });
    expect(sandbox.requests.map((r) => `${r.path} ${r.status}`)).toEqual([
      "/chats/search 503",
      "/chats/search 200",
      "/customers/search 0",
      "/customers/search 200",
    ]);
  });

  it("400 and 404 are final", async () => {
    await failure(client.getChat(987_654_321));
    sandbox.addFault({
      method: "PUT",
      path: "/chats/department",
      fault: injected(400, [{ code: "invalid_chat_value", message: "department value is invalid" }]),
    });
    await failure(send(client, client.prepare.setDepartment(chatId, 1)));
    expect(statuses()).toEqual([404, 400]);
  });
});

describe("non-idempotent writes are sent at most once", () => {
  it("no retry of createChat or createMessage on 503, and the outcome is unknown (a gateway error can follow a write that landed)", async () => {
    sandbox.addFault({ method: "POST", path: "/chats", fault: { type: "status", status: 503 } });
    const chat = await failure(send(client, client.prepare.createChat({ customer: customerId, application: 1 })));
    expect(chat).toMatchObject({ status: 503, retryable: true, outcomeUnknown: true });
    expect(chat.message).toMatch(/may or may not have been carried out/);
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "status", status: 503 } });
    await failure(send(client, client.prepare.createMessage({ chat: chatId, text: "x", agent: 1, type: "private" })));
    expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(["POST /chats 503", "POST /messages 503"]);
  });

  it("a lost answer is outcome unknown, with a sentence saying to check first", async () => {
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "lose-response" } });
    const before = sandbox.state.messages.get(chatId)?.length ?? 0;
    const lost = await failure(send(client, client.prepare.createMessage({ chat: chatId, text: "x", agent: 1, type: "private" })));
    expect(lost).toMatchObject({ kind: "network", outcomeUnknown: true });
    expect(lost.message).toMatch(/may or may not have reached HelpCrunch; check the chat before retrying\.$/);
    expect(sandbox.state.messages.get(chatId)?.length).toBe(before + 1); // it did land
    expect(sandbox.requests).toHaveLength(1);
    sandbox.addFault({ method: "POST", path: "/chats", fault: { type: "lose-response" } });
    expect((await failure(send(client, client.prepare.createChat({ customer: customerId, application: 1 })))).outcomeUnknown).toBe(true);
    expect(sandbox.requests).toHaveLength(2);
  });

  it("a timeout is outcome unknown and not retried", async () => {
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "delay", ms: 800 } });
    const timeout = await failure(send(client, client.prepare.createMessage({ chat: chatId, text: "slow", agent: 1, type: "private" })));
    expect(timeout).toMatchObject({ kind: "timeout", outcomeUnknown: true });
    expect(timeout.message).toBe(
      "HelpCrunch did not answer within 500 ms. The request may or may not have reached HelpCrunch; check the chat before retrying.",
    );
    expect(sandbox.requests).toHaveLength(1);
  });

  it("a 2xx whose body cannot be read says the write landed", async () => {
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "malformed-json", status: 201 } });
    const garbled = await failure(send(client, client.prepare.createMessage({ chat: chatId, text: "y", agent: 1, type: "private" })));
    expect(garbled).toMatchObject({ kind: "parse", outcomeUnknown: true });
    expect(garbled.message).toMatch(/accepted \(HTTP 201\); check the chat before retrying\.$/);
    expect(sandbox.requests).toHaveLength(1);
  });
});

describe("cancellation", () => {
  it("aborting during a slow answer rejects promptly with kind cancelled", async () => {
    const patient = createClient({ baseUrl: sandbox.url, apiKey: KEY, timeoutMs: 5_000 });
    sandbox.addFault({ path: "/applications", fault: { type: "delay", ms: 2_000 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failure(patient.listApplications({ signal: controller.signal }));
    expect(cancelled).toMatchObject({ kind: "cancelled", retryable: false, outcomeUnknown: false });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sandbox.requests).toHaveLength(1);
    await patient.close();
  });

  it("aborting during a retry wait stops at once, with no further request", async () => {
    sandbox.addFault({ path: "/applications", fault: { type: "status", status: 429, retryAfter: 30 } });
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    const cancelled = await failure(client.listApplications({ signal: controller.signal }));
    expect(cancelled.kind).toBe("cancelled");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(sandbox.requests).toHaveLength(1);
  });

  it("an already aborted call sends nothing", async () => {
    await failure(client.getChat(chatId, { signal: AbortSignal.abort() }));
    expect(sandbox.requests).toHaveLength(0);
  });

  it("aborting a POST in flight is outcome unknown", async () => {
    sandbox.addFault({ method: "POST", path: "/messages", fault: { type: "delay", ms: 300 } });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const cancelled = await failure(
      send(client, client.prepare.createMessage({ chat: chatId, text: "z", agent: 1, type: "private" }), { signal: controller.signal }),
    );
    expect(cancelled).toMatchObject({ kind: "cancelled", outcomeUnknown: true });
  });
});

it("no error in this file carried the key", () => {
  expect(errorsSeen.length).toBeGreaterThan(20);
  for (const error of errorsSeen) expectNoKey(error);
});
