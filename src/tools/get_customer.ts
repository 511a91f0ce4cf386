import { z } from "zod";
import { humanDuration } from "../domain/time.js";
import { prune, toSeconds } from "../present/chat-summary.js";
import { customerLines, customerProfile, customerProfileSchema } from "../present/customer.js";
import { NameBook, namesSchema } from "../present/names.js";
import { UNTRUSTED_NOTICE } from "../present/text.js";
import { defineTool } from "../runtime/define-tool.js";
import { customerLookup } from "./kit/params.js";

/** Recent chats shown with a profile: enough to see a pattern, one request. */
const RECENT_CHATS = 10;

const recentChatSchema = z.object({
  id: z.number(),
  status: z.string(),
  last_message_at: z.number().optional().describe("UNIX seconds"),
  assignee: z.number().optional().describe("Agent id, named in names.agents; absent = unassigned"),
});

export const getCustomer = defineTool({
  name: "get_customer",
  title: "Read a customer",
  description: `Who is this customer: profile (name, email, phone, company, tags, custom data, first and last seen) and their ${RECENT_CHATS} latest chats (status, last message, assignee), in two HelpCrunch requests.
Use it before answering or prioritising a chat; search_customers finds customers by part of a name; tag_customer changes tags.
Example: {"customer": "mike@example.com"}.`,
  guide: { step: "read", phrase: "get_customer shows who a customer is and their other chats" },
  kind: "read",
  inputSchema: z.object({
    customer: customerLookup,
  }),
  outputSchema: z.object({
    customer: customerProfileSchema,
    chats: z.array(recentChatSchema).describe("Newest first"),
    chats_total: z.number(),
    names: namesSchema.optional(),
  }),
  async handler(args, ctx) {
    const customer = await ctx.directory.resolveCustomer(args.customer, ctx.upstream);
    const recent = await ctx.client.queryChats(
      { customerId: customer.id, sort: "lastMessage", order: "desc", limit: RECENT_CHATS },
      ctx.upstream,
    );
    const now = ctx.now();
    const book = new NameBook();
    const profile = customerProfile(customer);
    const chats = recent.chats.map((c) =>
      prune({
        id: c.id,
        status: c.status,
        last_message_at: toSeconds(c.lastMessageAt ?? undefined),
        assignee: book.agent(c.assignee),
      }),
    );
    const chatLines = recent.chats.map(
      (c) =>
        `#${c.id} ${c.status}${c.lastMessageAt !== null ? ` · last message ${humanDuration(now - c.lastMessageAt)} ago` : ""} · ${c.assignee ? (c.assignee.name ?? `agent ${c.assignee.id}`) : "unassigned"}`,
    );
    const heading = recent.total === 0 ? "No chats." : `Latest ${chats.length} of ${recent.total} chats:`;
    return {
      text: [UNTRUSTED_NOTICE, ...customerLines(profile, now), heading, ...chatLines].join("\n"),
      structured: { customer: profile, chats, chats_total: recent.total, names: book.names() },
    };
  },
});
