/**
 * A scan that walks the chats in scope oldest-first, in one or more orders at once, and stops as
 * soon as the caller can prove that nothing not yet read matters: triage's threshold scan, which
 * finds the true top of a 100,000-chat queue in a few pages because everyone who waited longest
 * comes first.
 *
 * The proof rests on the order, and HelpCrunch's docs do not promise that search keeps one: every
 * page is checked against the order asked for (its timestamps, in whole seconds as HelpCrunch stores
 * them), the first page doubling as the probe. An order the account does not keep is remembered
 * (Dialect.orderSeen, shown by doctor) and the scan says so (`ordered: false`), so the caller never
 * presents a slice as the top.
 *
 * Small scopes (at most `readAllUpTo` chats) are read whole, several pages at a time: their counts
 * are then exact and they can seed the live mirror.
 */
import { runPool } from "../pool.js";
import { isBudgetSpent } from "./budget.js";
import { type Plan, plan, planStreams, SORT_FIELD, SORT_VALUE, type Stream } from "./chat-query.js";
import type { ChatReads } from "./chat-reads.js";
import type { Chat } from "./schemas.js";
import type { ChatScope, ChatSort, Frontier, OrderedScan, OrderedScanOptions, QueryHooks } from "./types.js";

const PAGE = 100;
const PAGES_IN_FLIGHT = 4;

interface Cursor {
  sort: ChatSort;
  stream: Stream;
  offset: number;
  total?: number;
  /** Highest value read so far, whole seconds (what the order guarantees about the rest). */
  lastSecond: number;
  done: boolean;
}

export async function scanOrdered(
  reads: ChatReads,
  scope: ChatScope,
  options: OrderedScanOptions,
  hooks: QueryHooks = {},
): Promise<OrderedScan> {
  const p = await plan(reads, scope, hooks);
  const empty = { chats: [], total: 0, complete: true, proven: true, ordered: true, frontier: {}, budgetSpent: false, requests: 0 };
  if (!p.possible) return { ...empty, notes: p.notes };
  const scan = new Scan(reads, p, options, hooks);
  return { ...(await scan.run()), notes: p.notes };
}

class Scan {
  private readonly cursors: Cursor[];
  private readonly read = new Map<number, Chat>();
  private requests = 0;
  private budgetSpent = false;
  private ordered = true;

  constructor(
    private readonly reads: ChatReads,
    p: Plan,
    private readonly options: OrderedScanOptions,
    private readonly hooks: QueryHooks,
  ) {
    this.cursors = options.orders.flatMap((sort) =>
      planStreams(reads, p, SORT_FIELD[sort], "asc", hooks).map((stream) => ({ sort, stream, offset: 0, lastSecond: 0, done: false })),
    );
  }

  async run(): Promise<Omit<OrderedScan, "notes">> {
    await Promise.all(this.cursors.map((cursor) => this.next(cursor)));
    if (this.total <= this.options.readAllUpTo) await this.readRest();
    let proven = this.allRead || this.options.enough([...this.read.values()], this.frontier(), this.total);
    while (!proven && !this.budgetSpent && this.ordered && !this.allRead) {
      await Promise.all(this.laggards().map((cursor) => this.next(cursor)));
      proven = this.allRead || (this.ordered && this.options.enough([...this.read.values()], this.frontier(), this.total));
    }
    // An order the account does not keep proves nothing: read a bounded slice and say it is one.
    if (!this.ordered && !this.allRead) await this.readRest(this.options.maxUnordered);
    return {
      chats: [...this.read.values()],
      total: this.total,
      complete: this.allRead,
      proven: this.allRead || (this.ordered && proven),
      ordered: this.ordered,
      frontier: this.frontier(),
      budgetSpent: this.budgetSpent,
      requests: this.requests,
    };
  }

  private get total(): number {
    return Math.max(0, ...this.cursors.map((c) => c.total ?? 0));
  }

  private get allRead(): boolean {
    // Each order covers the whole scope: one read to its end has read everything.
    return this.groups().some((group) => group.length > 0 && group.every((c) => c.done));
  }

  /** Cursors per order: an order is read whole once all of its streams are. */
  private groups(): Cursor[][] {
    return this.options.orders.map((sort) => this.cursors.filter((c) => c.sort === sort));
  }

  frontier(): Frontier {
    const frontier: Frontier = {};
    for (const group of this.groups()) {
      const sort = group[0]?.sort;
      if (sort === undefined) continue;
      frontier[sort] = Math.min(...group.map((c) => (c.done ? Number.POSITIVE_INFINITY : c.lastSecond * 1000)));
    }
    return frontier;
  }

  /** Per order, the stream furthest behind: advancing it is what moves the frontier. */
  private laggards(): Cursor[] {
    return this.groups().flatMap((group) => {
      const open = group.filter((c) => !c.done);
      const lowest = open.reduce<Cursor | undefined>((low, c) => (low === undefined || c.lastSecond < low.lastSecond ? c : low), undefined);
      return lowest ? [lowest] : [];
    });
  }

  /** One page of a cursor, then the cursor moved past it. */
  private async next(cursor: Cursor): Promise<void> {
    if (cursor.done) return;
    const page = await this.fetch(cursor, cursor.offset, PAGE);
    if (!page) return;
    this.check(cursor, page.data);
    cursor.offset += page.rawCount;
    cursor.total = page.total;
    cursor.done = page.rawCount === 0 || cursor.offset >= page.total;
  }

  /** A page of a stream, its chats kept; undefined once the call's budget is spent. */
  private async fetch(cursor: Cursor, offset: number, limit: number): Promise<Awaited<ReturnType<Stream>> | undefined> {
    if (this.budgetSpent) return undefined;
    try {
      const page = await cursor.stream(offset, limit);
      this.hooks.onPage?.(++this.requests);
      for (const chat of page.data) this.read.set(chat.id, chat);
      return page;
    } catch (error) {
      if (!isBudgetSpent(error)) throw error;
      this.budgetSpent = true;
      return undefined;
    }
  }

  /** Are the page's timestamps in the order asked for, after what the cursor read before? */
  private check(cursor: Cursor, chats: Chat[]): void {
    const field = SORT_FIELD[cursor.sort];
    const value = SORT_VALUE[field];
    let kept = this.reads.dialect.searchSort(field) === field;
    for (const chat of chats) {
      const v = value(chat);
      if (v === null) continue; // where nulls sort is not documented; a null is never the one that matters
      const second = Math.floor(v / 1000);
      if (second < cursor.lastSecond) kept = false;
      cursor.lastSecond = Math.max(cursor.lastSecond, second);
    }
    if (chats.length > 1) this.reads.dialect.orderSeen(field, "asc", kept);
    if (!kept) this.ordered = false;
  }

  /** The rest of every stream (or up to `max` chats in all), several pages at a time. */
  private async readRest(max = Number.POSITIVE_INFINITY): Promise<void> {
    const jobs = this.cursors.flatMap((cursor) => {
      if (cursor.sort !== this.options.orders[0] || cursor.done) return [];
      const end = Math.min(cursor.total ?? 0, max);
      const offsets: number[] = [];
      for (let o = cursor.offset; o < end; o += PAGE) offsets.push(o);
      return offsets.map((offset) => ({ cursor, offset, limit: Math.min(PAGE, end - offset) }));
    });
    await runPool(
      jobs,
      PAGES_IN_FLIGHT,
      async ({ cursor, offset, limit }) => {
        await this.fetch(cursor, offset, limit);
      },
      () => this.budgetSpent,
    );
    if (this.budgetSpent) return;
    for (const cursor of this.cursors) {
      if (cursor.sort !== this.options.orders[0] || max < (cursor.total ?? 0)) continue;
      cursor.offset = cursor.total ?? 0;
      cursor.done = true;
    }
  }
}
