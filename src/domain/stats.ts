/**
 * Team statistics from chat objects alone (HelpCrunch has no report endpoints): pure arithmetic
 * over chats the caller fetched, grouped one way. Each chat is counted once per metric, by the
 * event that metric is about: "created" by createdAt, "closed" by closedAt, "open now" by the
 * chat's current state (open chats have no day, so day groups leave them to the totals).
 */
import type { Chat } from "../helpcrunch/index.js";
import { isAwaitingReply, isOpen } from "./conversation.js";

export const GROUPINGS = ["agent", "department", "status", "day"] as const;
export type Grouping = (typeof GROUPINGS)[number];

export interface Window {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
}

export interface Quantiles {
  median_minutes: number;
  p90_minutes: number;
}

export interface GroupStats {
  key: string;
  label: string;
  created: number;
  closed: number;
  closed_by_agent: number;
  closed_by_customer: number;
  open: number;
  open_by_status: Record<string, number>;
  awaiting_reply: number;
  time_to_close?: Quantiles;
  ratings: { great: number; average: number; poor: number };
  /** Share of great among rated chats closed in the window, 0–1; absent when none was rated. */
  csat?: number;
  /** First-reply times of the sampled chats created in the window (chat_stats response_times). */
  first_reply?: Quantiles & { chats: number };
}

export interface StatsInput {
  window: Window;
  /** Every chat the fetch found (created or closed in the window, or open now), each once. */
  chats: Chat[];
  groupBy: Grouping;
  /** IANA zone for day groups. */
  timeZone: string;
}

/** HelpCrunch's three ratings; its docs' example says "perfect" where the enum says "great": read as great. */
function ratingOf(rating: string | null): "great" | "average" | "poor" | undefined {
  if (rating === "great" || rating === "perfect") return "great";
  return rating === "average" || rating === "poor" ? rating : undefined;
}

const inWindow = (t: number | null, w: Window): t is number => t !== null && t >= w.from && t < w.to;

/** Median: the middle value, or the mean of the two middle values. */
export function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

export function quantiles(values: number[]): Quantiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { median_minutes: round(median(sorted)), p90_minutes: round(percentile(sorted, 0.9)) };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** "2026-11-25" in `timeZone`. */
export function dayIn(epochMs: number, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(epochMs);
}

type Keyed = { key: string; label: string };

/** The group a chat's event at `when` belongs to; day groups have none for an event without a time. */
export function groupFor(chat: Chat, groupBy: Grouping, timeZone: string, when: number | null): Keyed | undefined {
  if (groupBy !== "day") return groupOf(chat, groupBy);
  return when === null ? undefined : { key: `day:${dayIn(when, timeZone)}`, label: dayIn(when, timeZone) };
}

function groupOf(chat: Chat, groupBy: Exclude<Grouping, "day">): Keyed {
  switch (groupBy) {
    case "agent":
      return chat.assignee
        ? { key: `agent:${chat.assignee.id}`, label: chat.assignee.name ?? `agent ${chat.assignee.id}` }
        : { key: "agent:none", label: "unassigned" };
    case "department":
      return chat.department
        ? { key: `department:${chat.department.id}`, label: chat.department.name ?? `department ${chat.department.id}` }
        : { key: "department:none", label: "no department" };
    case "status":
      return { key: `status:${chat.status}`, label: chat.status };
  }
}

function emptyGroup(keyed: Keyed): GroupStats {
  return {
    ...keyed,
    created: 0,
    closed: 0,
    closed_by_agent: 0,
    closed_by_customer: 0,
    open: 0,
    open_by_status: {},
    awaiting_reply: 0,
    ratings: { great: 0, average: 0, poor: 0 },
  };
}

/** Per group and in total; groups sorted by chats handled (created + closed + open), days by date. */
export function computeStats(input: StatsInput): { groups: GroupStats[]; total: GroupStats } {
  const { window: w, groupBy, timeZone } = input;
  const groups = new Map<string, GroupStats>();
  const closeTimes = new Map<GroupStats, number[]>();
  const total = emptyGroup({ key: "total", label: "total" });
  const at = (keyed: Keyed) => {
    let group = groups.get(keyed.key);
    if (!group) groups.set(keyed.key, (group = emptyGroup(keyed)));
    return group;
  };
  const targets = (chat: Chat, when: number | null): GroupStats[] => {
    const keyed = groupFor(chat, groupBy, timeZone, when);
    return keyed ? [total, at(keyed)] : [total];
  };

  for (const chat of input.chats) {
    if (inWindow(chat.createdAt, w)) for (const g of targets(chat, chat.createdAt)) g.created++;
    if (inWindow(chat.closedAt, w)) {
      for (const g of targets(chat, chat.closedAt)) {
        g.closed++;
        if (chat.closedBy === "agent") g.closed_by_agent++;
        if (chat.closedBy === "customer") g.closed_by_customer++;
        const rating = ratingOf(chat.rating);
        if (rating) g.ratings[rating]++;
        if (chat.createdAt !== null && chat.closedAt >= chat.createdAt) {
          const list = closeTimes.get(g) ?? [];
          list.push((chat.closedAt - chat.createdAt) / 60_000);
          closeTimes.set(g, list);
        }
      }
    }
    if (isOpen(chat)) {
      for (const g of targets(chat, null)) {
        g.open++;
        g.open_by_status[chat.status] = (g.open_by_status[chat.status] ?? 0) + 1;
        if (isAwaitingReply(chat)) g.awaiting_reply++;
      }
    }
  }
  for (const g of [total, ...groups.values()]) {
    const times = quantiles(closeTimes.get(g) ?? []);
    if (times) g.time_to_close = times;
    const rated = g.ratings.great + g.ratings.average + g.ratings.poor;
    if (rated > 0) g.csat = Math.round((g.ratings.great / rated) * 1000) / 1000;
  }
  const handled = (g: GroupStats) => g.created + g.closed + g.open;
  const sorted = [...groups.values()].sort((a, b) =>
    groupBy === "day" ? a.key.localeCompare(b.key) : handled(b) - handled(a) || a.label.localeCompare(b.label),
  );
  return { groups: sorted, total };
}
