import { z } from "zod";
import { type Customer, isNotFound, type PreparedWrite } from "../helpcrunch/index.js";
import { fence, tagList, UNTRUSTED_NOTICE, untrusted } from "../present/text.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import { describeError } from "../runtime/error-results.js";
import type { Approval } from "../services/audit.js";
import { audited } from "./kit/audited.js";
import { type BulkOutcome, type BulkWrite, bulkWrite, CUSTOMERS } from "./kit/bulk-write.js";
import { dryRunText, plannedRequestSchema } from "./kit/dry-run.js";
import { formField } from "./kit/message-safety.js";
import { customerId, dryRun, MAX_BULK, tagName } from "./kit/params.js";

const resultSchema = z.object({
  customer_id: z.number(),
  ok: z.boolean(),
  tags: z.array(z.string()).optional().describe("The customer's tags afterwards (customer data: fenced in text)"),
  error: z.string().optional(),
  requests: z.array(plannedRequestSchema).optional().describe("dry_run: the exact requests"),
});
type TagResult = z.infer<typeof resultSchema>;

interface TagChange {
  add: string[];
  remove: string[];
}

/** Add, then remove: each a prepared write, shown by dry_run and sent as is. */
function writesFor(id: number, { add, remove }: TagChange, ctx: ToolContext): PreparedWrite<Customer>[] {
  return [
    ...(add.length ? [ctx.client.prepare.tagCustomer(id, "add", add)] : []),
    ...(remove.length ? [ctx.client.prepare.tagCustomer(id, "remove", remove)] : []),
  ];
}

/** The change in a person's words, for the bulk confirmation form: "Tags: add VIP; remove Trial" (each name on the form's one line). */
function intentOf({ add, remove }: TagChange): string {
  const names = (tags: string[]) => tags.map((t) => `«${formField(t, 50)}»`).join(", ");
  const parts = [...(add.length ? [`add ${names(add)}`] : []), ...(remove.length ? [`remove ${names(remove)}`] : [])];
  return `Tags: ${parts.join("; ")}`;
}

/**
 * Tagging each customer, for the bulk write kit: each customer's writes are prepared once (dry_run
 * shows them, a real call sends them) and run in order, each audited.
 */
function tagWrite(ids: number[], change: TagChange, ctx: ToolContext): BulkWrite<string[]> {
  const tool = "tag_customer";
  const prepared = new Map(ids.map((id) => [id, writesFor(id, change, ctx)]));
  const writesOf = (id: number) => prepared.get(id) ?? [];
  return {
    tool,
    target: CUSTOMERS,
    ids,
    intent: intentOf(change),
    requests: (id) => writesOf(id).map((w) => w.request),
    async apply(id: number, approval: Approval | undefined) {
      let after: Customer | undefined;
      for (const write of writesOf(id)) {
        const done = await audited(ctx, { tool, customerId: id, write, after: (c) => `tags: ${tagList(c.tags)}`, approval });
        after = done.result;
      }
      return (after?.tags ?? []).map((t) => untrusted(t, 40));
    },
    failure: (error, id) =>
      isNotFound(error, "customer")
        ? `Customer ${id} not found. Use search_customers to find the id.`
        : describeError(error, tool, ctx.log),
  };
}

function output(outcome: BulkOutcome<string[]>) {
  const results: TagResult[] = outcome.results.map((r) =>
    r.ok ? { customer_id: r.id, ok: true, tags: r.value } : { customer_id: r.id, ok: false, error: r.error },
  );
  const lines = outcome.declined
    ? []
    : outcome.results.map((r) =>
        r.ok
          ? `✓ customer ${r.id} tags: ${r.value.length ? fence("customer_data", tagList(r.value)) : "none"}`
          : `✗ customer ${r.id} ${r.error}`,
      );
  return {
    text: [outcome.headline, ...(lines.length ? [UNTRUSTED_NOTICE] : []), ...lines].join("\n"),
    structured: { dry_run: false, succeeded: outcome.succeeded, failed: outcome.failed, results },
    isError: outcome.succeeded === 0,
  };
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
    const change = { add: args.add ?? [], remove: args.remove ?? [] };
    const write = tagWrite(ids, change, ctx);
    if (args.dry_run) {
      const planned = ids.map((id) => ({ id, requests: write.requests(id) }));
      const results = planned.map(({ id, requests }) => ({ customer_id: id, ok: true, requests }));
      return { text: dryRunText(planned.flatMap((p) => p.requests)), structured: { dry_run: true, succeeded: 0, failed: 0, results } };
    }
    return output(await bulkWrite(write, ctx));
  },
});
