import { z } from "zod";
import { type Customer, describeRequest, isNotFound, type PreparedWrite } from "../helpcrunch/index.js";
import { runPool } from "../pool.js";
import { fence, tagList, UNTRUSTED_NOTICE, untrusted } from "../present/text.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import { describeError } from "../runtime/errors.js";
import { audited } from "./kit/audited.js";
import { plannedRequestSchema } from "./kit/chat-write.js";
import { customerId, dryRun, MAX_BULK, tagName } from "./kit/params.js";

/** Customers written at once in a bulk call; the client's own cap and rate limit still apply. */
const CONCURRENCY = 4;

const resultSchema = z.object({
  customer_id: z.number(),
  ok: z.boolean(),
  tags: z.array(z.string()).optional().describe("The customer's tags afterwards (customer data: fenced in text)"),
  error: z.string().optional(),
  requests: z.array(plannedRequestSchema).optional().describe("dry_run: the exact requests"),
});
type TagResult = z.infer<typeof resultSchema>;

/** Add, then remove: each a prepared write, shown by dry_run and sent as is. */
function writesFor(id: number, add: string[], remove: string[], ctx: ToolContext): PreparedWrite<Customer>[] {
  return [
    ...(add.length ? [ctx.client.prepare.tagCustomer(id, "add", add)] : []),
    ...(remove.length ? [ctx.client.prepare.tagCustomer(id, "remove", remove)] : []),
  ];
}

async function tagOne(id: number, writes: PreparedWrite<Customer>[], ctx: ToolContext): Promise<TagResult> {
  try {
    let after: Customer | undefined;
    for (const write of writes) {
      after = (await audited(ctx, { tool: "tag_customer", customerId: id, write, after: (c) => `tags: ${c.tags.join(", ")}` })).result;
    }
    const tags = (after?.tags ?? []).map((t) => untrusted(t, 40));
    return { customer_id: id, ok: true, tags };
  } catch (error) {
    const message = isNotFound(error, "customer")
      ? `Customer ${id} not found. Use search_customers to find the id.`
      : describeError(error, "tag_customer", ctx.log);
    return { customer_id: id, ok: false, error: message };
  }
}

export const tagCustomer = defineTool({
  name: "tag_customer",
  title: "Tag customers",
  description: `Add and/or remove tags on one customer or several; tags belong to customers, not chats, and an unknown tag is created. Reversible: remove what you added.
Use get_customer first to see a customer's tags. Each customer gets its own result.
Example: {"customer_id": 8738401, "add": ["VIP"], "remove": ["Trial"]}.`,
  guide: { step: "act" },
  kind: "write",
  destructive: false,
  idempotent: true,
  inputSchema: z
    .object({
      customer_id: customerId.optional(),
      customer_ids: z.array(customerId).min(1).max(MAX_BULK).optional().describe("Several customer ids instead of customer_id"),
      add: z.array(tagName).max(10).optional().describe("Tag names to add"),
      remove: z.array(tagName).max(10).optional().describe("Tag names to remove"),
      dry_run: dryRun,
    })
    .superRefine((args, issue) => {
      if ((args.customer_id === undefined) === (args.customer_ids === undefined))
        issue.addIssue({ code: "custom", message: "Pass exactly one of customer_id or customer_ids", path: ["customer_id"] });
      if (!args.add?.length && !args.remove?.length)
        issue.addIssue({ code: "custom", message: "Pass tags to add, to remove, or both", path: ["add"] });
    }),
  outputSchema: z.object({ dry_run: z.boolean(), succeeded: z.number(), failed: z.number(), results: z.array(resultSchema) }),
  async handler(args, ctx) {
    const ids = args.customer_ids ? [...new Set(args.customer_ids)] : [args.customer_id as number];
    const planned = ids.map((id) => ({ id, writes: writesFor(id, args.add ?? [], args.remove ?? [], ctx) }));
    if (args.dry_run) {
      const results = planned.map(({ id, writes }) => ({ customer_id: id, ok: true, requests: writes.map((w) => w.request) }));
      const lines = planned.flatMap(({ writes }) => writes.map((w) => describeRequest(w.request)));
      return {
        text: ["Dry run: nothing was sent. Would send, in order:", ...lines].join("\n"),
        structured: { dry_run: true, succeeded: 0, failed: 0, results },
      };
    }
    const results: TagResult[] = new Array(ids.length);
    let done = 0;
    await runPool(planned, CONCURRENCY, async ({ id, writes }, index) => {
      results[index] = await tagOne(id, writes, ctx);
      if (ids.length > 1) ctx.progress(++done, ids.length, `customer ${id} done`);
    });
    const succeeded = results.filter((r) => r.ok).length;
    const lines = results.map((r) =>
      r.ok
        ? `✓ customer ${r.customer_id} tags: ${r.tags?.length ? fence("customer_data", tagList(r.tags)) : "none"}`
        : `✗ customer ${r.customer_id} ${r.error}`,
    );
    return {
      text: [`tag_customer: ${succeeded} of ${ids.length} customers changed.`, UNTRUSTED_NOTICE, ...lines].join("\n"),
      structured: { dry_run: false, succeeded, failed: ids.length - succeeded, results },
      isError: succeeded === 0,
    };
  },
});
