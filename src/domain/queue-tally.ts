/**
 * The queue's counts without reading every chat. What a count adds up is a facet of one chat that
 * no clock changes (its status, unassigned, awaiting a reply, unread, has a snooze time), so a
 * mirror keeps their sums as chats come, change and go. The clock enters only through snoozes:
 * a chat still snoozed now is counted as snoozed and nothing else, so the counts of the queue are
 * the tally minus the facets of the chats still snoozed (read from a time index), and the oldest
 * wait is the first chat awaiting a reply in longest-waiting order. SLA states depend on the clock
 * of every chat: they are counted from the chats themselves (countQueue).
 */
import type { Chat } from "../helpcrunch/index.js";
import { isAwaitingReply, waitingMinutes } from "./conversation.js";
import type { QueueCounts } from "./triage.js";

/** Facet → how many queued chats have it; ALL counts every chat. */
export type Tally = Record<string, number>;

/** Facet names are one letter (a mirror stores them with every chat): every chat, then a status by name. */
export const ALL = "n";
const STATUS = "s=";
const UNASSIGNED = "u";
const AWAITING = "a";
const UNREAD = "r";
const SNOOZE = "z";

/** The clock-free facets of a chat (ALL first): the same chat always gives the same list. */
export function tallyFacets(chat: Chat): string[] {
  const facets = [ALL, `${STATUS}${chat.status}`];
  if (chat.assignee == null) facets.push(UNASSIGNED);
  if (isAwaitingReply(chat)) facets.push(AWAITING);
  if (chat.readByAgent === false) facets.push(UNREAD);
  if (chat.snoozedUntil != null) facets.push(SNOOZE);
  return facets;
}

/** Adds (sign 1) or removes (sign −1) a chat's facets; a facet at zero is dropped. */
export function addFacets(tally: Tally, facets: readonly string[], sign: 1 | -1): void {
  for (const facet of facets) {
    const n = (tally[facet] ?? 0) + sign;
    if (n === 0) delete tally[facet];
    else tally[facet] = n;
  }
}

export function tallyOf(chats: Iterable<Chat>): Tally {
  const tally: Tally = {};
  for (const chat of chats) addFacets(tally, tallyFacets(chat), 1);
  return tally;
}

/**
 * countQueue's counts (without SLA) of every queued chat, from their tally, the facets of the chats
 * still snoozed at `now`, and the chat awaiting a reply whose customer wrote longest ago among
 * those not snoozed (undefined: none).
 */
export function countsFromTally(
  tally: Tally,
  stillSnoozed: ReadonlyArray<readonly string[]>,
  oldestAwaiting: Chat | undefined,
  now: number,
): QueueCounts {
  const open: Tally = { ...tally };
  for (const facets of stillSnoozed) addFacets(open, facets, -1);
  const by_status: Record<string, number> = {};
  for (const [facet, n] of Object.entries(open)) if (facet.startsWith(STATUS) && n > 0) by_status[facet.slice(STATUS.length)] = n;
  return {
    open: open[ALL] ?? 0,
    by_status,
    unassigned: open[UNASSIGNED] ?? 0,
    awaiting_reply: open[AWAITING] ?? 0,
    unread: open[UNREAD] ?? 0,
    snoozes_due: open[SNOOZE] ?? 0,
    snoozed: stillSnoozed.length,
    oldest_wait_minutes: (oldestAwaiting && waitingMinutes(oldestAwaiting, now)) ?? 0,
  };
}
