import { z } from "zod";
import type { ChatSortField, SearchFilter } from "../client/index.js";
import { chatLine, chatSummarySchema, toChatSummary } from "../format/chat-summary.js";
import { UNTRUSTED_NOTICE } from "../format/text.js";
import { queryChats } from "./chat-query.js";
import type { ToolContext } from "./context.js";
import { defineTool } from "./define-tool.js";
import { agentRef, chatStatus, customerRef, departmentRef, limit, offset, timeSpec } from "./params.js";
import { parseTimeSpec } from "./time-spec.js";

const SORT_FIELDS: Record<string, ChatSortField> = {
  last_message: "chats.lastMessageAt",
  last_customer_message: "chats.lastCustomerMessageAt",
  created: "chats.createdAt",
};

const inputSchema = z.object({
  status: z.array(chatStatus).min(1).max(7).optional().describe('Statuses to include, e.g. ["new", "opened"]; all when absent'),
  assignee: z
    .union([agentRef, z.literal("unassigned")])
    .optional()
    .describe('Agent id, email or full name, or "unassigned" for chats nobody owns'),
  department: departmentRef.optional(),
  customer: customerRef.optional(),
  created_after: timeSpec("Only chats created after this").optional(),
  created_before: timeSpec("Only chats created before this").optional(),
  sort: z.enum(["last_message", "last_customer_message", "created"]).default("last_message").describe("Sort key (default last_message)"),
  order: z.enum(["desc", "asc"]).default("desc").describe("desc = newest first (default)"),
  limit: limit(100, 20),
  offset,
});

export const searchChatsOutputSchema = z.object({
  total: z.number(),
  total_exact: z.boolean().optional(),
  offset: z.number(),
  next_offset: z.number().nullable(),
  chats: z.array(chatSummarySchema),
});

async function buildFilters(args: z.output<typeof inputSchema>, ctx: ToolContext): Promise<SearchFilter[]> {
  const filters: SearchFilter[] = [];
  const now = ctx.now();
  if (args.assignee !== undefined && args.assignee !== "unassigned") {
    const agent = await ctx.directory.resolveAgent(args.assignee, ctx.signal);
    filters.push({ field: "chats.assignee", operator: "=", value: agent.id });
  }
  if (args.department !== undefined) {
    const department = await ctx.directory.resolveDepartment(args.department, ctx.signal);
    filters.push({ field: "chats.department", operator: "=", value: department.id });
  }
  if (args.customer !== undefined) {
    const ref = String(args.customer).trim();
    filters.push(
      /^\d+$/.test(ref)
        ? { field: "chats.customer", operator: "=", value: Number(ref) }
        : { field: "chats.customer.email", operator: "=", value: ref },
    );
  }
  // HelpCrunch wants date filter values as numbers of UNIX seconds: a string fails validation.
  if (args.created_after) {
    const after = parseTimeSpec(args.created_after, now, "past", "created_after");
    filters.push({ field: "chats.createdAt", operator: ">", value: Math.floor(after / 1000) });
  }
  if (args.created_before) {
    const before = parseTimeSpec(args.created_before, now, "past", "created_before");
    filters.push({ field: "chats.createdAt", operator: "<", value: Math.floor(before / 1000) });
  }
  return filters;
}

export const searchChats = defineTool({
  name: "search_chats",
  title: "Search chats",
  description: `Find chats by status, assignee, department, customer and creation time; one compact line per chat.
Use it to list a queue slice ("new and opened chats in Billing", "unassigned", "everything from mike@example.com"); use triage_queue instead to get the open queue ranked by who needs a human first, and get_chat to read one chat.
Returns {total, next_offset, chats: [summary]} where a summary has status, customer, assignee, department, awaiting_reply, waiting_minutes, unread and a 120-char preview.
Example: {"status": ["new", "opened"], "assignee": "unassigned", "limit": 20}. Page with offset = next_offset.`,
  kind: "read",
  inputSchema,
  outputSchema: searchChatsOutputSchema,
  async handler(args, ctx) {
    const filters = await buildFilters(args, ctx);
    const result = await queryChats(
      ctx.client,
      {
        statuses: args.status ? [...new Set(args.status)] : [],
        filters,
        keep: args.assignee === "unassigned" ? (chat) => chat.assignee == null : undefined,
        sort: SORT_FIELDS[args.sort] as ChatSortField,
        order: args.order,
        offset: args.offset,
        limit: args.limit,
      },
      { signal: ctx.signal },
    );
    const now = ctx.now();
    const chats = result.chats.map((c) => toChatSummary(c, now));
    const shown = chats.length > 0 ? `${args.offset + 1}–${args.offset + chats.length}` : "none";
    const header = `Chats ${shown} of ${result.total}${result.totalExact ? "" : "+"}${result.nextOffset != null ? ` (next page: offset ${result.nextOffset})` : ""}.`;
    const lines = chats.length > 0 ? [UNTRUSTED_NOTICE, ...chats.map((c) => chatLine(c, now))] : ["No chats match these filters."];
    return {
      text: [header, ...lines].join("\n"),
      structured: {
        total: result.total,
        ...(result.totalExact ? {} : { total_exact: false }),
        offset: args.offset,
        next_offset: result.nextOffset,
        chats,
      },
    };
  },
});
