import { afterEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { createChat } from "../../src/tools/create_chat.js";
import { sendMessage } from "../../src/tools/send_message.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { newChatWithMessage, replyTargets } from "../helpers/reply-targets.js";
import { callOk } from "../helpers/typed-call.js";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function setup(config: Partial<Config> = {}) {
  h = await startHarness({ sandbox: { seed: 3 }, config });
  return { h, ...(await replyTargets(h)) };
}

describe("customer-visible text under the policy off (the harness default)", () => {
  it("refuses a reply, sends nothing, and names the switch and the private-note way", async () => {
    const { h, agent, chat } = await setup();
    const r = await h.call("send_message", { chat_id: chat.id, text: "Hello!", agent: agent.id });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/HELPCRUNCH_CUSTOMER_MESSAGES=off/);
    expect(h.text(r)).toMatch(/private: true/);
    expect(h.sandbox.requests).toHaveLength(0);
    const c = await h.call("create_chat", { customer: chat.customer?.id, application_id: chat.applicationId, message: "Hi" });
    expect(c.isError).toBe(true);
    expect(h.sandbox.requests.filter((q) => q.method === "POST" && q.path === "/chats")).toHaveLength(0);
  });

  it("create_chat with a first message and a valid agent is still refused while replies are off (a mutation survivor)", async () => {
    const { h, agent, chat } = await setup();
    const c = await h.call("create_chat", newChatWithMessage(chat, agent, "Hi"));
    expect(c.isError).toBe(true);
    expect(h.text(c)).toMatch(/HELPCRUNCH_CUSTOMER_MESSAGES=off/);
    expect(h.writes()).toHaveLength(0);
  });

  it("always allows private notes", async () => {
    const { h, agent, chat } = await setup();
    const r = await h.call("send_message", { chat_id: chat.id, text: "internal: VIP", private: true, agent: agent.name });
    expect(r.isError).toBeFalsy();
    expect(h.writes()).toHaveLength(1);
  });

  it("allows replies when the operator enables them", async () => {
    const { h, agent, chat } = await setup({ customerMessages: "on" });
    const r = await h.call("send_message", { chat_id: chat.id, text: "We are on it.", agent: agent.id });
    expect(r.isError).toBeFalsy();
    expect(h.writes()[0]?.body).toEqual({ chat: chat.id, text: "We are on it.", agent: agent.id, type: "message" });
    // Sent without asking anyone: the audit line says the policy approved it.
    expect(h.logs.find((l) => l.includes('"tool":"send_message"'))).toMatch(/"approval":"policy"/);
  });
});

describe("messages always carry an agent", () => {
  it("refuses without agent or HELPCRUNCH_DEFAULT_AGENT, explaining why", async () => {
    const { h, chat } = await setup();
    const r = await h.call("send_message", { chat_id: chat.id, text: "note", private: true });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/as the customer/);
    expect(h.writes()).toHaveLength(0);
  });

  it("uses HELPCRUNCH_DEFAULT_AGENT", async () => {
    const { h, agent, chat } = await setup();
    await h.close();
    const again = await setup({ defaultAgent: agent.email ?? undefined });
    const r = await again.h.call("send_message", { chat_id: chat.id, text: "note", private: true });
    expect(r.isError).toBeFalsy();
    expect((again.h.writes()[0]?.body as { agent: number }).agent).toBe(agent.id);
  });
});

describe("no double replies", () => {
  it("refuses the same text to the same chat within 10 minutes; allow_duplicate overrides", async () => {
    const { h, agent, chat } = await setup({ customerMessages: "on" });
    const args = { chat_id: chat.id, text: "Your refund was issued.", agent: agent.id };
    expect((await h.call("send_message", args)).isError).toBeFalsy();
    const second = await h.call("send_message", { ...args, text: "  your refund was ISSUED. " });
    expect(second.isError).toBe(true);
    expect(h.text(second)).toMatch(/not sending it twice.*allow_duplicate/);
    expect(h.writes()).toHaveLength(1);
    expect((await h.call("send_message", { ...args, allow_duplicate: true })).isError).toBeFalsy();
    expect(h.writes()).toHaveLength(2);
  });
});

describe("dry_run on message writes", () => {
  it("send_message dry_run returns the request a real call sends, and sends nothing", async () => {
    const { h, agent, chat } = await setup();
    const dry = (await callOk(h, sendMessage, { chat_id: chat.id, text: "note", private: true, agent: agent.id, dry_run: true }))
      .structured;
    expect(h.writes()).toHaveLength(0);
    await h.call("send_message", { chat_id: chat.id, text: "note", private: true, agent: agent.id });
    const sent = h.writes()[0];
    expect(dry.request).toEqual({ method: sent?.method, path: sent?.path, body: sent?.body });
  });

  it("create_chat dry_run lists both requests and sends nothing", async () => {
    const { h, agent, chat } = await setup({ customerMessages: "on" });
    const { structured: dry } = await callOk(h, createChat, { ...newChatWithMessage(chat, agent, "Hi"), dry_run: true });
    expect(h.writes()).toHaveLength(0);
    expect(dry.requests?.map((r) => r.path)).toEqual(["/chats", "/messages"]);
  });
});

describe("create_chat", () => {
  it("asks for application_id when the account has several, listing them", async () => {
    const { h, chat } = await setup();
    const r = await h.call("create_chat", { customer: chat.customer?.id });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/has 2 applications; pass application_id: .*\(id \d+\)/);
  });

  it("says the chat exists when its first message fails, and gives the id", async () => {
    const { h, agent, chat } = await setup({ customerMessages: "on" });
    // A refusal: the message certainly failed (a 5xx would leave its outcome unknown, see reply-guard.test.ts).
    h.sandbox.addFault({
      method: "POST",
      path: "/messages",
      fault: { type: "status", status: 400, body: { errors: [{ code: "invalid_chat_value", message: "Invalid chat ID" }] } },
    });
    const r = await h.call("create_chat", newChatWithMessage(chat, agent, "Hi"));
    expect(r.isError).toBe(true);
    const created = h.writes().find((w) => w.path === "/chats" && w.status === 201);
    expect(created).toBeDefined();
    expect(h.text(r)).toMatch(
      /^Chat \d+ was created, but its first message failed .*send_message with chat_id \d+; do not create the chat again\.$/,
    );
    expect(h.writes().filter((w) => w.path === "/messages")).toHaveLength(1);
  });
});
