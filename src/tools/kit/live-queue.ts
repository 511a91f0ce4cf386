/**
 * Where triage_queue's chats come from: the live mirror when webhooks or polling keep it fresh
 * (no HelpCrunch request), otherwise one scan of the open queue, which also (re)seeds the mirror.
 * Either way the answer carries a cursor, and `since` turns it into only what changed.
 */
import { OPEN_STATUSES } from "../../domain/conversation.js";
import { chatsInView, decodeCursor, encodeCursor, type QueueView, queueMove } from "../../domain/live-queue.js";
import { humanDuration } from "../../domain/time.js";
import type { Chat, ChatScope, Organization } from "../../helpcrunch/index.js";
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
  boundReached: boolean;
  notes: string[];
  team?: Organization;
  /** One sentence: mirror or scan, and how fresh. */
  source: string;
  /** The same in a few words, for an answer with `since` (a poll pays only for what changed). */
  sourceBrief: string;
  cursor: string;
  /** With a valid `since` only. */
  changes?: QueueChanges;
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

/** One scan of the open queue (all of it when a mirror is kept, so it can seed it), filtered to the view. */
async function scanQueue(view: QueueView, live: LiveQueue, ctx: ToolContext, why: string): Promise<Omit<QueueAnswer, "cursor">> {
  const whole = live.kept || (view.departmentId === undefined && view.assigneeId === undefined && !view.unassigned);
  const scope: ChatScope = {
    statuses: [...OPEN_STATUSES],
    ...(whole ? {} : { departmentId: view.departmentId, assigneeId: view.assigneeId, unassigned: view.unassigned }),
  };
  const startedAt = ctx.now();
  const [scan, team] = await Promise.all([
    ctx.client.scanChats(scope, { ...ctx.upstream, onPage: (pages) => ctx.progress(pages, undefined, `fetched ${pages} page(s)`) }),
    ctx.directory.availability(ctx.upstream),
  ]);
  // A partial scan cannot say which chats left: it seeds nothing. A mirror that cannot be written (Redis down) costs only `since`.
  if (scan.complete) await live.seed(scan.chats, startedAt, whole ? undefined : view).catch(() => undefined);
  return {
    chats: chatsInView(scan.chats, view),
    complete: scan.complete,
    boundReached: scan.boundReached,
    notes: scan.notes,
    team,
    source: `Scanned HelpCrunch now (${scan.requests} requests${live.kept ? `; live queue ${why}` : ""}).`,
    sourceBrief: `Scanned now (${scan.requests} requests).`,
  };
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

export async function queueChats(view: QueueView, since: string | undefined, ctx: ToolContext): Promise<QueueAnswer> {
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
        boundReached: false,
        notes: [],
        team: ctx.directory.knownAvailability(),
        source: `Live queue (${live.source}, 0 requests, ${lastEvent}, rescanned ${ago(freshness.ageMs)} ago).`,
        sourceBrief: `Live, ${lastEvent}.`,
      }
    : await scanQueue(view, live, ctx, freshness.why);
  const state = freshness.fresh ? freshness.state : await live.store.state().catch(() => undefined);
  const now = ctx.now();
  if (!state) return { ...answer, cursor: "unavailable" };
  const cursor = encodeCursor({ epoch: state.epoch, seq: state.seq, at: now });
  if (since === undefined) return { ...answer, cursor };
  const changes = await changesSince(live, since, view, state, now).catch(() => undefined);
  if (!changes) return { ...answer, cursor, notes: [...answer.notes, "The since cursor is unknown or too old: this is the full answer."] };
  return { ...answer, cursor, changes };
}
