/**
 * Rules of the live queue, without I/O: which chats a view of the queue shows, which changes matter
 * to a ranking, why a chat left a view, and the cursor an answer carries ("what changed since").
 *
 * A view is the open queue narrowed like triage_queue narrows it (department, assignee or
 * unassigned; snoozed chats only when asked). A chat is in a view at an instant, so a snooze that
 * ends brings a chat back without any change to the chat itself.
 */
import type { Chat } from "../helpcrunch/index.js";
import { isOpen } from "./conversation.js";
import { isSnoozed } from "./triage.js";

export interface QueueView {
  departmentId?: number;
  assigneeId?: number;
  unassigned?: boolean;
  includeSnoozed: boolean;
}

export function inView(chat: Chat | null | undefined, view: QueueView, now: number): chat is Chat {
  if (!chat || !isOpen(chat)) return false;
  if (view.departmentId !== undefined && chat.department?.id !== view.departmentId) return false;
  if (view.assigneeId !== undefined && chat.assignee?.id !== view.assigneeId) return false;
  if (view.unassigned && chat.assignee != null) return false;
  return view.includeSnoozed || !isSnoozed(chat, now);
}

/** The chats of the open queue in `view` (the scope filters of a scan, applied in memory). */
export function chatsInView(chats: Iterable<Chat>, view: QueueView): Chat[] {
  // Snoozed chats stay: triage counts them ("still snoozed") and ranks them only when asked.
  const scope = { ...view, includeSnoozed: true };
  return [...chats].filter((chat) => inView(chat, scope, 0));
}

/** The fields the ranking, the counts and the summaries read; a change elsewhere is not worth a model's tokens. */
function rankFields(chat: Chat): string {
  return JSON.stringify([
    chat.status,
    chat.assignee?.id ?? null,
    chat.department?.id ?? null,
    chat.readByAgent,
    chat.lastCustomerMessageAt,
    chat.lastMessageAt,
    chat.snoozedUntil,
    chat.rating,
  ]);
}

export type QueueMove =
  | { kind: "entered"; chat: Chat }
  | { kind: "changed"; chat: Chat }
  | { kind: "left"; id: number; why: string; chat: Chat | null };

/** Why a chat that was in `view` is not any more. */
export function whyLeft(after: Chat | null, view: QueueView, now: number): string {
  if (!after) return "no longer open";
  if (after.status === "closed") return "closed";
  if (!isOpen(after)) return `status ${after.status}`;
  if (!view.includeSnoozed && isSnoozed(after, now)) return "snoozed";
  if (view.assigneeId !== undefined || view.unassigned)
    return after.assignee ? `assigned to ${after.assignee.name ?? `#${after.assignee.id}`}` : "unassigned";
  return "moved to another department";
}

/**
 * How one chat moved between two instants: `before` as it was at `then` (null = unknown to the
 * queue), `after` as it is `now`. Undefined when a model need not hear about it.
 */
export function queueMove(before: Chat | null, after: Chat | null, view: QueueView, then: number, now: number): QueueMove | undefined {
  const was = inView(before, view, then);
  const is = inView(after, view, now);
  if (!was && is) return { kind: "entered", chat: after as Chat };
  if (was && !is) return { kind: "left", id: (before as Chat).id, why: whyLeft(after, view, now), chat: after };
  if (was && is && rankFields(before as Chat) !== rankFields(after as Chat)) return { kind: "changed", chat: after as Chat };
  return undefined;
}

/** Where an answer stands in the mirror's change log: which mirror, which change, and when. */
export interface QueueCursor {
  epoch: string;
  seq: number;
  at: number;
}

const CURSOR_PREFIX = "q1";

export function encodeCursor(cursor: QueueCursor): string {
  // Whole seconds keep the cursor short; a snooze that ended within the cursor's second may be told once more.
  return [CURSOR_PREFIX, cursor.epoch, cursor.seq.toString(36), Math.floor(cursor.at / 1000).toString(36)].join(".");
}

export function decodeCursor(text: string): QueueCursor | undefined {
  const [prefix, epoch, seq, at] = text.split(".");
  if (prefix !== CURSOR_PREFIX || !epoch || !/^[a-z0-9]{1,16}$/.test(epoch) || !seq || !at) return undefined;
  const parsed = { epoch, seq: Number.parseInt(seq, 36), at: Number.parseInt(at, 36) * 1000 };
  return Number.isSafeInteger(parsed.seq) && Number.isSafeInteger(parsed.at) ? parsed : undefined;
}
