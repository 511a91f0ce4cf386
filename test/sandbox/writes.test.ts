/** Every write changes the stored chat and shows on the next GET; every refusal leaves it alone. */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type SandboxHandle, type StoredChat, startSandbox } from "../../src/sandbox/index.js";
import { type Answer, call, codes, seconds } from "./helpers.js";

const START = Date.parse("2026-11-25T12:00:00Z");
let clock = START;
let sb: SandboxHandle;
let chat: StoredChat;

beforeAll(async () => {
  sb = await startSandbox({ seed: 3, now: () => clock });
  // One chat all tests write to, in turn: opened, unassigned, not snoozed, in Technical Support.
  chat = [...sb.state.chats.values()].find(
    (c) => c.status === "opened" && c.assigneeId === null && c.snoozedUntil === null && c.departmentId === 2,
  ) as StoredChat;
});
afterAll(() => sb.stop());
beforeEach(() => {
  clock += 60_000;
});

const get = async (id: number) => (await call(sb, "GET", `/chats/${id}`)).json;
const put = (path: string, body: unknown) => call(sb, "PUT", `/chats/${path}`, body);
const refusal = (a: Answer) => [a.status, a.json.errors];
const invalidValue = (message: string) => [400, [{ code: "invalid_chat_value", message }]];
const fieldError = (code: string, message: string) => [
  400,
  [
    { code: "invalid_request", message: "Invalid request" },
    { code, message },
  ],
];

describe("PUT /chats/assignee", () => {
  it("assigns and unassigns; the answer and the next GET agree", async () => {
    const assigned = await put("assignee", { id: chat.id, assignee: 3 });
    expect(assigned.status).toBe(200);
    expect(assigned.json.assignee).toEqual({ id: 3, name: "Marcus Chen", email: "marcus.chen@acme-support.io", role: "superviser" });
    expect((await get(chat.id)).assignee).toMatchObject({ id: 3 });
    expect(sb.state.chats.get(chat.id)?.updatedAt).toBe(clock);
    expect((await put("assignee", { id: chat.id, assignee: null })).json.assignee).toBeNull();
    expect((await get(chat.id)).assignee).toBeNull();
  });

  it("refuses an unknown agent, a name instead of an id, a missing id and an unknown chat", async () => {
    expect(refusal(await put("assignee", { id: chat.id, assignee: 999 }))).toEqual(invalidValue("assignee value is invalid"));
    expect(refusal(await put("assignee", { id: chat.id, assignee: "Priya" }))).toEqual(
      fieldError("assignee", "This value should be of type numeric."),
    );
    expect(refusal(await put("assignee", { assignee: 3 }))).toEqual(fieldError("id", "This value should not be blank."));
    expect(refusal(await put("assignee", { id: 1, assignee: 3 }))).toEqual([404, [{ code: "chat_not_found", message: "Chat not found" }]]);
    expect(sb.state.chats.get(chat.id)?.assigneeId).toBeNull();
  });
});

describe("PUT /chats/snooze", () => {
  it('snoozes with integer seconds (the default dialect), answers snoozedUntil like "1603864800.000", unsnoozes with null', async () => {
    const until = Math.floor(clock / 1000) + 7_200;
    const snoozed = await put("snooze", { id: chat.id, snoozedUntil: until });
    expect(snoozed.json.snoozedUntil).toBe(`${until}.000`);
    expect(sb.state.chats.get(chat.id)?.snoozedUntil).toBe(until * 1000);
    expect((await get(chat.id)).snoozedUntil).toBe(`${until}.000`);
    expect((await put("snooze", { id: chat.id, snoozedUntil: null })).json.snoozedUntil).toBeNull();
    expect((await get(chat.id)).snoozedUntil).toBeNull();
  });

  it("refuses numeric and date strings, a float and a missing snoozedUntil", async () => {
    const until = String(Math.floor(clock / 1000) + 60);
    expect(refusal(await put("snooze", { id: chat.id, snoozedUntil: until }))).toEqual(
      fieldError("snoozedUntil", "This value should be of type integer."),
    );
    expect(refusal(await put("snooze", { id: chat.id, snoozedUntil: "tomorrow" }))).toEqual(
      fieldError("snoozedUntil", "This value should be of type integer."),
    );
    expect(refusal(await put("snooze", { id: chat.id, snoozedUntil: 1.5 }))).toEqual(
      fieldError("snoozedUntil", "This value should be of type integer."),
    );
    expect(refusal(await put("snooze", { id: chat.id }))).toEqual(fieldError("snoozedUntil", "This value should not be blank."));
    expect(sb.state.chats.get(chat.id)?.snoozedUntil).toBeNull();
  });
});

describe("PUT /chats/status", () => {
  it.each([
    ["new", "new"],
    ["open", "opened"],
    ["opened", "opened"],
    ["pending", "pending"],
    ["on hold", "onhold"],
    ["no communication", "no communication"],
  ])("%s is stored as %s (default dialect)", async (sent, stored) => {
    const r = await put("status", { id: chat.id, status: sent });
    expect(r.status).toBe(200);
    expect(sb.state.chats.get(chat.id)?.status).toBe(stored);
    const read = String((await get(chat.id)).status);
    expect(stored === "onhold" ? ["on hold", "onhold"] : [stored]).toContain(read);
  });

  it("closing stamps closedAt and closedBy agent; reopening clears them", async () => {
    const closed = await put("status", { id: chat.id, status: "closed" });
    expect([closed.json.status, seconds(closed.json.closedAt), closed.json.closedBy]).toEqual([
      "closed",
      Math.floor(clock / 1000),
      "agent",
    ]);
    expect((await get(chat.id)).status).toBe("closed");
    const reopened = await put("status", { id: chat.id, status: "opened" });
    expect([reopened.json.status, reopened.json.closedAt, reopened.json.closedBy]).toEqual(["opened", null, null]);
  });

  it.each(["empty", "4", "On Hold", "onhold", "on-hold", "closed!", "", "Closed"])(
    "refuses %j with 400 invalid_chat_value (default dialect)",
    async (status) => {
      const before = sb.state.chats.get(chat.id)?.status;
      expect(refusal(await put("status", { id: chat.id, status }))).toEqual(invalidValue("status value is invalid"));
      expect(sb.state.chats.get(chat.id)?.status).toBe(before);
    },
  );
});

describe("PUT /chats/department and /chats/readByAgent", () => {
  it("moves a chat to another department; refuses unknown, null and non-numeric ones", async () => {
    expect((await put("department", { id: chat.id, department: 3 })).json.department).toEqual({ id: 3, name: "Sales" });
    expect((await get(chat.id)).department).toEqual({ id: 3, name: "Sales" });
    expect(refusal(await put("department", { id: chat.id, department: 99 }))).toEqual(invalidValue("department value is invalid"));
    expect(refusal(await put("department", { id: chat.id, department: null }))).toEqual(
      fieldError("department", "This value should not be blank."),
    );
    expect(refusal(await put("department", { id: chat.id, department: "Sales" }))).toEqual(
      fieldError("department", "This value should be of type numeric."),
    );
    expect(sb.state.chats.get(chat.id)?.departmentId).toBe(3);
  });

  it("marks read and unread; reading marks the customer's messages read", async () => {
    expect((await put("readByAgent", { id: chat.id, read: false })).json.readByAgent).toBe(false);
    expect((await get(chat.id)).readByAgent).toBe(false);
    expect((await put("readByAgent", { id: chat.id, read: true })).json.readByAgent).toBe(true);
    expect(
      sb.state.messages
        .get(chat.id)
        ?.filter((m) => m.from === "customer")
        .every((m) => m.read),
    ).toBe(true);
    expect((await put("readByCustomer", { id: chat.id, read: false })).json.readByCustomer).toBe(false);
    expect(refusal(await put("readByAgent", { id: chat.id, read: "yes" }))).toEqual(
      fieldError("read", "This value should be of type bool."),
    );
  });
});

describe("POST /chats", () => {
  it("creates an empty chat: 201 with the bare chat, findable afterwards", async () => {
    const customer = [...sb.state.customers.keys()][20] as number;
    const r = await call(sb, "POST", "/chats", { customer, application: 2, assignee: 5, department: 1 });
    expect(r.status).toBe(201);
    expect(r.json).toMatchObject({
      status: "empty",
      createdWith: "public_api",
      applicationId: 2,
      lastMessageText: null,
      customer: { id: customer },
      assignee: { id: 5 },
      department: { id: 1 },
    });
    expect(seconds(r.json.createdAt)).toBe(Math.floor(clock / 1000));
    expect(r.json.id).toBeGreaterThan(Math.max(...[...sb.state.chats.keys()].filter((id) => id !== r.json.id)));
    expect((await get(r.json.id as number)).status).toBe("empty");
    expect(sb.state.messages.get(r.json.id as number) ?? []).toEqual([]);
  });

  it("refuses bad types (all reported), an unknown customer (404) and an unknown application", async () => {
    const customer = [...sb.state.customers.keys()][0] as number;
    const size = sb.state.chats.size;
    expect(codes(await call(sb, "POST", "/chats", { customer: "abc", application: "web" }))).toEqual([
      "invalid_request",
      "customer",
      "application",
    ]);
    expect(codes(await call(sb, "POST", "/chats", {}))).toEqual(["invalid_request", "customer", "application"]);
    expect(refusal(await call(sb, "POST", "/chats", { customer: 1, application: 1 }))).toEqual([
      404,
      [{ code: "entity_not_found", message: "Customer not found" }],
    ]);
    expect(refusal(await call(sb, "POST", "/chats", { customer, application: 77 }))).toEqual(invalidValue("application value is invalid"));
    expect(refusal(await call(sb, "POST", "/chats", { customer, application: 1, assignee: 999 }))).toEqual(
      invalidValue("assignee value is invalid"),
    );
    expect(sb.state.chats.size).toBe(size);
  });
});

describe("POST /messages", () => {
  const post = (body: unknown) => call(sb, "POST", "/messages", body);
  const freshChat = async () =>
    (await call(sb, "POST", "/chats", { customer: [...sb.state.customers.keys()][30], application: 1 })).json.id as number;

  it("an agent reply opens an empty chat and becomes its last message", async () => {
    const id = await freshChat();
    const r = await post({ chat: id, text: "Hi! How can I help?", agent: 2, type: "message" });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({
      chat: id,
      from: "agent",
      type: "message",
      text: "Hi! How can I help?",
      agent: { id: 2, name: "Priya Shah" },
    });
    const after = await get(id);
    expect(after).toMatchObject({
      status: "opened",
      lastMessageText: "Hi! How can I help?",
      lastMessageId: r.json.id,
      readByCustomer: false,
      lastCommunicatedAgentId: 2,
    });
    expect((after.agents as Array<{ id: number }>).map((a) => a.id)).toEqual([2]);
    expect(seconds(after.lastMessageAt)).toBe(Math.floor(clock / 1000));
    const listed = await call(sb, "GET", `/chats/${id}/messages`);
    expect(listed.json.data?.[0]?.id).toBe(r.json.id);
  });

  it("without agent the message is the customer's: lastCustomerMessageAt moves, the chat is unread", async () => {
    const id = await freshChat();
    const r = await post({ chat: id, text: "who wrote this?", type: "message" });
    expect(r.json).toMatchObject({ from: "customer", agent: null });
    const after = await get(id);
    expect(after).toMatchObject({ status: "new", readByAgent: false, lastMessageText: "who wrote this?" });
    expect(seconds(after.lastCustomerMessageAt)).toBe(Math.floor(clock / 1000));
  });

  it("a private note is stored but leaves lastMessageAt and lastMessageText alone", async () => {
    const before = { ...(sb.state.chats.get(chat.id) as StoredChat) };
    clock += 5_000;
    const note = await post({ chat: chat.id, text: "VIP, handle with care", agent: 1, type: "private" });
    expect(note.json).toMatchObject({ type: "private", from: "agent", agent: { id: 1 } });
    const after = sb.state.chats.get(chat.id) as StoredChat;
    expect([after.lastMessageAt, after.lastMessageText, after.lastMessageId, after.agentIds]).toEqual([
      before.lastMessageAt,
      before.lastMessageText,
      before.lastMessageId,
      before.agentIds,
    ]);
    expect(sb.state.messages.get(chat.id)?.at(-1)?.text).toBe("VIP, handle with care");
  });

  it("refuses a bad chat id (400), a missing chat (404), an unknown agent (404), no text and another type", async () => {
    const count = sb.state.messages.get(chat.id)?.length;
    expect(refusal(await post({ chat: "abc", text: "x", agent: 1, type: "message" }))).toEqual(invalidValue("Invalid chat ID"));
    expect(refusal(await post({ text: "x", agent: 1, type: "message" }))).toEqual(invalidValue("Invalid chat ID"));
    expect(refusal(await post({ chat: 1, text: "x", agent: 1, type: "message" }))).toEqual([
      404,
      [{ code: "chat_not_found", message: "Chat is missing" }],
    ]);
    expect(refusal(await post({ chat: chat.id, text: "x", agent: 999, type: "message" }))).toEqual([
      404,
      [{ code: "entity_not_found", message: "Agent not found" }],
    ]);
    expect(codes(await post({ chat: chat.id, agent: 1, type: "message" }))).toEqual(["invalid_request", "text"]);
    expect(codes(await post({ chat: chat.id, text: "x", agent: 1, type: "email" }))).toEqual(["invalid_request", "type"]);
    expect(sb.state.messages.get(chat.id)?.length).toBe(count);
  });
});
