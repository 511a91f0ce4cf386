/**
 * triage_queue's answer, as the live queue gives it (LiveQueue.answer): from the mirror when
 * webhooks or polling keep it fresh (no HelpCrunch request), otherwise from one scan of the open
 * queue, which also (re)seeds the mirror. Either way the answer carries a cursor, and `since` turns
 * it into only what changed.
 */
import { isAwaitingReply, OPEN_STATUSES } from "../domain/conversation.js";
import { chatsInView, type QueueView, queueMove } from "../domain/queue-changes.js";
import { ALL, countsFromTally } from "../domain/queue-tally.js";
import type { SlaPolicy } from "../domain/sla.js";
import { humanAgo } from "../domain/time.js";
import { countQueue, growingRanker, isSnoozed, type QueueCounts, type RankedChat } from "../domain/triage.js";
import { provenCount, unreadBounds } from "../domain/triage-proof.js";
import type { Chat, ChatScope, ChatSort, Frontier, HelpCrunchApi, OrderedScan, Organization, QueryHooks } from "../helpcrunch/index.js";
import type { Directory } from "./directory.js";
import { BoundedMap, type LoggedChange, type MirrorStore } from "./mirror-store.js";

/** What triage_queue asks the live queue. */
export interface QueueQuestion {
  view: QueueView;
  /** A previous answer's cursor: only what changed since. */
  since?: string;
  /** How many top chats the answer must prove. */
  limit: number;
  sla?: SlaPolicy;
  /** Team availability, for the briefing (cached; a scan reads it, a mirror answer takes what is known). */
  directory: Directory;
  /** The tool call's HelpCrunch options (budget, deadline, cancellation, progress) for a scan. */
  call: QueryHooks;
}

export interface QueueChanges {
  /** Chats that entered the view or changed what ranks them, now. */
  shown: Chat[];
  enteredIds: Set<number>;
  /** Changed chats as they were at the cursor. */
  previous: Map<number, Chat>;
  left: Array<{ id: number; why: string }>;
}

export interface QueueAnswer {
  /**
   * Chats of the view that hold its top: from a scan every chat of the view (snoozed included); from
   * the live queue's mirror, the top `limit` itself (LiveQueue ranks it, see its `ranked`).
   */
  chats: Chat[];
  /** The counts of the whole view (or of the chats read, when `coverage` says the scan read part of it). */
  counts: QueueCounts;
  complete: boolean;
  notes: string[];
  team?: Organization;
  /** One sentence: mirror or scan, and how fresh. */
  source: string;
  /** The same in a few words, for an answer with `since` (a poll pays only for what changed). */
  sourceBrief: string;
  cursor: string;
  /** With a valid `since` only. */
  changes?: QueueChanges;
  /** A scan that did not read the whole queue: what it covers and proves. */
  coverage?: QueueCoverage;
  /** The time the chats were ranked at: now for a scan; for a mirror answer kept this minute, when it was made. */
  asOf: number;
  /**
   * Shared by every answer with the same chats, counts and asOf (a mirror answer kept while the
   * mirror is unchanged, this minute): what a caller derives from them alone is made once.
   */
  memo?: AnswerMemo;
}

/** Values derived from one kept answer, by the caller's key (its arguments); a few per answer. */
export class AnswerMemo {
  private readonly values = new BoundedMap<string, unknown>(MEMO_KEYS);

  get<T>(key: string, make: () => T): T {
    if (this.values.has(key)) return this.values.get(key) as T;
    const value = make();
    this.values.set(key, value);
    return value;
  }
}

/** Derivations kept per answer (argument variants: limits, snoozed or not). */
const MEMO_KEYS = 16;

export interface QueueCoverage {
  /** Open chats in the view, as HelpCrunch counted them (absent when the scan's scope was wider than the view). */
  total?: number;
  read: number;
  /** How many of the top are proven in place. */
  proven: number;
  /** The whole top asked for is proven. */
  exact: boolean;
  /** Every chat whose customer last wrote before this (epoch ms) was read. */
  read_all_waiting_since?: number;
}

/** Scopes up to this size are read whole (10 requests): exact counts, and a scan that can seed the mirror. */
export const READ_WHOLE_UP_TO = 1_000;
/** Where HelpCrunch keeps no order, the slice ranked instead (and said to be one). */
const MAX_UNORDERED = 1_000;

const isNarrowed = (view: QueueView) => view.departmentId !== undefined || view.assigneeId !== undefined || view.unassigned === true;

/** Chats read from the mirror's index in the first round (doubling after): a top of 50 with room for snoozed and answered chats. */
const FIRST_ROUND = 200;

/**
 * Where a read of the index in waitScore order stands: every chat awaiting a reply whose customer
 * wrote before the last one read was read; past those, a chat owes no reply and ranks by bonuses
 * only, as one whose customer wrote just now would.
 */
function indexFrontier(last: Chat | undefined, now: number): number {
  return last && isAwaitingReply(last) && last.lastCustomerMessageAt != null ? last.lastCustomerMessageAt : now;
}

/**
 * The view from the mirror. The whole queue without SLA targets is answered from its index: the
 * chats whose customers waited longest, read round by round until the top `limit` is proven (the
 * index order, customers awaiting a reply longest first, is the frontier src/domain/triage-proof.ts
 * needs) and the oldest wait is found, and
 * counts from the kept tally minus the chats still snoozed. A narrowed view, or SLA states (which
 * depend on every chat's clock), read the whole mirror.
 */
export async function fromMirror(
  store: MirrorStore,
  question: QueueQuestion,
  now: number,
): Promise<{ chats: Chat[]; counts: QueueCounts }> {
  const { view, limit, sla } = question;
  const whole = async () => {
    const chats = chatsInView((await store.state()).chats, view);
    return { chats, counts: countQueue(chats, now, sla) };
  };
  if (isNarrowed(view) || sla?.enabled) return whole();
  const [tally, size, stillSnoozed] = await Promise.all([store.tally(), store.size(), store.snoozedAfter(now)]);
  // A tally that does not count every chat (records written before facets were kept, until a pass rewrites them) is not used.
  if ((tally[ALL] ?? 0) !== size) return whole();
  const rank = growingRanker(now, view.includeSnoozed, sla);
  const read: Chat[] = [];
  let oldestAwaiting: Chat | undefined;
  const snoozedFacets = stillSnoozed.map((snoozed) => snoozed.facets);
  let counts = countsFromTally(tally, snoozedFacets, undefined, now);
  for (let round = FIRST_ROUND; ; round *= 2) {
    const page = await store.longestWaiting(round, read.length);
    read.push(...page);
    oldestAwaiting ??= page.find((chat) => isAwaitingReply(chat) && !isSnoozed(chat, now));
    const everything = page.length < round;
    const frontier: Frontier = { lastCustomerMessage: everything ? Number.POSITIVE_INFINITY : indexFrontier(read.at(-1), now) };
    const proven = provenCount(rank(read).slice(0, limit), unreadBounds(frontier, now, sla)) >= limit;
    if (everything || (proven && (oldestAwaiting !== undefined || counts.awaiting_reply === 0))) break;
  }
  counts = countsFromTally(tally, snoozedFacets, oldestAwaiting, now);
  return { chats: chatsInView(read, view), counts };
}

/** A scan's answer, and what it can seed the mirror with (a complete scan only). */
export interface ScanResult {
  answer: Omit<QueueAnswer, "cursor">;
  seed?: { chats: Chat[]; startedAt: number; view?: QueueView };
}

/**
 * One scan of the open queue (all of it when a mirror is kept, so it can seed it), filtered to the
 * view. A small queue is read whole; a large one oldest-first until the top `limit` is proven
 * (src/domain/triage-proof.ts), so its answer is exact at any size or says how far it is.
 */
export async function scanQueue(
  client: HelpCrunchApi,
  question: QueueQuestion,
  live: { kept: boolean; why: string },
  now: () => number,
): Promise<ScanResult> {
  const { view, limit, sla } = question;
  const narrowed = isNarrowed(view);
  const whole = live.kept || !narrowed;
  const scope: ChatScope = {
    statuses: [...OPEN_STATUSES],
    ...(whole ? {} : { departmentId: view.departmentId, assigneeId: view.assigneeId, unassigned: view.unassigned }),
  };
  const startedAt = now();
  const orders: ChatSort[] = sla?.target("first_reply") !== undefined ? ["lastCustomerMessage", "created"] : ["lastCustomerMessage"];
  const rank = growingRanker(startedAt, view.includeSnoozed, sla);
  const topOf = (read: Chat[]) => rank(chatsInView(read, view)).slice(0, limit);
  const enough = (read: Chat[], frontier: Frontier) => provenCount(topOf(read), unreadBounds(frontier, startedAt, sla)) >= limit;
  const [scan, team] = await Promise.all([
    client.scanOrdered(scope, { orders, enough, readAllUpTo: READ_WHOLE_UP_TO, maxUnordered: MAX_UNORDERED }, question.call),
    question.directory.availability(question.call),
  ]);
  const chats = chatsInView(scan.chats, view);
  const coverage = scan.complete ? undefined : scanCoverage(scan, topOf(scan.chats), startedAt, sla, whole && narrowed);
  const asOf = now();
  return {
    answer: {
      chats,
      counts: countQueue(chats, asOf, sla),
      asOf,
      complete: scan.complete,
      notes: [...scan.notes, ...(coverage ? coverageNotes(coverage, scan, limit, startedAt) : [])],
      team,
      ...(coverage ? { coverage } : {}),
      source: `Scanned HelpCrunch now (${scan.requests} requests${live.kept ? `; live queue ${live.why}` : ""}).`,
      sourceBrief: `Scanned now (${scan.requests} requests).`,
    },
    // A partial scan cannot say which chats left: it seeds nothing.
    ...(scan.complete ? { seed: { chats: scan.chats, startedAt, ...(whole ? {} : { view }) } } : {}),
  };
}

function scanCoverage(scan: OrderedScan, top: RankedChat[], now: number, sla: SlaPolicy | undefined, viewInWhole: boolean): QueueCoverage {
  const proven = scan.ordered ? provenCount(top, unreadBounds(scan.frontier, now, sla)) : 0;
  const wroteBefore = scan.frontier.lastCustomerMessage;
  return {
    // The whole queue's total says nothing about a view scanned inside it.
    ...(viewInWhole || scan.total === 0 ? {} : { total: scan.total }),
    read: scan.chats.length,
    proven,
    exact: scan.ordered && proven >= top.length && top.length > 0,
    ...(scan.ordered && wroteBefore !== undefined && wroteBefore > 0 && Number.isFinite(wroteBefore)
      ? { read_all_waiting_since: wroteBefore }
      : {}),
  };
}

function coverageNotes(coverage: QueueCoverage, scan: OrderedScan, limit: number, now: number): string[] {
  const of = coverage.total !== undefined ? ` of ${coverage.total}` : "";
  if (!scan.ordered)
    return [
      `HelpCrunch did not return chats oldest-first (the order triage needs), so this ranks only the ${coverage.read}${of} open chats read, not the whole queue: narrow with department or assignee, or keep a live queue (webhooks), for a complete ranking.`,
    ];
  if (coverage.read === 0)
    return [
      "The call's request budget ran out before any chat was read: nothing is ranked. Try again in a minute, or narrow with department or assignee.",
    ];
  const since = coverage.read_all_waiting_since;
  const read = `read the ${coverage.read} whose customers wrote longest ago${since !== undefined ? ` (every customer who last wrote ${humanAgo(now - since)} ago or earlier)` : ""}`;
  if (coverage.exact)
    return [`Top ${Math.min(limit, coverage.proven)}${of} open chats, exact: ${read}; no chat not read can outrank them.`];
  return [
    `Of${of || " the"} open chats, only the top ${coverage.proven} are proven: the call's request budget ran out after it could ${read}. Narrow with department or assignee, or ask for fewer chats, to rank the rest exactly.`,
  ];
}

/**
 * What moved in `view` between the cursor's instant and `now`: the logged changes, and chats whose
 * snooze ended meanwhile (`snoozeEnded`: they come back with no change to the chat itself).
 */
export function queueChanges(log: LoggedChange[], snoozeEnded: Chat[], view: QueueView, cursorAt: number, now: number): QueueChanges {
  const before = new Map<number, Chat | null>();
  const after = new Map<number, Chat | null>();
  for (const change of log) {
    if (!before.has(change.chatId)) before.set(change.chatId, change.before);
    after.set(change.chatId, change.after);
  }
  for (const chat of snoozeEnded)
    if (!before.has(chat.id) && chat.snoozedUntil != null && chat.snoozedUntil > cursorAt && chat.snoozedUntil <= now) {
      before.set(chat.id, chat);
      after.set(chat.id, chat);
    }
  const changes: QueueChanges = { shown: [], enteredIds: new Set(), previous: new Map(), left: [] };
  for (const [id, was] of before) {
    const move = queueMove(was, after.get(id) ?? null, view, cursorAt, now);
    if (move?.kind === "left") changes.left.push({ id: move.id, why: move.why });
    else if (move) {
      changes.shown.push(move.chat);
      if (move.kind === "entered") changes.enteredIds.add(move.chat.id);
      else if (was) changes.previous.set(id, was);
    }
  }
  return changes;
}
