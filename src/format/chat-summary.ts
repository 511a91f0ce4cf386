/**
 * The chat summary: the unit every tool returns. Compact enough to triage 100 chats in one
 * context window, with customer-written text fenced (see text.ts). One schema, one builder,
 * one text line; tools never format chats themselves.
 */
import { z } from "zod";
import type { Chat } from "../client/index.js";
import { fence, untrusted } from "./text.js";
import { humanDuration, isoOrUndefined, isoUtc } from "./time.js";

export const PREVIEW_MAX = 120;
const NAME_MAX = 60;

const ref = z.object({ id: z.number(), name: z.string().optional() });

export const chatSummarySchema = z.object({
  id: z.number(),
  status: z.string(),
  customer: ref.extend({ email: z.string().optional() }).optional(),
  assignee: ref.optional(),
  department: ref.optional(),
  created_at: z.string().optional(),
  last_message_at: z.string().optional(),
  last_customer_message_at: z.string().optional(),
  awaiting_reply: z.boolean(),
  waiting_minutes: z.number().optional(),
  unread: z.boolean().optional(),
  snoozed_until: z.string().optional(),
  rating: z.string().optional(),
  closed_at: z.string().optional(),
  preview: z.string().optional(),
  preview_from: z.enum(["customer", "agent"]).optional(),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

const CLOSED_STATES = new Set(["closed", "no communication", "empty"]);

/**
 * The customer spoke last: their last message is the chat's last message. Private notes do not
 * move lastMessageAt (see sandbox notes), so a note alone does not count as an answer.
 */
export function isAwaitingReply(chat: Chat): boolean {
  if (CLOSED_STATES.has(chat.status) || chat.lastCustomerMessageAt == null) return false;
  return chat.lastMessageAt == null || chat.lastCustomerMessageAt >= chat.lastMessageAt;
}

/** Minutes since the customer's unanswered message; undefined when no reply is owed. */
export function waitingMinutes(chat: Chat, now: number): number | undefined {
  if (!isAwaitingReply(chat) || chat.lastCustomerMessageAt == null) return undefined;
  return Math.max(0, Math.floor((now - chat.lastCustomerMessageAt) / 60_000));
}

export function toChatSummary(chat: Chat, now: number): ChatSummary {
  const waiting = waitingMinutes(chat, now);
  const previewText = untrusted(chat.lastMessageText, PREVIEW_MAX);
  return prune({
    id: chat.id,
    status: chat.status,
    customer: chat.customer
      ? prune({
          id: chat.customer.id,
          name: untrusted(chat.customer.name, NAME_MAX) || undefined,
          email: untrusted(chat.customer.email, NAME_MAX) || undefined,
        })
      : undefined,
    assignee: chat.assignee ? prune({ id: chat.assignee.id, name: chat.assignee.name ?? undefined }) : undefined,
    department: chat.department ? prune({ id: chat.department.id, name: chat.department.name ?? undefined }) : undefined,
    created_at: isoOrUndefined(chat.createdAt),
    last_message_at: isoOrUndefined(chat.lastMessageAt),
    last_customer_message_at: isoOrUndefined(chat.lastCustomerMessageAt),
    awaiting_reply: waiting !== undefined,
    waiting_minutes: waiting,
    unread: chat.readByAgent == null ? undefined : !chat.readByAgent,
    snoozed_until: isoOrUndefined(chat.snoozedUntil),
    rating: chat.rating ?? undefined,
    closed_at: isoOrUndefined(chat.closedAt),
    preview: previewText || undefined,
    preview_from: previewText ? (lastMessageByCustomer(chat) ? "customer" : "agent") : undefined,
  });
}

function lastMessageByCustomer(chat: Chat): boolean {
  return chat.lastCustomerMessageAt != null && (chat.lastMessageAt == null || chat.lastCustomerMessageAt >= chat.lastMessageAt);
}

/**
 * `#5215752 new · <customer_name>Mike Storm</customer_name> mike@example.com · unassigned · Billing ·
 * waiting 2h 15m · unread · <customer_message>my card was charged twice…</customer_message>`
 */
export function chatLine(s: ChatSummary, now: number): string {
  const parts = [`#${s.id} ${s.status}`];
  if (s.customer) {
    const who = [s.customer.name ? fence("customer_name", s.customer.name) : `customer ${s.customer.id}`, s.customer.email]
      .filter(Boolean)
      .join(" ");
    parts.push(who);
  }
  parts.push(s.assignee ? `→ ${s.assignee.name ?? `agent ${s.assignee.id}`}` : "unassigned");
  if (s.department?.name) parts.push(s.department.name);
  if (s.waiting_minutes != null) parts.push(`waiting ${humanDuration(s.waiting_minutes * 60_000)}`);
  else if (s.last_message_at) parts.push(`last ${humanDuration(now - Date.parse(s.last_message_at))} ago`);
  if (s.unread) parts.push("unread");
  if (s.snoozed_until) {
    const until = Date.parse(s.snoozed_until);
    parts.push(until > now ? `snoozed ${humanDuration(until - now)} more` : `snooze ended ${humanDuration(now - until)} ago`);
  }
  if (s.rating) parts.push(`rated ${s.rating}`);
  if (s.preview) parts.push(s.preview_from === "customer" ? fence("customer_message", s.preview) : `agent: "${s.preview}"`);
  return parts.join(" · ");
}

/** Drops undefined keys so structuredContent stays compact ("omit null/empty fields"). */
export function prune<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** A chat's snooze as a person reads it, for "what changed" lines. */
export function showSnooze(chat: Chat): string {
  return chat.snoozedUntil == null ? "not snoozed" : `snoozed until ${isoUtc(chat.snoozedUntil)}`;
}
