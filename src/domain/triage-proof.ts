/**
 * When is the top of a partly read queue the true top? A chat's rank is bounded by how long ago its
 * customer last wrote: the score is minutes waited plus bonuses of at most MAX_BONUS, and an SLA
 * clock starts at the customer's last message (next reply) or at the chat's creation (first reply).
 * A scan that reads chats oldest-first therefore knows, at every moment, the most urgent chat it has
 * not read yet could be: one whose customer wrote exactly at the frontier, unassigned, unread, with
 * an ended snooze, status new, and (for the first-reply clock) created at the creation frontier.
 * Every chat read that ranks strictly ahead of that phantom is proven in place; once the K-th is,
 * the top K is exact — whatever the 99,000 chats not read say.
 *
 * Ties go to the phantom (its id is 0): a proof never depends on an id order of chats not read.
 */
import type { Chat, Frontier } from "../helpcrunch/index.js";
import type { SlaPolicy } from "./sla.js";
import { compareRanked, type RankedChat, rankChat, WEIGHTS } from "./triage.js";

/** The most any chat can add to its minutes waited. */
export const MAX_BONUS = WEIGHTS.unassigned + WEIGHTS.unread + WEIGHTS.snoozeEnded + Math.max(...Object.values(WEIGHTS.status));

const PHANTOM: Chat = {
  id: 0,
  status: "new",
  closedBy: null,
  closedAt: null,
  createdAt: null,
  lastMessageAt: null,
  lastCustomerMessageAt: null,
  snoozedUntil: null,
  rating: null,
  createdWith: null,
  readByAgent: false,
  readByCustomer: null,
  lastMessageText: null,
  lastMessageId: null,
  applicationId: null,
  lastCommunicatedAgentId: null,
  agents: [],
  customer: null,
  assignee: null,
  department: null,
};

/**
 * The best ranks a chat not read yet can have: one phantom per SLA clock kind (first reply, next
 * reply). Undefined when the frontier cannot bound them (the first-reply clock needs the creation
 * order walked too).
 */
export function unreadBounds(frontier: Frontier, now: number, sla?: SlaPolicy): RankedChat[] | undefined {
  const lastWrote = frontier.lastCustomerMessage;
  if (lastWrote === undefined) return undefined;
  if (lastWrote === Number.POSITIVE_INFINITY) return []; // everything read
  const firstReplyClock = sla?.target("first_reply") !== undefined;
  const created = frontier.created ?? (firstReplyClock ? undefined : lastWrote);
  if (created === undefined) return undefined;
  // A chat created later than the frontier may still have its customer's last word right at it.
  const base: Chat = {
    ...PHANTOM,
    lastCustomerMessageAt: lastWrote,
    lastMessageAt: lastWrote,
    createdAt: Math.min(created, lastWrote),
    snoozedUntil: now - 1,
  };
  const nextReply: Chat = { ...base, agents: [{ id: 0, name: null, email: null, role: null }], lastCommunicatedAgentId: 0 };
  return [rankChat(base, now, sla), rankChat(nextReply, now, sla)];
}

/** How many of `ranked` (best first) no chat not read yet can outrank; all of them when everything was read. */
export function provenCount(ranked: RankedChat[], bounds: RankedChat[] | undefined): number {
  if (bounds === undefined) return 0;
  let proven = 0;
  for (const r of ranked) {
    if (!bounds.every((bound) => compareRanked(r, bound) < 0)) break;
    proven++;
  }
  return proven;
}
