/**
 * HelpCrunch webhooks: the signature, the envelope and what an event says about a chat. The only
 * code that knows their wire format (see docs/helpcrunch-api.md, "Webhooks").
 *
 * - Signature: see webhook-signature.ts (apart, so a plain start loads no crypto).
 * - Envelope: `{event, eventData, attempts, lastAttemptAt, createdAt, id}`; `id` identifies a
 *   delivery for deduplication [doc]. `createdAt` in seconds or milliseconds (both seen).
 * - Chat events (`chat.new`, `status_updated`, `assigned`, `snoozed`, `unsnoozed`, `closed`, `rated`)
 *   carry the chat, either as `eventData` or as `eventData.chat` [doc shows both].
 * - Message events (`message.chat.customer`, `message.private`, …) carry the message and the chat
 *   as snake_case `chat_id` or as `chat.id` / `chat` [doc shows both].
 * - Customer events and anything unknown are read as `other` and ignored by the queue.
 */
import { z } from "zod";
import { type Chat, chatSchema, id, messageSchema, timestamp } from "./schemas.js";

const CHAT_EVENTS = new Set(["chat.new", "status_updated", "assigned", "snoozed", "unsnoozed", "closed", "rated"]);

/** A message event's facts about the chat it was written in (HelpCrunch's chat timestamps are whole seconds). */
export interface MessageFacts {
  id: number;
  from: "customer" | "agent" | "other";
  /** message | private | email | tech | … */
  type: string;
  text: string | null;
  /** Epoch ms. */
  createdAt: number;
  agent: { id: number; name: string | null; email: string | null; role: string | null } | null;
}

export type WebhookEvent =
  | { kind: "chat"; eventId: string; event: string; at: number; chat: Chat }
  | { kind: "message"; eventId: string; event: string; at: number; chatId: number; message: MessageFacts }
  | { kind: "other"; eventId: string; event: string; at: number };

const envelopeSchema = z.object({
  id: z.union([z.string().min(1).max(200), z.number()]).transform(String),
  event: z.string().min(1).max(100),
  eventData: z.unknown(),
  createdAt: timestamp,
});

const chatIdSchema = z.union([
  z.object({ chat_id: id }).transform((v) => v.chat_id),
  z.object({ chatId: id }).transform((v) => v.chatId),
  z.object({ chat: z.object({ id }) }).transform((v) => v.chat.id),
  z.object({ chat: id }).transform((v) => v.chat),
]);

const agentSchema = z
  .object({ id, name: z.string().nullish(), email: z.string().nullish(), role: z.string().nullish() })
  .nullish()
  .catch(null);

function messageFacts(data: unknown): MessageFacts | undefined {
  const message = messageSchema.safeParse(data);
  if (!message.success || message.data.createdAt === null) return undefined;
  const agent = agentSchema.parse((data as { agent?: unknown }).agent);
  const from = message.data.from === "customer" || message.data.from === "agent" ? message.data.from : "other";
  return {
    id: message.data.id,
    from,
    type: message.data.type ?? "message",
    text: message.data.text,
    createdAt: message.data.createdAt,
    agent: agent ? { id: agent.id, name: agent.name ?? null, email: agent.email ?? null, role: agent.role ?? null } : null,
  };
}

/** The event a delivery carries, or undefined when the body is not a HelpCrunch envelope. */
export function parseWebhook(body: unknown): WebhookEvent | undefined {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return undefined;
  const { id: eventId, event, eventData } = envelope.data;
  const at = envelope.data.createdAt ?? 0;
  if (CHAT_EVENTS.has(event)) {
    const holder = eventData as { chat?: unknown } | null;
    const raw = holder && typeof holder === "object" && typeof holder.chat === "object" && holder.chat !== null ? holder.chat : eventData;
    const chat = chatSchema.safeParse(raw);
    return chat.success ? { kind: "chat", eventId, event, at, chat: chat.data } : { kind: "other", eventId, event, at };
  }
  if (event.startsWith("message.")) {
    const data = eventData as Record<string, unknown> | null;
    const chatId = chatIdSchema.safeParse(data);
    // `chat` may be an object here; the message schema reads it as an id, so the chat is taken apart above.
    const message = messageFacts(data && { ...data, chat: undefined, createdAt: data.createdAt ?? data.created_at });
    if (chatId.success && message) return { kind: "message", eventId, event, at, chatId: chatId.data, message };
  }
  return { kind: "other", eventId, event, at };
}

const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;

/**
 * The chat after a message event, as HelpCrunch's chat object would show it [guess, the same
 * behaviour the sandbox emulates]: a customer message makes the chat unread and awaiting a reply
 * (an `empty` chat becomes `new`); an agent reply marks it read, adds the agent to `agents` and
 * opens a `new` chat. Private notes and system lines change nothing a queue ranks by.
 */
export function chatAfterMessage(chat: Chat, message: MessageFacts): Chat {
  if (message.type === "private" || message.type === "tech" || message.from === "other") return chat;
  const at = wholeSeconds(message.createdAt);
  const next: Chat = { ...chat, lastMessageAt: at, lastMessageText: message.text, lastMessageId: message.id };
  if (message.from === "customer") {
    return {
      ...next,
      lastCustomerMessageAt: at,
      readByAgent: false,
      readByCustomer: true,
      status: chat.status === "empty" ? "new" : chat.status,
    };
  }
  const agent = message.agent;
  return {
    ...next,
    readByAgent: true,
    readByCustomer: false,
    status: chat.status === "empty" || chat.status === "new" ? "opened" : chat.status,
    ...(agent
      ? {
          lastCommunicatedAgentId: agent.id,
          agents: chat.agents.some((a) => a.id === agent.id) ? chat.agents : [...chat.agents, agent],
        }
      : {}),
  };
}
