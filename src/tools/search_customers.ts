import { z } from "zod";
import { prune } from "../present/chat-summary.js";
import { fence, UNTRUSTED_NOTICE, untrusted } from "../present/text.js";
import { defineTool } from "../runtime/define-tool.js";
import { limit } from "./kit/params.js";

const customerSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  email: z.string().optional(),
  user_id: z.string().optional(),
});

export const searchCustomers = defineTool({
  name: "search_customers",
  title: "Search customers",
  description: `Find customers by email, name, your product's userId or HelpCrunch id, most recently seen first.
Use it to pick a customer for create_chat; search_chats with customer finds their chats.
Returns {total, customers: [{id, name, email, user_id}]}. Example: {"query": "mike@example.com"}.`,
  guide: { step: "find", phrase: "search_customers finds a customer" },
  kind: "read",
  inputSchema: z.object({
    query: z.string().trim().min(1).max(200).describe("Email, part of a name or email, a userId, or a customer id"),
    limit: limit(100, 10),
  }),
  outputSchema: z.object({ total: z.number(), customers: z.array(customerSchema) }),
  async handler(args, ctx) {
    const page = await ctx.client.findCustomers(args.query, args.limit, ctx.upstream);
    const customers = page.data.map((c) =>
      prune({
        id: c.id,
        name: untrusted(c.name, 60) || undefined,
        email: untrusted(c.email, 80) || undefined,
        user_id: untrusted(c.userId, 60) || undefined,
      }),
    );
    const lines = customers.map(
      (c) =>
        `${c.id} ${c.name ? fence("customer_name", c.name) : "(no name)"}${c.email ? ` ${c.email}` : ""}${c.user_id ? ` · userId ${c.user_id}` : ""}`,
    );
    const header =
      customers.length > 0
        ? `${page.total} customers match; showing ${customers.length}.`
        : `No customer matches "${untrusted(args.query, 60)}".`;
    return {
      text: [header, ...(customers.length ? [UNTRUSTED_NOTICE] : []), ...lines].join("\n"),
      structured: { total: page.total, customers },
    };
  },
});
