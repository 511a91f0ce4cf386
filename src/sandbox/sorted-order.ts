/**
 * Sorted orders kept between requests, so that a search over 100,000 chats does not sort them for
 * every page: a page of 100 answers in a few milliseconds.
 *
 * Records change behind the cache's back (routes change chats in place, tests mutate the state
 * directly), so a cached order is never trusted, only checked. Every answer reads every record
 * once anyway, to count `total`; that pass runs in the table's own order (the order the records
 * were made in, so memory is read front to back) and also compares each record's sort value with
 * the one the order was built from. A value that changed is noted and the order sorted again,
 * which is cheap because it is nearly sorted. Records added, replaced or removed bump the
 * TrackedMap's version, and the table is rebuilt.
 */
import { TrackedMap } from "./state.js";

/** The sort key's value in epoch ms, or null (sorted as 0). */
export type SortValue<T> = (record: T) => number | null;

export interface Page<T> {
  data: T[];
  total: number;
}

export interface PageRequest<T> {
  sortKey: string;
  value: SortValue<T>;
  descending: boolean;
  matches(record: T): boolean;
  offset: number;
  limit: number;
}

/** The records as they were at `version`, with one order per sort key used so far. */
interface Table<T> {
  version: number;
  records: T[];
  orders: Map<string, Order>;
}

interface Order {
  /** Per record (same place as in `records`): its sort value in whole seconds when last seen. */
  seconds: Float64Array;
  /** Places in `records`, ascending by (seconds, id); a descending answer walks it backwards. */
  ascending: number[];
}

/** Per record table. Weak, so a stopped sandbox's orders go with its state. */
const tables = new WeakMap<object, Table<unknown>>();

/** Sorting is on whole seconds, as HelpCrunch stores them; nulls count as 0. */
const sortSeconds = (ms: number | null) => (ms === null ? 0 : Math.floor(ms / 1000));

/** Every record that matches, in the requested order: `limit` of them from `offset`, and how many in all. */
export function pageInOrder<T extends { id: number }>(map: ReadonlyMap<number, T>, request: PageRequest<T>): Page<T> {
  const table = tableOf(map);
  const { records } = table;
  const order = orderOf(table, request.sortKey, request.value);
  const { value, matches } = request;
  const { seconds } = order;
  const matched = new Uint8Array(records.length);
  let total = 0;
  let moved = false;
  for (let i = 0; i < records.length; i++) {
    const record = records[i] as T;
    const now = sortSeconds(value(record));
    if (now !== seconds[i]) {
      seconds[i] = now;
      moved = true;
    }
    if (matches(record)) {
      matched[i] = 1;
      total++;
    }
  }
  if (moved) sortPlaces(order, records);
  return { data: pageOf(order.ascending, matched, request, records), total };
}

function tableOf<T extends { id: number }>(map: ReadonlyMap<number, T>): Table<T> {
  const version = map instanceof TrackedMap ? map.version : -1;
  const cached = tables.get(map) as Table<T> | undefined;
  if (cached && cached.version === version && version >= 0) return cached;
  const table: Table<T> = { version, records: [...map.values()], orders: new Map() };
  if (version >= 0) tables.set(map, table as Table<unknown>);
  return table;
}

function orderOf<T extends { id: number }>(table: Table<T>, sortKey: string, value: SortValue<T>): Order {
  const cached = table.orders.get(sortKey);
  if (cached) return cached;
  const { records } = table;
  const order: Order = { seconds: new Float64Array(records.length), ascending: Array.from(records, (_, i) => i) };
  records.forEach((record, i) => {
    order.seconds[i] = sortSeconds(value(record));
  });
  sortPlaces(order, records);
  table.orders.set(sortKey, order);
  return order;
}

/** Ties by id in the same direction, so paging is stable. */
function sortPlaces<T extends { id: number }>(order: Order, records: T[]): void {
  const { seconds } = order;
  order.ascending.sort((a, b) => (seconds[a] as number) - (seconds[b] as number) || (records[a] as T).id - (records[b] as T).id);
}

/** `limit` matching records from the `offset`-th, walking the order in the requested direction. */
function pageOf<T>(ascending: number[], matched: Uint8Array, { descending, offset, limit }: PageRequest<T>, records: T[]): T[] {
  const data: T[] = [];
  let skipped = 0;
  const n = ascending.length;
  for (let step = 0; step < n && data.length < limit; step++) {
    const place = ascending[descending ? n - 1 - step : step] as number;
    if (matched[place] !== 1) continue;
    if (skipped < offset) skipped++;
    else data.push(records[place] as T);
  }
  return data;
}
