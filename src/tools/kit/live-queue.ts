/**
 * Where triage_queue's chats come from: the live mirror when webhooks or polling keep it fresh
 * (no HelpCrunch request), otherwise one scan of the open queue, which also (re)seeds the mirror.
 * Either way the answer carries a cursor, and `since` turns it into only what changed.
 */
import { OPEN_STATUSES } from "../../domain/conversation.js";
import { chatsInView, decodeCursor, encodeCursor, type QueueView, queueMove } from "../../domain/live-queue.js";
import type { SlaPolicy } from "../../domain/sla.js";
import { humanDuration } from "../../domain/time.js";
import { growingRanker, type RankedChat } from "../../domain/triage.js";
import { provenCount, unreadBounds } from "../../domain/triage-proof.js";
import type { Chat, ChatScope, ChatSort, Frontier, OrderedScan, Organization } from "../../helpcrunch/index.js";
import type { ToolContext } from "../../runtime/context.js";
import type { Freshness, LiveQueue, MirrorState } from "../../services/live-queue.js";

export interface QueueChanges {
  /** Chats that entered the view or changed what ranks them, now. */
  shown: Chat[];
  enteredIds: Set<number>;
  /** Changed chats as they were at the cursor. */
  previous: Map<number, Chat>;
  left: Array<{ id: number; why: string }>;
}

export interface QueueAnswer {
  /** Every chat of the view (snoozed included), for the counts. */
  chats: Chat[];
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
}

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

export async function queueView(
  args: { department?: number | string; assignee?: number | string; include_snoozed: boolean },
  ctx: ToolContext,
): Promise<QueueView> {
  const view: QueueView = { includeSnoozed: args.include_snoozed };
  if (args.department !== undefined) view.departmentId = (await ctx.directory.resolveDepartment(args.department, ctx.upstream)).id;
  if (args.assignee === "unassigned") view.unassigned = true;
  else if (args.assignee !== undefined) view.assigneeId = (await ctx.directory.resolveAgent(args.assignee, ctx.upstream)).id;
  return view;
}

const ago = (ms: number) => (ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))}s` : humanDuration(ms));

/** Scopes up to this size are read whole (10 requests): exact counts, and a scan that can seed the mirror. */
export const READ_WHOLE_UP_TO = 1_000;
/** Where HelpCrunch keeps no order, the slice ranked instead (and said to be one). */
const MAX_UNORDERED = 1_000;

/**
 * One scan of the open queue (all of it when a mirror is kept, so it can seed it), filtered to the
 * view. A small queue is read whole; a large one oldest-first until the top `limit` is proven
 * (src/domain/triage-proof.ts), so its answer is exact at any size or says how far it is.
 */
async function scanQueue(
  view: QueueView,
  live: LiveQueue,
  ctx: ToolContext,
  why: string,
  limit: number,
): Promise<Omit<QueueAnswer, "cursor">> {
  const narrowed = view.departmentId !== undefined || view.assigneeId !== undefined || view.unassigned === true;
  const whole = live.kept || !narrowed;
  const scope: ChatScope = {
    statuses: [...OPEN_STATUSES],
    ...(whole ? {} : { departmentId: view.departmentId, assigneeId: view.assigneeId, unassigned: view.unassigned }),
  };
  const startedAt = ctx.now();
  const sla = ctx.sla;
  const orders: ChatSort[] = sla?.target("first_reply") !== undefined ? ["lastCustomerMessage", "created"] : ["lastCustomerMessage"];
  const rank = growingRanker(startedAt, view.includeSnoozed, sla);
  const topOf = (read: Chat[]) => rank(chatsInView(read, view)).slice(0, limit);
  const enough = (read: Chat[], frontier: Frontier) => provenCount(topOf(read), unreadBounds(frontier, startedAt, sla)) >= limit;
  const [scan, team] = await Promise.all([
    ctx.client.scanOrdered(
      scope,
      { orders, enough, readAllUpTo: READ_WHOLE_UP_TO, maxUnordered: MAX_UNORDERED },
      { ...ctx.upstream, onPage: (pages) => ctx.progress(pages, undefined, `fetched ${pages} page(s)`) },
    ),
    ctx.directory.availability(ctx.upstream),
  ]);
  // A partial scan cannot say which chats left: it seeds nothing. A mirror that cannot be written (Redis down) costs only `since`.
  if (scan.complete) await live.seed(scan.chats, startedAt, whole ? undefined : view).catch(() => undefined);
  const chats = chatsInView(scan.chats, view);
  const coverage = scan.complete ? undefined : scanCoverage(scan, topOf(scan.chats), startedAt, sla, whole && narrowed);
  return {
    chats,
    complete: scan.complete,
    notes: [...scan.notes, ...(coverage ? coverageNotes(coverage, scan, limit, startedAt) : [])],
    team,
    ...(coverage ? { coverage } : {}),
    source: `Scanned HelpCrunch now (${scan.requests} requests${live.kept ? `; live queue ${why}` : ""}).`,
    sourceBrief: `Scanned now (${scan.requests} requests).`,
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
  const read = `read the ${coverage.read} whose customers wrote longest ago${since !== undefined ? ` (every customer who last wrote ${ago(now - since)} ago or earlier)` : ""}`;
  if (coverage.exact)
    return [`Top ${Math.min(limit, coverage.proven)}${of} open chats, exact: ${read}; no chat not read can outrank them.`];
  return [
    `Of${of || " the"} open chats, only the top ${coverage.proven} are proven: the call's request budget ran out after it could ${read}. Narrow with department or assignee, or ask for fewer chats, to rank the rest exactly.`,
  ];
}

async function changesSince(
  live: LiveQueue,
  since: string,
  view: QueueView,
  state: MirrorState,
  now: number,
): Promise<QueueChanges | undefined> {
  const cursor = decodeCursor(since);
  const log = cursor && (await live.store.changesSince(cursor.epoch, cursor.seq));
  if (!cursor || !log) return undefined;
  const before = new Map<number, Chat | null>();
  const after = new Map<number, Chat | null>();
  for (const change of log) {
    if (!before.has(change.chatId)) before.set(change.chatId, change.before);
    after.set(change.chatId, change.after);
  }
  // A snooze that ended since brings a chat back with no change to the chat itself.
  for (const chat of state.chats)
    if (!before.has(chat.id) && chat.snoozedUntil != null && chat.snoozedUntil > cursor.at && chat.snoozedUntil <= now) {
      before.set(chat.id, chat);
      after.set(chat.id, chat);
    }
  const changes: QueueChanges = { shown: [], enteredIds: new Set(), previous: new Map(), left: [] };
  for (const [id, was] of before) {
    const move = queueMove(was, after.get(id) ?? null, view, cursor.at, now);
    if (move?.kind === "left") changes.left.push({ id: move.id, why: move.why });
    else if (move) {
      changes.shown.push(move.chat);
      if (move.kind === "entered") changes.enteredIds.add(move.chat.id);
      else if (was) changes.previous.set(id, was);
    }
  }
  return changes;
}

export async function queueChats(view: QueueView, since: string | undefined, ctx: ToolContext, limit: number): Promise<QueueAnswer> {
  const live = ctx.liveQueue;
  const freshness = await live.freshness().catch((): Freshness => ({ fresh: false, why: "unreachable (Redis)" }));
  const lastEvent =
    freshness.fresh && freshness.state.lastEventAt !== undefined
      ? `last event ${ago(ctx.now() - freshness.state.lastEventAt)} ago`
      : "no event yet";
  const answer = freshness.fresh
    ? {
        chats: chatsInView(freshness.state.chats, view),
        complete: true,
        notes: [],
        team: ctx.directory.knownAvailability(),
        source: `Live queue (${live.source}, 0 requests, ${lastEvent}, rescanned ${ago(freshness.ageMs)} ago).`,
        sourceBrief: `Live, ${lastEvent}.`,
      }
    : await scanQueue(view, live, ctx, freshness.why, limit);
  const state = freshness.fresh ? freshness.state : await live.store.state().catch(() => undefined);
  const now = ctx.now();
  if (!state) return { ...answer, cursor: "unavailable" };
  const cursor = encodeCursor({ epoch: state.epoch, seq: state.seq, at: now });
  if (since === undefined) return { ...answer, cursor };
  const changes = await changesSince(live, since, view, state, now).catch(() => undefined);
  if (!changes) return { ...answer, cursor, notes: [...answer.notes, "The since cursor is unknown or too old: this is the full answer."] };
  return { ...answer, cursor, changes };
}
