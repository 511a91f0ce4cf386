/** What tasks share: the seeded world, how to read each server's answers, and the baseline's raw filters. */
import type { StepContext, World } from "../types.js";

/** Seed 7, 60 chats: 41 open (15 new), 9 agents, 5 departments, three customers whose text is hostile. */
export const WORLD: World = { seed: 7, chatCount: 60 };

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

/** The baseline's one query for the open queue: every open status, ORed (HelpCrunch cannot AND it with more). */
export const OPEN_QUERY = {
  filter: OPEN.map((value) => ({ field: "chats.status", operator: "=", value })),
  comparison: "OR",
  limit: 100,
};
export const statusQuery = (...statuses: string[]) => ({
  filter: statuses.map((value) => ({ field: "chats.status", operator: "=", value })),
  comparison: "OR",
  limit: 100,
});

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
