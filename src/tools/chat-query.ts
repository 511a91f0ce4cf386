/**
 * Runs a chat query with as few HelpCrunch requests as the API allows.
 *
 * HelpCrunch's search has one level of AND/OR, so "status in (a, b) AND department = 5" needs one
 * search per status, merged here by the requested sort. Several statuses with nothing else become one
 * OR query; no filter at all uses GET /chats (search refuses an empty filter). Conditions the API cannot
 * express (e.g. "unassigned") are applied client-side after scanning every page (bounded by MAX_SCAN).
 */
import type { Chat, ChatSearch, ChatSortField, ChatStatus, HelpCrunchApi, Page, SearchFilter, SortOrder } from "../client/index.js";

const PAGE = 100;
/** Upper bound of chats scanned per stream for client-side filters: 10 requests. */
export const MAX_SCAN = 1_000;

export interface ChatQuery {
  /** Empty = any status. */
  statuses: ChatStatus[];
  /** Combined with AND. */
  filters: SearchFilter[];
  /** A condition HelpCrunch cannot filter on; forces a full scan. */
  keep?: (chat: Chat) => boolean;
  sort: ChatSortField;
  order: SortOrder;
  offset: number;
  limit: number;
}

export interface ChatQueryResult {
  chats: Chat[];
  total: number;
  /** False when a client-side filter stopped at MAX_SCAN: `total` is then a lower bound. */
  totalExact: boolean;
  nextOffset: number | null;
}

export interface QueryHooks {
  signal?: AbortSignal;
  /** Called after every page fetched, e.g. for progress notifications. */
  onPage?: (pagesDone: number) => void;
}

type Stream = (offset: number, limit: number) => Promise<Page<Chat>>;

function countingStreams(client: HelpCrunchApi, q: Pick<ChatQuery, "statuses" | "filters" | "sort" | "order">, hooks: QueryHooks): Stream[] {
  let pages = 0;
  return planStreams(client, q, hooks.signal).map((stream) => async (offset, limit) => {
    const page = await stream(offset, limit);
    hooks.onPage?.(++pages);
    return page;
  });
}

export async function queryChats(client: HelpCrunchApi, q: ChatQuery, hooks: QueryHooks = {}): Promise<ChatQueryResult> {
  const compare = chatComparator(q.sort, q.order);
  if (q.keep) {
    const scan = await scanChats(client, q, hooks);
    return pageOf(scan.chats.filter(q.keep).sort(compare), q, undefined, scan.complete);
  }
  const streams = countingStreams(client, q, hooks);
  if (streams.length === 1) {
    const page = await (streams[0] as Stream)(q.offset, q.limit);
    const next = q.offset + page.rawCount;
    return { chats: page.data, total: page.total, totalExact: true, nextOffset: page.rawCount > 0 && next < page.total ? next : null };
  }
  const fetched = await Promise.all(streams.map((s) => fetchFirst(s, q.offset + q.limit)));
  const total = fetched.reduce((sum, f) => sum + f.total, 0);
  return pageOf(fetched.flatMap((f) => f.chats).sort(compare), q, total, true);
}

/** The requested slice of a merged, sorted list. */
function pageOf(merged: Chat[], q: ChatQuery, total = merged.length, totalExact: boolean): ChatQueryResult {
  const chats = merged.slice(q.offset, q.offset + q.limit);
  const next = q.offset + chats.length;
  return { chats, total, totalExact, nextOffset: chats.length > 0 && next < total ? next : null };
}

/** Every chat matching statuses and filters (up to MAX_SCAN per stream), in as few requests as paging allows. */
export async function scanChats(
  client: HelpCrunchApi,
  q: Pick<ChatQuery, "statuses" | "filters">,
  hooks: QueryHooks = {},
): Promise<{ chats: Chat[]; complete: boolean }> {
  const streams = countingStreams(client, { ...q, sort: "chats.lastCustomerMessageAt", order: "desc" }, hooks);
  const fetched = await Promise.all(streams.map((s) => fetchFirst(s, MAX_SCAN)));
  const byId = new Map(fetched.flatMap((f) => f.chats).map((c) => [c.id, c]));
  return { chats: [...byId.values()], complete: fetched.every((f) => f.complete) };
}

function planStreams(client: HelpCrunchApi, q: Pick<ChatQuery, "statuses" | "filters" | "sort" | "order">, signal?: AbortSignal): Stream[] {
  const base = { sort: q.sort, order: q.order };
  const search = (s: Pick<ChatSearch, "statuses" | "filters">): Stream =>
    (offset, limit) => client.searchChats({ ...s, ...base, offset, limit }, { signal });
  if (q.statuses.length === 0 && q.filters.length === 0) {
    return [(offset, limit) => client.listChats({ ...base, offset, limit }, { signal })];
  }
  if (q.statuses.length > 1 && q.filters.length > 0) {
    return q.statuses.map((status) => search({ statuses: [status], filters: q.filters }));
  }
  return [search({ statuses: q.statuses, filters: q.filters })];
}

/** The first `wanted` chats of a stream: one page for the total, the rest concurrently. */
async function fetchFirst(stream: Stream, wanted: number): Promise<{ chats: Chat[]; total: number; complete: boolean }> {
  const first = await stream(0, Math.min(PAGE, wanted));
  const end = Math.min(first.total, wanted);
  const offsets: number[] = [];
  for (let o = first.rawCount; first.rawCount > 0 && o < end; o += PAGE) offsets.push(o);
  const rest = await Promise.all(offsets.map((o) => stream(o, Math.min(PAGE, end - o))));
  const chats = [first, ...rest].flatMap((p) => p.data);
  return { chats, total: first.total, complete: first.total <= wanted };
}

const SORT_VALUE: Record<ChatSortField, (c: Chat) => number | null> = {
  "chats.createdAt": (c) => c.createdAt,
  "chats.lastMessageAt": (c) => c.lastMessageAt,
  "chats.lastCustomerMessageAt": (c) => c.lastCustomerMessageAt,
  "chats.closedAt": (c) => c.closedAt,
};

/** Same order HelpCrunch (and the sandbox) use: the sort field with nulls as 0, ties by id. */
export function chatComparator(sort: ChatSortField, order: SortOrder): (a: Chat, b: Chat) => number {
  const value = SORT_VALUE[sort];
  const sign = order === "asc" ? 1 : -1;
  return (a, b) => sign * ((value(a) ?? 0) - (value(b) ?? 0) || a.id - b.id);
}
