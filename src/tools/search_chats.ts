import { z } from "zod";
import { parseTimeSpec } from "../domain/time-spec.js";
import { CHAT_STATUSES, type ChatQuery, type ChatSort } from "../helpcrunch/index.js";
import { chatLine, chatSummarySchema, summarize, toChatView } from "../present/chat-summary.js";
import { namesSchema } from "../present/names.js";
import { UNTRUSTED_NOTICE } from "../present/text.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool, partialOutput } from "../runtime/define-tool.js";
import { ToolError } from "../tool-error.js";
import { decodePageCursor, encodePageCursor } from "./kit/page-cursor.js";
import { agentRef, chatStatus, customerKey, customerRef, departmentRef, limit, offset, timeSpec } from "./kit/params.js";

const SORTS: Record<string, ChatSort> = {
  last_message: "lastMessage",
  last_customer_message: "lastCustomerMessage",
  created: "created",
};

const inputSchema = z.object({
  status: z.array(chatStatus).min(1).max(CHAT_STATUSES.length).optional().describe("Statuses to include; all when absent"),
  assignee: z
    .union([agentRef, z.literal("unassigned")])
    .optional()
    .describe('Agent id, email or name, or "unassigned"'),
  department: departmentRef.optional(),
  customer: customerRef.optional(),
  created_after: timeSpec("Only chats created after this").optional(),
  created_before: timeSpec("Only chats created before this").optional(),
  sort: z.enum(["last_message", "last_customer_message", "created"]).default("last_message").describe("Sort key"),
  order: z.enum(["desc", "asc"]).default("desc").describe("desc = newest first"),
  limit: limit(100, 20),
  offset,
  cursor: z.string().max(200).optional().describe("next_cursor of the previous page"),
});

export const searchChatsOutputSchema = z.object({
  total: z.number(),
  total_exact: z.boolean().optional(),
  offset: z.number(),
  next_offset: z.number().nullable(),
  next_cursor: z.string().optional(),
  chats: z.array(chatSummarySchema),
  names: namesSchema.optional(),
  notes: z.array(z.string()).optional(),
  ...partialOutput,
});

/** The tool's arguments as a domain query: names resolved to ids, times to epoch ms. */
async function toQuery(args: z.output<typeof inputSchema>, ctx: ToolContext): Promise<ChatQuery> {
  const now = ctx.now();
  const query: ChatQuery = {
    statuses: args.status ? [...new Set(args.status)] : [],
    sort: SORTS[args.sort],
    order: args.order,
    offset: args.offset,
    limit: args.limit,
  };
  if (args.assignee === "unassigned") query.unassigned = true;
  else if (args.assignee !== undefined) query.assigneeId = (await ctx.directory.resolveAgent(args.assignee, ctx.upstream)).id;
  if (args.department !== undefined) query.departmentId = (await ctx.directory.resolveDepartment(args.department, ctx.upstream)).id;
  if (args.customer !== undefined) {
    const customer = customerKey(args.customer);
    if ("id" in customer) query.customerId = customer.id;
    else query.customerEmail = customer.email;
  }
  if (args.created_after) query.createdAfter = parseTimeSpec(args.created_after, now, "past", "created_after");
  if (args.created_before) query.createdBefore = parseTimeSpec(args.created_before, now, "past", "created_before");
  return query;
}

/** "Chats 1–20 of 57 (next page: offset 20).", or why there are none. */
function pageHeader(
  offset: number,
  shown: number,
  result: { total: number; totalExact: boolean; nextOffset: number | null },
  cursor: string | undefined,
): string {
  const total = `${result.total}${result.totalExact ? "" : "+"}`;
  const next = cursor ? ` (next page: cursor ${cursor})` : result.nextOffset != null ? ` (next page: offset ${result.nextOffset})` : "";
  if (shown > 0) return `Chats ${offset + 1}–${offset + shown} of ${total}${next}.`;
  if (result.total === 0) return "No chats match these filters.";
  if (offset >= result.total) return `No chats at offset ${offset}: there are ${total}.`;
  // HelpCrunch counted matches, but every chat it returned failed the status check (see the notes).
  return `No matching chats on this page: HelpCrunch counted ${total}, but none of the chats it returned matched the filters.`;
}

export const searchChats = defineTool({
  name: "search_chats",
  title: "Search chats",
  description: `Find chats by status, assignee, department, customer and creation time; one line per chat.
Use it to list a slice of the queue ("unassigned new chats in Billing", "everything from mike@example.com"); triage_queue ranks the open queue, get_chat reads one chat.
Returns {total, next_cursor, chats: [summary]}; page with cursor = next_cursor (offset also works, but costs more on deep pages). Example: {"status": ["new", "opened"], "assignee": "unassigned"}.`,
  guide: { step: "find", phrase: 'search_chats lists chats by status, assignee ("unassigned"), department or customer' },
  kind: "read",
  inputSchema,
  outputSchema: searchChatsOutputSchema,
  async handler(args, ctx) {
    const query = await toQuery(args, ctx);
    if (args.cursor !== undefined) {
      const place = decodePageCursor(args.cursor, query);
      if (typeof place === "string") throw new ToolError(place);
      Object.assign(query, { offset: place.offset, positions: place.positions });
    }
    const offset = query.offset ?? 0;
    const result = await ctx.client.queryChats(query, ctx.upstream);
    const nextCursor =
      result.nextOffset !== null && result.nextPositions
        ? encodePageCursor(query, { offset: result.nextOffset, positions: result.nextPositions })
        : undefined;
    const now = ctx.now();
    const views = result.chats.map((c) => toChatView(c, now, ctx.sla));
    const { chats, names } = summarize(views);
    const lines = views.length > 0 ? [UNTRUSTED_NOTICE, ...views.map((c) => chatLine(c, now))] : [];
    return {
      text: [pageHeader(offset, views.length, result, nextCursor), ...result.notes, ...lines].join("\n"),
      structured: {
        total: result.total,
        ...(result.totalExact ? {} : { total_exact: false }),
        offset,
        next_offset: result.nextOffset,
        ...(nextCursor ? { next_cursor: nextCursor } : {}),
        chats,
        names,
        ...(result.notes.length ? { notes: result.notes } : {}),
      },
    };
  },
});
