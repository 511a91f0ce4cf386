/**
 * Who needs a human first. A pure, deterministic ranking of open chats (documented in README):
 *
 *   score = minutes the customer has waited for a reply (0 when not awaiting one)
 *         + 120 if unassigned           + 60 if unread by agents
 *         + 120 if a snooze has ended   (it came back and nobody looked yet)
 *         + status: new +60, opened +30, onhold 0, pending −30 (waiting on the customer)
 *
 * Ties: longer wait first, then lower chat id. Scores are in "minutes of waiting", so a bonus
 * reads as "as urgent as having waited that much longer".
 *
 * With SLA targets configured, a breached chat comes before everything (most overdue first), then
 * at-risk chats (least time left first), then the score.
 */
import type { Chat } from "../helpcrunch/index.js";
import { waitingMinutes } from "./conversation.js";
import { type SlaClock, type SlaPolicy, slaPhrase } from "./sla.js";
import { humanDuration } from "./time.js";

export const WEIGHTS = {
  unassigned: 120,
  unread: 60,
  snoozeEnded: 120,
  status: { new: 60, opened: 30, onhold: 0, pending: -30 } as Record<string, number>,
};

export interface RankedChat {
  chat: Chat;
  score: number;
  waitingMinutes: number;
  reason: string;
  sla?: SlaClock;
}

export interface QueueCounts {
  open: number;
  by_status: Record<string, number>;
  unassigned: number;
  awaiting_reply: number;
  unread: number;
  snoozes_due: number;
  snoozed: number;
  oldest_wait_minutes: number;
  /** Only with SLA targets configured. */
  sla_breached?: number;
  sla_at_risk?: number;
}

export function isSnoozed(chat: Chat, now: number): boolean {
  return chat.snoozedUntil != null && chat.snoozedUntil > now;
}

export function isSnoozeDue(chat: Chat, now: number): boolean {
  return chat.snoozedUntil != null && chat.snoozedUntil <= now;
}

export function rankChat(chat: Chat, now: number, sla?: SlaPolicy): RankedChat {
  const clock = sla?.clockFor(chat, now);
  const waiting = waitingMinutes(chat, now);
  const unassigned = chat.assignee == null;
  const unread = chat.readByAgent === false;
  const snoozeEnded = isSnoozeDue(chat, now);
  const score =
    (waiting ?? 0) +
    (unassigned ? WEIGHTS.unassigned : 0) +
    (unread ? WEIGHTS.unread : 0) +
    (snoozeEnded ? WEIGHTS.snoozeEnded : 0) +
    (WEIGHTS.status[chat.status] ?? 0);

  const reasons: string[] = [];
  if (clock && clock.state !== "ok") reasons.push(slaPhrase(clock));
  if (snoozeEnded) reasons.push(`snooze ended ${humanDuration(now - (chat.snoozedUntil as number))} ago`);
  if (unassigned) reasons.push("unassigned");
  if (waiting !== undefined) reasons.push(`customer waiting ${humanDuration(waiting * 60_000)}`);
  else if (chat.status === "pending") reasons.push("waiting on the customer");
  if (unread) reasons.push("unread");
  if (reasons.length === 0)
    reasons.push(
      chat.status === "new"
        ? "new chat"
        : `no reply owed, last activity ${humanDuration(now - (chat.lastMessageAt ?? chat.createdAt ?? now))} ago`,
    );
  return { chat, score, waitingMinutes: waiting ?? 0, reason: reasons.slice(0, 3).join(", "), ...(clock ? { sla: clock } : {}) };
}

/** 0 breached, 1 at risk, 2 everything else. */
const urgency = (r: RankedChat) => (r.sla?.state === "breached" ? 0 : r.sla?.state === "at_risk" ? 1 : 2);

/** Negative when `a` ranks ahead of `b`. */
export function compareRanked(a: RankedChat, b: RankedChat): number {
  return (
    urgency(a) - urgency(b) ||
    (urgency(a) < 2 ? (a.sla?.minutesLeft ?? 0) - (b.sla?.minutesLeft ?? 0) : 0) ||
    b.score - a.score ||
    b.waitingMinutes - a.waitingMinutes ||
    a.chat.id - b.chat.id
  );
}

/** Ranks open chats; snoozed ones (snooze still running) only when `includeSnoozed`. */
export function rankQueue(chats: Chat[], now: number, includeSnoozed: boolean, sla?: SlaPolicy): RankedChat[] {
  return chats
    .filter((c) => includeSnoozed || !isSnoozed(c, now))
    .map((c) => rankChat(c, now, sla))
    .sort(compareRanked);
}

/** rankQueue for a list that grows page by page: each chat object is ranked once (business-hours clocks are not cheap). */
export function growingRanker(now: number, includeSnoozed: boolean, sla?: SlaPolicy): (chats: Chat[]) => RankedChat[] {
  const ranked = new WeakMap<Chat, RankedChat>();
  const rankOnce = (chat: Chat) => {
    const known = ranked.get(chat);
    if (known) return known;
    const fresh = rankChat(chat, now, sla);
    ranked.set(chat, fresh);
    return fresh;
  };
  return (chats) =>
    chats
      .filter((c) => includeSnoozed || !isSnoozed(c, now))
      .map(rankOnce)
      .sort(compareRanked);
}

export function countQueue(chats: Chat[], now: number, sla?: SlaPolicy): QueueCounts {
  const counts: QueueCounts = {
    open: 0,
    by_status: {},
    unassigned: 0,
    awaiting_reply: 0,
    unread: 0,
    snoozes_due: 0,
    snoozed: 0,
    oldest_wait_minutes: 0,
    ...(sla?.enabled ? { sla_breached: 0, sla_at_risk: 0 } : {}),
  };
  for (const chat of chats) {
    if (isSnoozed(chat, now)) {
      counts.snoozed++;
      continue;
    }
    const waiting = waitingMinutes(chat, now);
    counts.open++;
    counts.by_status[chat.status] = (counts.by_status[chat.status] ?? 0) + 1;
    if (chat.assignee == null) counts.unassigned++;
    if (waiting !== undefined) counts.awaiting_reply++;
    if (chat.readByAgent === false) counts.unread++;
    if (isSnoozeDue(chat, now)) counts.snoozes_due++;
    counts.oldest_wait_minutes = Math.max(counts.oldest_wait_minutes, waiting ?? 0);
    const state = sla?.clockFor(chat, now)?.state;
    if (state === "breached") counts.sla_breached = (counts.sla_breached ?? 0) + 1;
    if (state === "at_risk") counts.sla_at_risk = (counts.sla_at_risk ?? 0) + 1;
  }
  return counts;
}
