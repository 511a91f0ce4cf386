/** What tasks share: the seeded world, how to read each server's answers, and the baseline's raw filters. */
import type { Args, Step, StepContext, World } from "../types.js";

/**
 * Seed 7, a queue of 300 open chats (75 new, 125 opened, 57 pending, 43 on hold) and 185 closed,
 * no-communication and empty ones: 485 chats, 243 customers, 9 agents, 5 departments, three
 * customers whose text is hostile. A queue a real team has, and more than one page (100) of it.
 */
export const WORLD: World = { seed: 7, openChats: 300 };

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const OPEN = ["new", "opened", "pending", "onhold"] as const;

/** Agents and departments of seed 7, by id (what a person calls them). */
export const AGENT = { priya: 1, marcus: 3, sofia: 4, tom: 5, aisha: 6, liam: 7, yuki: 8 } as const;
export const DEPT = { billing: 1, tech: 2, sales: 3, shipping: 4, onboarding: 5 } as const;

export interface OurChat {
  id: number;
  status: string;
  assignee?: number;
  department?: number;
  waiting_minutes?: number;
  customer?: { id: number; email?: string };
}
export interface RawChat {
  id: number;
  status: string;
  assignee: { id: number } | null;
  department: { id: number } | null;
  customer: { id: number; email: string | null };
  lastCustomerMessageAt: string | number | null;
  lastMessageAt: string | number | null;
  snoozedUntil: string | number | null;
  readByAgent: boolean;
  lastMessageText: string | null;
  closedAt: string | number | null;
  closedBy: string | null;
  rating: string | null;
  agents: Array<{ id: number }>;
}

export const last = (ctx: StepContext): unknown => ctx.results[ctx.results.length - 1];
export const ours = (result: unknown): OurChat[] => (result as { chats: OurChat[] }).chats;
export const raw = (result: unknown): RawChat[] => (result as { data: RawChat[] }).data;
/** HelpCrunch writes some times as strings and some as numbers, in seconds. */
export const secondsOf = (value: string | number | null): number | null => (value === null || value === "" ? null : Number(value));

/** HelpCrunch's filter for chats in any of `statuses`, ORed (HelpCrunch cannot AND it with more). */
export const statusFilter = (...statuses: string[]) => ({
  filter: statuses.map((value) => ({ field: "chats.status", operator: "=", value })),
  comparison: "OR",
});
export const OPEN_FILTER = statusFilter(...OPEN);
const PAGE = 100;

/**
 * Every page of a raw list (HelpCrunch answers at most 100 at a time): the first call, then one
 * call per page its `meta.total` says is left, each filed under `as`.
 */
export function rawPages(tool: string, args: Args, as: string): Step[] {
  return [
    { tool, args: { ...args, limit: PAGE }, as },
    {
      each: (c) => {
        const total = (c.named[as]?.[0] as { meta?: { total?: number } } | undefined)?.meta?.total ?? 0;
        const offsets = Array.from({ length: Math.max(0, Math.ceil(total / PAGE) - 1) }, (_, i) => (i + 1) * PAGE);
        return offsets.map((offset) => ({ tool, args: { ...args, limit: PAGE, offset }, as }));
      },
    },
  ];
}
/** The baseline's read of the whole open queue, every page. */
export const openQueue = (as: string) => rawPages("search_chats", OPEN_FILTER, as);
/** The chats of every page filed under `as`. */
export const rawAll = (c: StepContext, as: string): RawChat[] => (c.named[as] ?? []).flatMap((page) => raw(page));

/** Every page of this server's search_chats: the first call, then the next while it hands out a `next_cursor`. */
export function ourPages(args: Args, as: string): Step[] {
  const next = (c: StepContext): Step[] => {
    const pages = c.named[as] ?? [];
    const cursor = (pages[pages.length - 1] as { next_cursor?: string } | undefined)?.next_cursor;
    return cursor ? [{ tool: "search_chats", args: { ...args, limit: PAGE, cursor }, as }, { each: next }] : [];
  };
  return [{ tool: "search_chats", args: { ...args, limit: PAGE }, as }, { each: next }];
}
/** The chats of every page of this server's answers filed under `as`. */
export const oursAll = (c: StepContext, as: string): OurChat[] => (c.named[as] ?? []).flatMap((page) => ours(page));

const waitingSince = (c: RawChat) => {
  const customer = secondsOf(c.lastCustomerMessageAt);
  const message = secondsOf(c.lastMessageAt);
  return customer !== null && message !== null && customer >= message ? customer : null;
};

/**
 * The ranking a careful reader applies to raw chats, from this server's documented rule: minutes the
 * customer has waited, +120 unassigned, +60 unread, +60 new, −30 pending; snoozed chats left out.
 */
export function rankRaw(chats: RawChat[], nowMs: number): RawChat[] {
  const score = (c: RawChat) => {
    const since = waitingSince(c);
    const waited = since === null ? 0 : Math.max(0, (nowMs / 1000 - since) / 60);
    return waited + (c.assignee ? 0 : 120) + (c.readByAgent ? 0 : 60) + (c.status === "new" ? 60 : 0) - (c.status === "pending" ? 30 : 0);
  };
  const snoozed = (c: RawChat) => (secondsOf(c.snoozedUntil) ?? 0) * 1000 > nowMs;
  return chats.filter((c) => !snoozed(c)).sort((a, b) => score(b) - score(a) || a.id - b.id);
}

export const awaitingReply = (c: RawChat) => waitingSince(c) !== null;
