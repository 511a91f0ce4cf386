import { z } from "zod";
import { OPEN_STATUSES } from "../domain/conversation.js";
import { customerWaits, evenSample, firstReplyMinutes, oldestMessages, type Wait } from "../domain/first-reply.js";
import type { SlaKind, SlaPolicy } from "../domain/sla.js";
import { computeStats, dayIn, GROUPINGS, type Grouping, type GroupStats, groupFor, quantiles } from "../domain/stats.js";
import { humanDuration } from "../domain/time.js";
import { parseTimeSpec } from "../domain/time-spec.js";
import type { Chat, ChatScope } from "../helpcrunch/index.js";
import { runPool } from "../pool.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool, partialOutput } from "../runtime/define-tool.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import { ToolError } from "../tool-error.js";
import { agentRef, departmentRef, timeSpec } from "./kit/params.js";

/** Chats fetched per question (created in the window, closed in it): 50 requests each at most. */
export const STATS_MAX_CHATS = 5_000;
/** Chats whose messages are read for first-reply times: one or two requests each. */
export const RESPONSE_SAMPLE = 40;
const DEFAULT_WINDOW_MS = 7 * 24 * 60 * 60_000;

const inputSchema = z.object({
  from: timeSpec("Window start").optional().describe('Window start: ISO 8601 or a duration ago like "7d" (default 7 days ago)'),
  to: timeSpec("Window end").optional().describe("Window end, exclusive (default now)"),
  department: departmentRef.optional(),
  assignee: agentRef.optional(),
  group_by: z.enum(GROUPINGS).default("agent").describe("One row per agent, department, status or day"),
  response_times: z
    .boolean()
    .default(false)
    .describe(`Also measure first-reply times on up to ${RESPONSE_SAMPLE} chats (one request each)`),
});

const slaShareSchema = z.object({ met: z.number(), missed: z.number(), share: z.number().optional() });
type SlaShare = z.infer<typeof slaShareSchema>;
type SlaShares = { first_reply?: SlaShare; next_reply?: SlaShare };

const quantilesSchema = z.object({ median_minutes: z.number(), p90_minutes: z.number() });
const groupSchema = z.object({
  key: z.string(),
  label: z.string(),
  created: z.number(),
  closed: z.number(),
  closed_by_agent: z.number(),
  closed_by_customer: z.number(),
  open: z.number().describe("Open now (not in the window)"),
  open_by_status: z.record(z.string(), z.number()),
  awaiting_reply: z.number().describe("Open now and owed a reply"),
  time_to_close: quantilesSchema.optional().describe("createdAt → closedAt of chats closed in the window"),
  ratings: z.object({ great: z.number(), average: z.number(), poor: z.number() }),
  csat: z.number().optional().describe("great / rated, 0–1"),
  first_reply: quantilesSchema.extend({ chats: z.number() }).optional(),
});

const outputSchema = z.object({
  window: z.object({ from: z.number(), to: z.number() }).describe("UNIX seconds; from inclusive, to exclusive"),
  group_by: z.enum(GROUPINGS),
  time_zone: z.string(),
  groups: z.array(groupSchema),
  total: groupSchema,
  complete: z
    .boolean()
    .describe(`False when a question stopped early (at ${STATS_MAX_CHATS} chats, or at the request budget): counts are then lower bounds`),
  requests: z.number().describe("HelpCrunch requests this answer cost"),
  response_sample: z.object({ asked: z.number(), measured: z.number() }).optional(),
  sla: z
    .object({ first_reply: slaShareSchema.optional(), next_reply: slaShareSchema.optional() })
    .optional()
    .describe("Share of sampled chats that met each configured target (response_times only)"),
  notes: z.array(z.string()).optional(),
  ...partialOutput,
});

export const chatStats = defineTool({
  name: "chat_stats",
  title: "Team statistics",
  description: `Team numbers for a time window: chats created, closed (by agent / by customer), open and awaiting a reply now, time to close (median, p90) and ratings (CSAT), one row per agent, department, status or day.
Use it for "how did we do this week?" or "who is overloaded?"; triage_queue lists what needs a human now.
Example: {"from": "7d", "group_by": "agent"}.`,
  guide: { step: "read", phrase: "chat_stats counts and times the team's chats over a window" },
  kind: "read",
  ui: { resourceUri: VIEW_URIS.stats },
  inputSchema,
  outputSchema,
  async handler(args, ctx) {
    const now = ctx.now();
    const window = {
      from: args.from ? parseTimeSpec(args.from, now, "past", "from") : now - DEFAULT_WINDOW_MS,
      to: args.to ? parseTimeSpec(args.to, now, "past", "to") : now,
    };
    if (window.from >= window.to) throw new ToolError('from must be before to; for example from: "7d" (7 days ago) to now.');
    const scope = await scopeOf(args, ctx);
    const fetched = await fetchWindow(scope, window, ctx);
    const timeZone = ctx.config.timeZone ?? "UTC";
    const { groups, total } = computeStats({ window, chats: fetched.chats, groupBy: args.group_by, timeZone });
    let requests = fetched.requests;
    let sample: { asked: number; measured: number } | undefined;
    let sla: SlaShares | undefined;
    if (args.response_times) {
      const measured = await measureFirstReplies(fetched.chats, window, ctx);
      requests += measured.requests;
      sample = { asked: measured.asked, measured: measured.minutes.size };
      attachFirstReplies(measured.minutes, fetched.chats, args.group_by, timeZone, groups, total);
      if (ctx.sla.enabled) sla = slaShares(measured.waits, ctx.sla, now);
    }
    const notes = [
      ...fetched.notes,
      ...(fetched.boundReached
        ? [
            `Stopped at ${STATS_MAX_CHATS} chats for one of the questions: counts are lower bounds. Narrow the window or filter by department.`,
          ]
        : []),
      ...(ctx.sla.enabled && !args.response_times
        ? ["SLA targets are set: ask with response_times: true to see the share of chats that met them."]
        : []),
    ];
    return {
      text: [
        `Chats ${dayIn(window.from, timeZone)} → ${dayIn(window.to - 1, timeZone)} (${timeZone}), by ${args.group_by}:`,
        ...table([...groups, total], Boolean(sample)),
        ...(sample ? [`First replies measured on ${sample.measured} of ${sample.asked} sampled chats created in the window.`] : []),
        ...(sla ? [slaLine(sla, ctx.sla)] : []),
        ...notes,
        `${requests} HelpCrunch requests.`,
      ].join("\n"),
      structured: {
        window: { from: Math.floor(window.from / 1000), to: Math.floor(window.to / 1000) },
        group_by: args.group_by,
        time_zone: timeZone,
        groups,
        total,
        complete: fetched.complete,
        requests,
        ...(sample ? { response_sample: sample } : {}),
        ...(sla ? { sla } : {}),
        ...(notes.length ? { notes } : {}),
      },
    };
  },
});

async function scopeOf(args: z.output<typeof inputSchema>, ctx: ToolContext): Promise<ChatScope> {
  const scope: ChatScope = {};
  if (args.department !== undefined) scope.departmentId = (await ctx.directory.resolveDepartment(args.department, ctx.upstream)).id;
  if (args.assignee !== undefined) scope.assigneeId = (await ctx.directory.resolveAgent(args.assignee, ctx.upstream)).id;
  return scope;
}

/** Three questions, each in as few requests as paging allows: created in the window, closed in it, open now. */
async function fetchWindow(scope: ChatScope, window: { from: number; to: number }, ctx: ToolContext) {
  let pages = 0;
  const hooks = { ...ctx.upstream, onPage: () => ctx.progress(++pages, undefined, `fetched ${pages} page(s)`) };
  const bound = { maxChats: STATS_MAX_CHATS, sort: "created" as const };
  const [created, closed, open] = await Promise.all([
    ctx.client.scanChats({ ...scope, createdSince: window.from, createdBefore: window.to }, hooks, bound),
    ctx.client.scanChats({ ...scope, closedSince: window.from, closedBefore: window.to }, hooks, bound),
    ctx.client.scanChats({ ...scope, statuses: [...OPEN_STATUSES] }, hooks, bound),
  ]);
  // A chat created and closed in the window is found twice: counted once, by id.
  const byId = new Map<number, Chat>();
  for (const chat of [...created.chats, ...closed.chats, ...open.chats]) byId.set(chat.id, chat);
  return {
    chats: [...byId.values()],
    complete: created.complete && closed.complete && open.complete,
    boundReached: created.boundReached || closed.boundReached || open.boundReached,
    requests: created.requests + closed.requests + open.requests,
    notes: [...new Set([...created.notes, ...closed.notes, ...open.notes])],
  };
}

async function measureFirstReplies(chats: Chat[], window: { from: number; to: number }, ctx: ToolContext) {
  const candidates = chats
    .filter((c) => c.createdAt !== null && c.createdAt >= window.from && c.createdAt < window.to)
    .sort((a, b) => (a.createdAt as number) - (b.createdAt as number) || a.id - b.id);
  const sample = evenSample(candidates, RESPONSE_SAMPLE);
  const minutes = new Map<number, number>();
  const waits = new Map<number, Wait[]>();
  let requests = 0;
  let done = 0;
  const stopped = () => ctx.signal.aborted || Date.now() >= ctx.upstream.deadline;
  await runPool(
    sample,
    4,
    async (chat) => {
      try {
        const read = await oldestMessages(ctx.client, chat.id, ctx.upstream);
        requests += read.requests;
        waits.set(chat.id, customerWaits(read.messages));
        const value = firstReplyMinutes(read.messages);
        if (value !== undefined) minutes.set(chat.id, value);
      } catch {
        // A chat that cannot be read (deleted, rate limit past the deadline) is left out of the sample.
      }
      ctx.progress(++done, sample.length, `read ${done} of ${sample.length} chats`);
    },
    stopped,
  );
  return { asked: sample.length, minutes, waits, requests };
}

/** First-reply quantiles per group: chats are grouped as computeStats groups "created". */
function attachFirstReplies(
  minutes: Map<number, number>,
  chats: Chat[],
  groupBy: Grouping,
  timeZone: string,
  groups: GroupStats[],
  total: GroupStats,
): void {
  const byGroup = new Map<string, number[]>();
  const add = (key: string, value: number) => byGroup.set(key, [...(byGroup.get(key) ?? []), value]);
  for (const chat of chats) {
    const value = minutes.get(chat.id);
    if (value === undefined) continue;
    add("total", value);
    const group = groupFor(chat, groupBy, timeZone, chat.createdAt);
    if (group) add(group.key, value);
  }
  for (const group of [...groups, total]) {
    const values = byGroup.get(group.key) ?? [];
    const q = quantiles(values);
    if (q) group.first_reply = { ...q, chats: values.length };
  }
}

/**
 * Met or missed per sampled chat and target: a wait answered within the target is met; one answered
 * later, or still unanswered past the target, is missed; one still running within it is not decided.
 * A chat meets the next-reply target when none of its later waits missed it.
 */
function slaShares(waits: Map<number, Wait[]>, sla: SlaPolicy, now: number): SlaShares {
  const verdict = (kind: SlaKind, wait: Wait): boolean | undefined => {
    const target = sla.target(kind) as number;
    if (wait.to !== undefined) return sla.met(kind, wait.from, wait.to);
    return sla.minutesBetween(wait.from, now) > target ? false : undefined;
  };
  const share = (kind: SlaKind, pick: (w: Wait[]) => Wait[]): SlaShare | undefined => {
    if (sla.target(kind) === undefined) return undefined;
    let met = 0;
    let missed = 0;
    for (const list of waits.values()) {
      const verdicts = pick(list)
        .map((w) => verdict(kind, w))
        .filter((v): v is boolean => v !== undefined);
      if (verdicts.length === 0) continue;
      if (verdicts.every(Boolean)) met++;
      else missed++;
    }
    return { met, missed, ...(met + missed ? { share: Math.round((met / (met + missed)) * 1000) / 1000 } : {}) };
  };
  const first = share("first_reply", (w) => w.slice(0, 1));
  const next = share("next_reply", (w) => w.slice(1));
  return { ...(first ? { first_reply: first } : {}), ...(next ? { next_reply: next } : {}) };
}

function slaLine(shares: SlaShares, sla: SlaPolicy): string {
  const part = (name: string, s?: SlaShare) =>
    s ? `${name} ${s.share === undefined ? "–" : `${Math.round(s.share * 100)}%`} met (${s.met} of ${s.met + s.missed})` : "";
  return `SLA (${sla.describe()}): ${[part("first reply", shares.first_reply), part("next reply", shares.next_reply)].filter(Boolean).join(", ")}.`;
}

const minutesText = (m: number) => (m < 1 ? "<1m" : humanDuration(m * 60_000));

/** A compact table a person reads at a glance. */
function table(rows: GroupStats[], withReplies: boolean): string[] {
  const header = [
    "",
    "created",
    "closed (agent/customer)",
    "open now",
    "awaiting",
    "close median / p90",
    "CSAT (rated)",
    ...(withReplies ? ["first reply median / p90"] : []),
  ];
  const lines = rows.map((g) => {
    const rated = g.ratings.great + g.ratings.average + g.ratings.poor;
    const first = g.first_reply;
    return [
      g.label,
      String(g.created),
      `${g.closed} (${g.closed_by_agent}/${g.closed_by_customer})`,
      String(g.open),
      String(g.awaiting_reply),
      g.time_to_close ? `${minutesText(g.time_to_close.median_minutes)} / ${minutesText(g.time_to_close.p90_minutes)}` : "–",
      g.csat !== undefined ? `${Math.round(g.csat * 100)}% (${rated})` : "–",
      ...(withReplies ? [first ? `${minutesText(first.median_minutes)} / ${minutesText(first.p90_minutes)}` : "–"] : []),
    ];
  });
  return [header, ...lines].map((cells) => cells.join(" | "));
}
