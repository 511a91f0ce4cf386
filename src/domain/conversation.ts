/**
 * The queue's basic rules, in one place: which statuses are open or closed, when a chat owes the
 * customer a reply, and how long they have waited. Tools, formatters, doctor and the benchmark all
 * ask here, so they cannot disagree.
 */
import type { Chat, ChatStatus } from "../helpcrunch/index.js";

/** A person may still have to act: the queue triage ranks and stats count as "open now". */
export const OPEN_STATUSES = ["new", "opened", "pending", "onhold"] as const satisfies readonly ChatStatus[];
/** Over: nobody owes the customer anything. */
export const CLOSED_STATUSES = ["closed", "no communication", "empty"] as const satisfies readonly ChatStatus[];

export function isOpen(chat: Pick<Chat, "status">): boolean {
  return (OPEN_STATUSES as readonly string[]).includes(chat.status);
}

/**
 * The customer spoke last: their last message is the chat's last message. Private notes do not
 * move lastMessageAt (see sandbox notes), so a note alone does not count as an answer.
 */
export function isAwaitingReply(chat: Chat): boolean {
  if ((CLOSED_STATUSES as readonly string[]).includes(chat.status) || chat.lastCustomerMessageAt == null) return false;
  return chat.lastMessageAt == null || chat.lastCustomerMessageAt >= chat.lastMessageAt;
}

/** Minutes since the customer's unanswered message; undefined when no reply is owed. */
export function waitingMinutes(chat: Chat, now: number): number | undefined {
  if (!isAwaitingReply(chat) || chat.lastCustomerMessageAt == null) return undefined;
  return Math.max(0, Math.floor((now - chat.lastCustomerMessageAt) / 60_000));
}
