/**
 * HelpCrunch's webhook wire format: the signature over the raw bytes, the envelope, both payload
 * shapes the docs show (`chat_id` and `chat.id`, the chat as eventData or under `chat`) and
 * timestamps in seconds or milliseconds.
 */
import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyWebhookSignature } from "../../src/helpcrunch/webhook-signature.js";
import { chatAfterMessage, parseWebhook } from "../../src/helpcrunch/webhooks.js";
import { makeChat } from "../helpers/chats.js";

const SECRET = "signing-key";
const hex = (body: string, key = SECRET) => createHmac("sha1", key).update(body).digest("hex");

describe("signature", () => {
  it("accepts the hex HMAC-SHA1 of exactly the raw bytes, in either case, and nothing else", () => {
    const body = Buffer.from('{"id":"a","event":"closed"}');
    expect(verifyWebhookSignature(body, hex(body.toString()), SECRET)).toBe(true);
    expect(verifyWebhookSignature(body, hex(body.toString()).toUpperCase(), SECRET)).toBe(true);
    expect(verifyWebhookSignature(body, undefined, SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, "", SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, hex(body.toString(), "other"), SECRET)).toBe(false);
    // Re-serialised JSON is other bytes: the signature is over what was sent, not what it means.
    expect(verifyWebhookSignature(Buffer.from('{"id": "a", "event": "closed"}'), hex(body.toString()), SECRET)).toBe(false);
  });
});

describe("envelope", () => {
  const chat = { id: 7, status: "on hold", assignee: null, createdAt: "1603885746", lastCustomerMessageAt: 1603885800 };

  it("reads chat events with the chat as eventData or under chat, and createdAt in seconds or milliseconds", () => {
    const direct = parseWebhook({ id: "u1", event: "assigned", createdAt: 1_700_000_000_123, eventData: chat });
    const nested = parseWebhook({ id: "u2", event: "closed", createdAt: "1700000000.123", eventData: { chat } });
    expect(direct).toMatchObject({ kind: "chat", eventId: "u1", at: 1_700_000_000_123, chat: { id: 7, status: "onhold" } });
    expect(nested).toMatchObject({
      kind: "chat",
      eventId: "u2",
      at: 1_700_000_000_123,
      chat: { id: 7, lastCustomerMessageAt: 1_603_885_800_000 },
    });
  });

  it("reads message events naming the chat chat_id, chat.id or chat", () => {
    const message = { id: 90, text: "hi", from: "customer", type: "message", createdAt: "1700000000.500" };
    for (const holder of [{ chat_id: 7 }, { chat: { id: 7 } }, { chat: "7" }]) {
      expect(parseWebhook({ id: "m", event: "message.chat.customer", createdAt: 1, eventData: { ...message, ...holder } })).toMatchObject({
        kind: "message",
        chatId: 7,
        message: { id: 90, from: "customer", createdAt: 1_700_000_000_500 },
      });
    }
    expect(
      parseWebhook({
        id: "m",
        event: "message.chat.customer",
        createdAt: 1,
        eventData: { ...message, created_at: message.createdAt, createdAt: undefined, chat_id: 7 },
      }),
    ).toMatchObject({
      kind: "message",
    });
  });

  it("reads customer events and unknown ones as other, and anything that is not an envelope as nothing", () => {
    expect(parseWebhook({ id: "c", event: "tags_changed", createdAt: 1, eventData: {} })).toMatchObject({ kind: "other" });
    expect(parseWebhook({ id: "c", event: "assigned", createdAt: 1, eventData: { no: "chat" } })).toMatchObject({ kind: "other" });
    expect(parseWebhook({ event: "assigned", eventData: chat })).toBeUndefined();
    expect(parseWebhook("assigned")).toBeUndefined();
  });
});

describe("chatAfterMessage", () => {
  const at = Date.parse("2026-11-25T12:00:00.750Z");
  it("a customer message makes the chat unread and awaiting, in whole seconds; a note changes nothing; an agent reply opens a new chat", () => {
    const chat = makeChat({ id: 1, status: "new", readByAgent: true });
    const customer = chatAfterMessage(chat, { id: 5, from: "customer", type: "message", text: "hi", createdAt: at, agent: null });
    expect(customer).toMatchObject({
      readByAgent: false,
      lastCustomerMessageAt: at - 750,
      lastMessageAt: at - 750,
      lastMessageText: "hi",
      status: "new",
    });
    expect(chatAfterMessage(chat, { id: 6, from: "agent", type: "private", text: "note", createdAt: at, agent: null })).toBe(chat);
    const agent = { id: 3, name: "Ann", email: "ann@example.com", role: "agent" };
    const reply = chatAfterMessage(customer, { id: 7, from: "agent", type: "message", text: "hello", createdAt: at, agent });
    expect(reply).toMatchObject({ status: "opened", readByAgent: true, lastCommunicatedAgentId: 3 });
    expect(reply.agents.map((a) => a.id)).toContain(3);
  });
});
