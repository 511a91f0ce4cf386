import { z } from "zod";
import { OPEN_STATUSES } from "../domain/conversation.js";
import type { SlaPolicy } from "../domain/sla.js";
import { humanDuration } from "../domain/time.js";
import { type QueueCounts, rankQueue } from "../domain/triage.js";
import type { Organization } from "../helpcrunch/index.js";
import { type ChatView, changeLine, chatLine, chatSummarySchema, prune, summarize, toChatView } from "../present/chat-summary.js";
import { namesSchema } from "../present/names.js";
import { UNTRUSTED_NOTICE } from "../present/text.js";
import { defineTool, partialOutput } from "../runtime/define-tool.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import type { QueueAnswer } from "../services/live-answer.js";
import { agentRef, departmentRef, integer } from "./kit/params.js";
import { queueView } from "./kit/queue-view.js";

/** Chats that left, listed one line each in a poll; a mass close is counted, not listed. */
const LEFT_SHOWN = 20;

const inputSchema = z.object({
  department: departmentRef.optional(),
  assignee: z
    .union([agentRef, z.literal("unassigned")])
    .optional()
    .describe('Agent id, email or name, or "unassigned"'),
  limit: integer().min(1).max(50).default(20).describe("How many top chats"),
  include_snoozed: z.boolean().default(false).describe("Also rank chats still snoozed"),
  since: z.string().max(100).optional().describe("A previous answer's cursor: only what changed since"),
});

const countsSchema = z.object({
  open: z.number(),
  by_status: z.record(z.string(), z.number()),
  unassigned: z.number(),
  awaiting_reply: z.number(),
  unread: z.number(),
  snoozes_due: z.number(),
  snoozed: z.number(),
  oldest_wait_minutes: z.number(),
  sla_breached: z.number().optional(),
  sla_at_risk: z.number().optional(),
  team_online: z.boolean().optional().describe("Whether any agent is online (GET /organization)"),
  chat_enabled: z.boolean().optional().describe("Whether the chat widget is on"),
});

export const triageOutputSchema = z.object({
  counts: countsSchema,
  complete: z.boolean(),
  chats: z
    .array(
      chatSummarySchema.extend({
        reason: z.string().describe("Why it ranks here"),
      }),
    )
    .describe("Best first"),
  names: namesSchema.optional(),
  cursor: z.string(),
  source: z.string().describe("Scan or live mirror, how fresh"),
  coverage: z
    .object({
      total: z.number().optional(),
      read: z.number().describe("Longest waiting first; counts are of these"),
      proven: z.number().describe("Top chats no unread chat can outrank"),
      exact: z.boolean(),
      read_all_waiting_since: z.number().optional(),
    })
    .optional()
    .describe("Queues too large to read whole"),
  left: z
    .array(z.object({ id: z.number(), why: z.string() }))
    .optional()
    .describe(`With since: chats that left, and why (at most ${LEFT_SHOWN})`),
  left_more: z.number().optional(),
  ...partialOutput,
});

/** One phrase when nobody can answer: no agent online, or the chat widget off. */
export function availabilityPhrase(team: Organization | undefined): string | undefined {
  const problems = [
    ...(team?.teamOnline === false ? ["no agent online"] : []),
    ...(team?.chatEnabled === false ? ["the chat widget is off"] : []),
  ];
  return problems.length ? problems.join(", ") : undefined;
}

/** A scan that read part of a large queue: the total HelpCrunch counts, then counts of what was read. */
export interface BriefingCoverage {
  total?: number;
  read: number;
}

export function briefing(counts: QueueCounts, team?: Organization, coverage?: BriefingCoverage): string {
  // Workflow order (new → onhold), not count order, so briefings read the same way every time.
  const order = (status: string) => (OPEN_STATUSES as readonly string[]).indexOf(status) + 1 || 99;
  const statuses = Object.entries(counts.by_status)
    .sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b))
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  const parts = [
    `${counts.unassigned} unassigned`,
    `${counts.awaiting_reply} awaiting a reply${counts.awaiting_reply ? ` (longest ${humanDuration(counts.oldest_wait_minutes * 60_000)})` : ""}`,
    `${counts.unread} unread`,
  ];
  if (counts.sla_breached !== undefined) parts.push(`SLA: ${counts.sla_breached} breached, ${counts.sla_at_risk ?? 0} at risk`);
  if (counts.snoozes_due) parts.push(`${counts.snoozes_due} snoozes ended`);
  if (counts.snoozed) parts.push(`${counts.snoozed} still snoozed`);
  const unavailable = availabilityPhrase(team);
  if (unavailable) parts.push(unavailable);
  if (!coverage) return `Open queue: ${counts.open} chats${statuses ? ` (${statuses})` : ""} · ${parts.join(" · ")}.`;
  const total = coverage.total ?? `more than ${coverage.read}`;
  return `Open queue: ${total} chats; of the ${coverage.read} read (the customers who wrote longest ago): ${parts.join(" · ")}.`;
}

/** "Since then: 2 entered, 1 left." (what is zero is not said). */
function sinceLine(entered: number, changed: number, left: number): string {
  const moves = [`${entered} entered`, `${changed} changed`, `${left} left`].filter((move) => !move.startsWith("0 "));
  return moves.length ? `Since then: ${moves.join(", ")}.` : "Nothing changed since the cursor.";
}

/** The counts a poller needs every minute, in one short line. */
function shortBriefing(counts: QueueCounts): string {
  const sla = counts.sla_breached !== undefined ? `, SLA ${counts.sla_breached} breached` : "";
  const longest = counts.awaiting_reply ? ` (longest ${humanDuration(counts.oldest_wait_minutes * 60_000)})` : "";
  return `Open ${counts.open}: ${counts.unassigned} unassigned, ${counts.awaiting_reply} awaiting${longest}${sla}.`;
}

/** The top of an answer as triage_queue shows it: summaries with their reasons, and one line each. */
function rankedTop(answer: QueueAnswer, args: { limit: number; include_snoozed: boolean }, sla: SlaPolicy | undefined) {
  const now = answer.asOf;
  const changes = answer.changes;
  const shown = changes ? changes.shown : answer.chats;
  const ranked = rankQueue(shown, now, args.include_snoozed, sla).slice(0, args.limit);
  const views = ranked.map((r) => toChatView(r.chat, now, sla));
  const { chats, names } = summarize(views);
  // A change list says what moved; the chat line beside it says the rest (the full answer's reasons repeat it).
  const reasonOf = (i: number) =>
    changes ? (changes.enteredIds.has(ranked[i]?.chat.id ?? 0) ? "entered" : "changed") : (ranked[i]?.reason ?? "");
  // A changed chat's customer and creation time cannot have changed: the earlier answer has them.
  const lean = (chat: (typeof chats)[number]) => {
    if (!changes?.previous.has(chat.id)) return chat;
    const { customer: _customer, created_at: _created, ...rest } = chat;
    return rest;
  };
  const top = chats.map((chat, i) => ({ ...lean(chat), reason: reasonOf(i) }));
  const lineOf = (view: ChatView) => {
    const was = changes?.previous.get(view.id);
    return was ? changeLine(toChatView(was, now, sla), view, now) : chatLine(view, now);
  };
  // In a poll, "changed" goes without saying (the count line says how many): only an entered chat is marked.
  const label = (reason: string | undefined) => (changes && reason === "changed" ? "" : `${reason} — `);
  // A full answer numbers its ranking; a poll's lines (still best first) start with the chat id.
  const lines = views.map((view, i) => `${changes ? "" : `${i + 1}. `}${label(top[i]?.reason)}${lineOf(view)}`);
  return { top, names, lines };
}

export const triageQueue = defineTool({
  name: "triage_queue",
  title: "Triage the open queue",
  description: `Rank the open queue (new, opened, pending, on hold) by who needs a human first, with counts for a briefing.
Use it first for "what needs attention?", then get_chat the top chats and act; search_chats lists without ranking.
Score: minutes the customer has waited, +120 unassigned, +60 unread, +120 snooze ended, +60 new, −30 pending; snoozed chats only with include_snoozed. With SLA targets set, breached then at-risk chats come first.
Returns {counts, chats: [summary + reason], best first, cursor}; pass cursor as since for only the chats that entered, changed or left.`,
  guide: { step: "find", phrase: "triage_queue ranks the open queue by who needs a human first" },
  kind: "read",
  ui: { resourceUri: VIEW_URIS.queue },
  inputSchema,
  outputSchema: triageOutputSchema,
  // The whole queue from a kept live answer reads the same for everyone this minute (LiveQueue.keptAnswerTag).
  async answerTag(args, services) {
    if (args.department !== undefined || args.assignee !== undefined || args.since !== undefined) return undefined;
    const view = { includeSnoozed: args.include_snoozed };
    return services.liveQueue.keptAnswerTag({ view, limit: args.limit, directory: services.directory });
  },
  async handler(args, ctx) {
    const view = await queueView(args, ctx);
    const answer: QueueAnswer = await ctx.liveQueue.answer({
      view,
      since: args.since,
      limit: args.limit,
      sla: ctx.sla,
      directory: ctx.directory,
      call: { ...ctx.upstream, onPage: (pages) => ctx.progress(pages, undefined, `fetched ${pages} page(s)`) },
    });
    const team = answer.team;
    const counts = answer.counts;
    const changes = answer.changes;
    const rank = () => rankedTop(answer, args, ctx.sla);
    // A mirror answer kept for the minute is ranked and written once, whoever asks (a poll's changes are its own).
    const { top, names, lines } = answer.memo && !changes ? answer.memo.get(`${args.limit}:${args.include_snoozed}`, rank) : rank();
    const allLeft = changes?.left ?? [];
    const left = allLeft.slice(0, LEFT_SHOWN);
    const leftMore = allLeft.length - left.length;
    const coverage = answer.coverage;
    const heading =
      !coverage || coverage.exact
        ? `Top ${top.length} to handle now:`
        : `Top ${top.length} of the chats read (the first ${coverage.proven} proven):`;
    // A poll pays only for what changed: a one-line count, and no repeat of the customer-text notice the instructions carry.
    const text = changes
      ? [
          `${shortBriefing(counts)} ${answer.sourceBrief} Cursor: ${answer.cursor}`,
          ...answer.notes,
          sinceLine(changes.enteredIds.size, changes.shown.length - changes.enteredIds.size, allLeft.length),
          ...lines,
          ...left.map((l) => `left: #${l.id} (${l.why})`),
          ...(leftMore ? [`…and ${leftMore} more left.`] : []),
        ]
      : [
          briefing(counts, team, coverage),
          `${answer.source} Cursor: ${answer.cursor}`,
          ...answer.notes,
          ...(top.length ? [heading, UNTRUSTED_NOTICE, ...lines] : ["Nothing is waiting."]),
        ];
    const availability = team ? prune({ team_online: team.teamOnline ?? undefined, chat_enabled: team.chatEnabled ?? undefined }) : {};
    return {
      text: text.join("\n"),
      structured: {
        counts: { ...counts, ...availability },
        complete: answer.complete,
        chats: top,
        names,
        cursor: answer.cursor,
        source: answer.source,
        ...(coverage ? { coverage } : {}),
        ...(answer.changes ? { left, ...(leftMore ? { left_more: leftMore } : {}) } : {}),
      },
    };
  },
});
