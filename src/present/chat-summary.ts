/**
 * The chat summary: the unit every tool returns. Compact enough to triage 100 chats in one
 * context window, with customer-written text fenced (see text.ts). One schema, one builder,
 * one text line; tools never format chats themselves.
 */
import { z } from "zod";
import { waitingMinutes } from "../domain/conversation.js";
import { type SlaClock, type SlaPolicy, slaPhrase } from "../domain/sla.js";
import { humanDuration, isoUtc } from "../domain/time.js";
import type { Chat } from "../helpcrunch/index.js";
import { NameBook, type Names } from "./names.js";
import { fence, tagList, untrusted } from "./text.js";

export const PREVIEW_MAX = 120;
const NAME_MAX = 60;

const ref = z.object({ id: z.number(), name: z.string().optional() });

/**
 * Times in structuredContent are UNIX seconds (UTC), as HelpCrunch keeps them: lossless at a third
 * of an ISO string's tokens. The text form shows people ages and dates instead.
 */
export const unixSeconds = z.number().describe("UNIX seconds (UTC)");

/** Epoch ms (the one form of time inside the process) → UNIX seconds, at the edge where answers leave. */
export const toSeconds = (epochMs: number | undefined): number | undefined =>
  epochMs === undefined ? undefined : Math.floor(epochMs / 1000);

/**
 * A chat as structuredContent carries it. Lossless but lean: what can be derived is left out,
 * and each rule is stated here so a program can read it back (docs/tools.md lists them too).
 */
export const chatSummarySchema = z.object({
  id: z.number(),
  status: z.string(),
  customer: ref
    .extend({ email: z.string().optional(), tags: z.array(z.string()).optional() })
    .optional()
    .describe("Name, email and tags are customer data; tags only where get_chat read them"),
  assignee: z.number().optional().describe("Agent id, named in names.agents; absent = unassigned"),
  department: z.number().optional().describe("Department id, named in names.departments"),
  created_at: unixSeconds.optional(),
  last_message_at: unixSeconds.optional(),
  last_customer_message_at: unixSeconds
    .nullable()
    .optional()
    .describe("UNIX seconds; absent when equal to last_message_at, null when the customer never wrote"),
  waiting_minutes: z.number().optional().describe("Minutes since the customer's unanswered message; present exactly when a reply is owed"),
  unread: z.boolean().optional().describe("No agent has read the last message"),
  snoozed_until: unixSeconds.optional(),
  rating: z.string().optional().describe("great, average or poor"),
  closed_at: unixSeconds.optional(),
  preview: z.string().optional().describe("Last message, at most 120 characters"),
  preview_from: z.literal("agent").optional().describe("Set when an agent wrote the preview; absent = the customer did"),
  sla: z
    .object({
      kind: z.enum(["first_reply", "next_reply"]),
      due_at: unixSeconds,
      minutes_left: z.number().describe("Negative when overdue"),
      state: z.enum(["breached", "at_risk", "ok"]),
    })
    .optional()
    .describe("The running response-time clock, when SLA targets are configured and a reply is owed"),
});
export type ChatSummary = z.infer<typeof chatSummarySchema>;

/** The full view of a chat that the text line is built from; structuredContent gets its lean form. Times are epoch ms. */
export interface ChatView {
  id: number;
  status: string;
  customer?: { id: number; name?: string; email?: string; tags?: string[] };
  assignee?: { id: number; name?: string };
  department?: { id: number; name?: string };
  created_at?: number;
  last_message_at?: number;
  last_customer_message_at?: number;
  awaiting_reply: boolean;
  waiting_minutes?: number;
  unread?: boolean;
  snoozed_until?: number;
  rating?: string;
  closed_at?: number;
  preview?: string;
  preview_from?: "customer" | "agent";
  sla?: SlaClock;
}

export function toChatView(chat: Chat, now: number, sla?: SlaPolicy): ChatView {
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
    created_at: chat.createdAt ?? undefined,
    last_message_at: chat.lastMessageAt ?? undefined,
    last_customer_message_at: chat.lastCustomerMessageAt ?? undefined,
    awaiting_reply: waiting !== undefined,
    waiting_minutes: waiting,
    unread: chat.readByAgent == null ? undefined : !chat.readByAgent,
    snoozed_until: chat.snoozedUntil ?? undefined,
    rating: chat.rating ?? undefined,
    closed_at: chat.closedAt ?? undefined,
    preview: previewText || undefined,
    preview_from: previewText ? (lastMessageByCustomer(chat) ? "customer" : "agent") : undefined,
    sla: sla?.clockFor(chat, now),
  });
}

function lastMessageByCustomer(chat: Chat): boolean {
  return chat.lastCustomerMessageAt != null && (chat.lastMessageAt == null || chat.lastCustomerMessageAt >= chat.lastMessageAt);
}

/**
 * `#5215752 new · <customer_name>Mike Storm</customer_name> mike@example.com · unassigned · Billing ·
 * waiting 2h 15m · unread · <customer_message>my card was charged twice…</customer_message>`
 */
export function chatLine(s: ChatView, now: number): string {
  const parts = [`#${s.id} ${s.status}`];
  if (s.customer) {
    const who = [s.customer.name ? fence("customer_name", s.customer.name) : `customer ${s.customer.id}`, s.customer.email]
      .filter(Boolean)
      .join(" ");
    parts.push(s.customer.tags?.length ? `${who} (tags ${fence("customer_data", tagList(s.customer.tags))})` : who);
  }
  parts.push(s.assignee ? `→ ${s.assignee.name ?? `agent ${s.assignee.id}`}` : "unassigned");
  if (s.department?.name) parts.push(s.department.name);
  if (s.waiting_minutes != null) parts.push(`waiting ${humanDuration(s.waiting_minutes * 60_000)}`);
  else if (s.last_message_at !== undefined) parts.push(`last ${humanDuration(now - s.last_message_at)} ago`);
  if (s.unread) parts.push("unread");
  if (s.snoozed_until !== undefined) {
    const until = s.snoozed_until;
    parts.push(until > now ? `snoozed ${humanDuration(until - now)} more` : `snooze ended ${humanDuration(now - until)} ago`);
  }
  if (s.rating) parts.push(`rated ${s.rating}`);
  if (s.sla && s.sla.state !== "ok") parts.push(slaPhrase(s.sla));
  if (s.preview) parts.push(s.preview_from === "customer" ? fence("customer_message", s.preview) : `agent: "${s.preview}"`);
  return parts.join(" · ");
}

/**
 * What changed in a chat the reader has seen before, and nothing else:
 * `#5215752 · pending → opened · → Priya Patel · waiting 3m · unread · <customer_message>any news?</customer_message>`
 */
export function changeLine(before: ChatView, after: ChatView, now: number): string {
  const parts = [`#${after.id}`];
  if (before.status !== after.status) parts.push(`${before.status} → ${after.status}`);
  if (before.assignee?.id !== after.assignee?.id)
    parts.push(after.assignee ? `→ ${after.assignee.name ?? `agent ${after.assignee.id}`}` : "unassigned");
  if (before.department?.id !== after.department?.id) parts.push(after.department?.name ?? `department ${after.department?.id ?? "none"}`);
  const newMessage = before.last_message_at !== after.last_message_at ? after.preview : undefined;
  // "waiting 0m" beside the customer's message that just came in says nothing the message does not.
  const justWritten = newMessage && after.preview_from === "customer" && (after.waiting_minutes ?? 0) < 1;
  if (after.waiting_minutes != null) {
    if (!justWritten) parts.push(`waiting ${humanDuration(after.waiting_minutes * 60_000)}`);
  } else if (before.waiting_minutes != null) parts.push("answered");
  if (before.unread !== after.unread) parts.push(after.unread ? "unread" : "read");
  if (before.snoozed_until !== after.snoozed_until)
    parts.push(
      after.snoozed_until !== undefined && after.snoozed_until > now ? `snoozed ${humanDuration(after.snoozed_until - now)}` : "unsnoozed",
    );
  if (before.rating !== after.rating && after.rating) parts.push(`rated ${after.rating}`);
  if (after.sla && after.sla.state !== "ok") parts.push(slaPhrase(after.sla));
  if (newMessage) parts.push(after.preview_from === "customer" ? fence("customer_message", newMessage) : `agent: "${newMessage}"`);
  return parts.join(" · ");
}

/** The lean form of chat views; the agents and departments they name go into `book`. */
/** ChatView fields a summary writes its own way (ids, UNIX seconds) or leaves out (derivable). */
const REWRITTEN = new Set<string>([
  "assignee",
  "department",
  "awaiting_reply",
  "created_at",
  "last_message_at",
  "last_customer_message_at",
  "snoozed_until",
  "closed_at",
  "preview_from",
  "sla",
]);

export function summarize(views: ChatView[], book = new NameBook()): { chats: ChatSummary[]; names?: Names } {
  const chats = views.map((view) => {
    // One pass with the keys in the view's order, then the rewritten ones, undefined left out: an object
    // rest, a spread and prune made three copies of every chat of every answer (9% of a search_chats call).
    const summary: Record<string, unknown> = {};
    const put = (key: string, value: unknown) => {
      if (value !== undefined) summary[key] = value;
    };
    for (const key of Object.keys(view)) if (!REWRITTEN.has(key)) put(key, view[key as keyof ChatView]);
    const lastCustomer = toSeconds(view.last_customer_message_at);
    put("assignee", book.agent(view.assignee));
    put("department", book.department(view.department));
    put("created_at", toSeconds(view.created_at));
    put("last_message_at", toSeconds(view.last_message_at));
    put("last_customer_message_at", lastCustomer === toSeconds(view.last_message_at) ? undefined : (lastCustomer ?? null));
    put("snoozed_until", toSeconds(view.snoozed_until));
    put("closed_at", toSeconds(view.closed_at));
    put("preview_from", view.preview_from === "agent" ? "agent" : undefined);
    const sla = view.sla;
    put("sla", sla ? { kind: sla.kind, due_at: Math.floor(sla.dueAt / 1000), minutes_left: sla.minutesLeft, state: sla.state } : undefined);
    return summary as unknown as ChatSummary;
  });
  return { chats, names: book.names() };
}

/** One chat's lean form and the names it refers to. */
export function summarizeOne(view: ChatView, book = new NameBook()): { chat: ChatSummary; names?: Names } {
  const { chats, names } = summarize([view], book);
  return { chat: chats[0] as ChatSummary, names };
}

/** Drops undefined keys so structuredContent stays compact ("omit null/empty fields"). */
export function prune<T extends object>(value: T): T {
  // A loop, not fromEntries(entries().filter()): it runs for every chat of every answer (5% of a search_chats call's CPU).
  const kept: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) kept[key] = v;
  }
  return kept as T;
}

/** A chat's snooze as a person reads it, for "what changed" lines. */
export function showSnooze(chat: Chat): string {
  return chat.snoozedUntil == null ? "not snoozed" : `snoozed until ${isoUtc(chat.snoozedUntil)}`;
}
