/**
 * Runs a domain chat query with as few HelpCrunch requests as the API allows.
 *
 * HelpCrunch's search has one level of AND/OR, so "status in (a, b) AND department = 5" needs one
 * search per status, merged here by the requested sort. Several statuses with nothing else become one
 * OR query; no filter at all uses GET /chats (search refuses an empty filter). Conditions the API cannot
 * express ("unassigned") are applied after scanning every page (bounded by MAX_SCAN).
 * A scan that runs out of the call's request budget (CallOptions.budget) keeps the pages it has.
 */

import { runPool } from "../pool.js";
import { isBudgetSpent } from "./budget.js";
import type { ChatReads } from "./chat-reads.js";
import type { ChatSortField } from "./dialect.js";
import type { Chat, Page } from "./schemas.js";
import type { ChatStatus } from "./status.js";
import type {
  CallOptions,
  ChatQuery,
  ChatQueryResult,
  ChatScan,
  ChatScope,
  ChatSort,
  QueryHooks,
  ScanBound,
  SearchFilter,
  SortOrder,
} from "./types.js";

const PAGE = 100;
/** Upper bound of chats scanned per stream for client-side filters: 10 requests. */
export const MAX_SCAN = 1_000;
/**
 * Pages one stream has in flight (the client's default concurrency): streams of one call then share
 * its request budget by turns instead of the first to plan taking all of it.
 */
const PAGES_IN_FLIGHT = 4;

export const SORT_FIELD: Record<ChatSort, ChatSortField> = {
  lastMessage: "chats.lastMessageAt",
  lastCustomerMessage: "chats.lastCustomerMessageAt",
  created: "chats.createdAt",
};

export const SORT_VALUE: Record<ChatSortField, (c: Chat) => number | null> = {
  "chats.createdAt": (c) => c.createdAt,
  "chats.lastMessageAt": (c) => c.lastMessageAt,
  "chats.lastCustomerMessageAt": (c) => c.lastCustomerMessageAt,
  "chats.closedAt": (c) => c.closedAt,
};

export interface Plan {
  statuses: ChatStatus[];
  /** The filter value of each status, resolved once for the whole query. */
  values: string[];
  filters: SearchFilter[];
  notes: string[];
  /** False when every status asked for has no known filter value: nothing can match. */
  possible: boolean;
}

export type Stream = (offset: number, limit: number) => Promise<Page<Chat>>;

/** HelpCrunch date filters take UNIX seconds as numbers: a string fails validation. */
const seconds = (ms: number) => Math.floor(ms / 1000);

function scopeFilters(scope: ChatScope): SearchFilter[] {
  const filters: SearchFilter[] = [];
  if (scope.assigneeId !== undefined) filters.push({ field: "chats.assignee", operator: "=", value: scope.assigneeId });
  if (scope.departmentId !== undefined) filters.push({ field: "chats.department", operator: "=", value: scope.departmentId });
  if (scope.customerId !== undefined) filters.push({ field: "chats.customer", operator: "=", value: scope.customerId });
  if (scope.customerEmail !== undefined) filters.push({ field: "chats.customer.email", operator: "=", value: scope.customerEmail });
  if (scope.createdAfter !== undefined) filters.push({ field: "chats.createdAt", operator: ">", value: seconds(scope.createdAfter) });
  if (scope.createdBefore !== undefined) filters.push({ field: "chats.createdAt", operator: "<", value: seconds(scope.createdBefore) });
  if (scope.createdSince !== undefined) filters.push({ field: "chats.createdAt", operator: ">=", value: seconds(scope.createdSince) });
  if (scope.closedSince !== undefined) filters.push({ field: "chats.closedAt", operator: ">=", value: seconds(scope.closedSince) });
  if (scope.closedBefore !== undefined) filters.push({ field: "chats.closedAt", operator: "<", value: seconds(scope.closedBefore) });
  if (scope.updatedSince !== undefined) filters.push({ field: "chats.updatedAt", operator: ">=", value: seconds(scope.updatedSince) });
  return filters;
}

export async function plan(reads: ChatReads, scope: ChatScope, opts: CallOptions): Promise<Plan> {
  const asked = [...new Set(scope.statuses ?? [])];
  const { known, values, missing } = asked.length ? await reads.resolveStatuses(asked, opts) : { known: [], values: [], missing: [] };
  const notes = missing.map(
    (s) =>
      `HelpCrunch's filter value for status "${s}" is not known yet (this account has shown no ${s} chat), so ${s} chats are not included.`,
  );
  return { statuses: known, values, filters: scopeFilters(scope), notes, possible: asked.length === 0 || known.length > 0 };
}

export async function queryChats(reads: ChatReads, q: ChatQuery, hooks: QueryHooks = {}): Promise<ChatQueryResult> {
  const offset = q.offset ?? 0;
  const limit = q.limit ?? PAGE;
  const sort = SORT_FIELD[q.sort ?? "lastMessage"];
  const order = q.order ?? "desc";
  const p = await plan(reads, q, hooks);
  if (!p.possible) return { chats: [], total: 0, totalExact: true, nextOffset: null, notes: p.notes };
  const notes = () => [...p.notes, ...sortNotes(reads, sort, p)];
  const compare = chatComparator(sort, order);
  if (q.unassigned) {
    const scan = await scanPlan(reads, p, hooks);
    const all = scan.chats.filter((c) => c.assignee == null).sort(compare);
    return { ...slice(all, offset, limit, all.length), totalExact: scan.complete, notes: notes() };
  }
  const streams = countingStreams(reads, p, sort, order, hooks);
  if (streams.length === 1) {
    const page = await (streams[0] as Stream)(offset, limit);
    const next = offset + page.rawCount;
    return {
      chats: page.data,
      total: page.total,
      totalExact: true,
      nextOffset: page.rawCount > 0 && next < page.total ? next : null,
      ...(page.rawCount > 0 && next < page.total ? { nextPositions: [next] } : {}),
      notes: notes(),
    };
  }
  if (q.positions?.length === streams.length) return { ...(await pageAt(streams, q.positions, offset, limit, compare)), notes: notes() };
  const fetched = await Promise.all(streams.map((s) => fetchFirst(s, offset + limit)));
  const total = fetched.reduce((sum, f) => sum + f.total, 0);
  const totalExact = fetched.every((f) => !f.budgetSpent);
  const merged = fetched.flatMap((f, stream) => f.chats.map((chat) => ({ chat, stream }))).sort((a, b) => compare(a.chat, b.chat));
  const page = slice(
    merged.map((m) => m.chat),
    offset,
    limit,
    total,
  );
  // Where each stream stands after this page: the next one can start there.
  const nextPositions = streams.map((_, stream) => merged.slice(0, offset + page.chats.length).filter((m) => m.stream === stream).length);
  return { ...page, totalExact, notes: notes(), ...(totalExact ? { nextPositions } : {}) };
}

/** One merged page from each stream's own position: one request per stream, however deep. */
async function pageAt(
  streams: Stream[],
  positions: number[],
  offset: number,
  limit: number,
  compare: (a: Chat, b: Chat) => number,
): Promise<Omit<ChatQueryResult, "notes">> {
  const pages = await Promise.all(streams.map((s, i) => s(positions[i] ?? 0, limit)));
  const merged = pages.flatMap((page, stream) => page.data.map((chat) => ({ chat, stream }))).sort((a, b) => compare(a.chat, b.chat));
  const taken = merged.slice(0, limit);
  const nextPositions = positions.map((p, stream) => p + taken.filter((m) => m.stream === stream).length);
  const total = pages.reduce((sum, page) => sum + page.total, 0);
  const more = nextPositions.some((p, i) => p < (pages[i]?.total ?? 0));
  return {
    chats: taken.map((m) => m.chat),
    total,
    totalExact: true,
    nextOffset: taken.length > 0 && more ? offset + taken.length : null,
    ...(more ? { nextPositions } : {}),
  };
}

/** Every chat in scope (up to `bound.maxChats`, default MAX_SCAN, per stream), in as few requests as paging allows. */
export async function scanChats(reads: ChatReads, scope: ChatScope, hooks: QueryHooks = {}, bound: ScanBound = {}): Promise<ChatScan> {
  const p = await plan(reads, scope, hooks);
  if (!p.possible) return { chats: [], complete: true, boundReached: false, notes: p.notes, requests: 0 };
  const scan = await scanPlan(reads, p, hooks, bound);
  const chats = scope.unassigned ? scan.chats.filter((c) => c.assignee == null) : scan.chats;
  return { ...scan, chats, notes: p.notes };
}

async function scanPlan(
  reads: ChatReads,
  p: Plan,
  hooks: QueryHooks,
  bound: ScanBound = {},
): Promise<{ chats: Chat[]; complete: boolean; boundReached: boolean; requests: number }> {
  let requests = 0;
  const counted: QueryHooks = { ...hooks, onPage: (pages) => hooks.onPage?.((requests = pages)) };
  const streams = countingStreams(reads, p, SORT_FIELD[bound.sort ?? "lastCustomerMessage"], "desc", counted);
  const fetched = await Promise.all(streams.map((s) => fetchFirst(s, bound.maxChats ?? MAX_SCAN)));
  // Paging while chats change can show one chat on two pages: each is counted once.
  const byId = new Map(fetched.flatMap((f) => f.chats).map((c) => [c.id, c]));
  const boundReached = fetched.some((f) => f.boundReached);
  return { chats: [...byId.values()], complete: !boundReached && fetched.every((f) => !f.budgetSpent), boundReached, requests };
}

function sortNotes(reads: ChatReads, sort: ChatSortField, p: Plan): string[] {
  const searched = p.statuses.length > 0 || p.filters.length > 0;
  const used = reads.dialect.searchSort(sort);
  return searched && used !== sort ? [`HelpCrunch's search cannot sort by ${sort}; results are sorted by ${used} instead.`] : [];
}

/** The requested slice of a merged, sorted list. */
function slice(merged: Chat[], offset: number, limit: number, total: number): Omit<ChatQueryResult, "totalExact" | "notes"> {
  const chats = merged.slice(offset, offset + limit);
  const next = offset + chats.length;
  return { chats, total, nextOffset: chats.length > 0 && next < total ? next : null };
}

function countingStreams(reads: ChatReads, p: Plan, sort: ChatSortField, order: SortOrder, hooks: QueryHooks): Stream[] {
  let pages = 0;
  return planStreams(reads, p, sort, order, hooks).map((stream) => async (offset, limit) => {
    const page = await stream(offset, limit);
    hooks.onPage?.(++pages);
    return page;
  });
}

export function planStreams(reads: ChatReads, p: Plan, sort: ChatSortField, order: SortOrder, opts: CallOptions): Stream[] {
  const search =
    (statuses: ChatStatus[], values: string[]): Stream =>
    (offset, limit) =>
      reads.search({ statuses, values, filters: p.filters, sort, order, offset, limit }, opts);
  if (p.statuses.length === 0 && p.filters.length === 0) {
    return [(offset, limit) => reads.listChats({ sort, order, offset, limit }, opts)];
  }
  if (p.statuses.length > 1 && p.filters.length > 0) return p.statuses.map((status, i) => search([status], [p.values[i] as string]));
  return [search(p.statuses, p.values)];
}

interface StreamFetch {
  chats: Chat[];
  /** As the first page reported it; 0 when the budget left no request for it. */
  total: number;
  /** The stream has more than `wanted` chats. */
  boundReached: boolean;
  /** The call's request budget ran out before every page was fetched: `chats` are those fetched by then. */
  budgetSpent: boolean;
}

/** The first `wanted` chats of a stream: one page for the total, then the rest, PAGES_IN_FLIGHT at a time. */
async function fetchFirst(stream: Stream, wanted: number): Promise<StreamFetch> {
  let budgetSpent = false;
  let failed = false;
  const fetchPage = async (offset: number, limit: number): Promise<Page<Chat> | undefined> => {
    if (budgetSpent || failed) return undefined;
    try {
      return await stream(offset, limit);
    } catch (error) {
      if (!isBudgetSpent(error)) {
        failed = true; // the other pages in flight finish; no new one starts
        throw error;
      }
      budgetSpent = true;
      return undefined;
    }
  };
  const first = await fetchPage(0, Math.min(PAGE, wanted));
  if (!first) return { chats: [], total: 0, boundReached: false, budgetSpent };
  const end = Math.min(first.total, wanted);
  const offsets: number[] = [];
  for (let o = first.rawCount; first.rawCount > 0 && o < end; o += PAGE) offsets.push(o);
  const pages: Array<Page<Chat> | undefined> = [first];
  await runPool(
    offsets,
    PAGES_IN_FLIGHT,
    async (offset, index) => {
      pages[index + 1] = await fetchPage(offset, Math.min(PAGE, end - offset));
    },
    () => budgetSpent || failed,
  );
  const chats = pages.flatMap((page) => page?.data ?? []);
  return { chats, total: first.total, boundReached: first.total > wanted, budgetSpent };
}

/** Same order HelpCrunch (and the sandbox) use: the sort field with nulls as 0, ties by id. */
export function chatComparator(sort: ChatSortField, order: SortOrder): (a: Chat, b: Chat) => number {
  const value = SORT_VALUE[sort];
  const sign = order === "asc" ? 1 : -1;
  return (a, b) => sign * ((value(a) ?? 0) - (value(b) ?? 0) || a.id - b.id);
}
