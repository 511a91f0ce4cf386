/**
 * The shared machinery of the reversible chat writes (snooze, unsnooze, assign, department, status):
 * `chat_id` or `chat_ids` (exactly one), `dry_run`, the audit trail, and "what changed" reporting; a
 * list of chats goes through the bulk write kit (confirmation, concurrency, progress, cancellation).
 * A tool only says how to plan its change.
 */
import { z } from "zod";
import type { Chat, PreparedWrite } from "../../helpcrunch/index.js";
import { chatLine, summarizeOne, toChatView } from "../../present/chat-summary.js";
import { namesSchema } from "../../present/names.js";
import type { ToolContext } from "../../runtime/context.js";
import { defineTool } from "../../runtime/define-tool.js";
import { chatNotFound, describeError } from "../../runtime/error-results.js";
import type { Approval } from "../../services/audit.js";
import { audited } from "./audited.js";
import { type BulkOutcome, type BulkWrite, bulkWrite, CHATS } from "./bulk-write.js";
import { dryRunText, plannedRequestSchema } from "./dry-run.js";
import { chatId, chatIds, dryRun } from "./params.js";

export interface ChatWritePlan {
  /** The chat field this write changes, e.g. "assignee". */
  field: string;
  /** The change in a person's words, for a confirmation form: "Snooze until …", "Assign to Priya Patel". */
  intent: string;
  /** The write for one chat, prepared by the client: dry_run shows it, the real call sends it. */
  prepare(chatId: number): PreparedWrite<Chat>;
  /** The field's value as a person reads it, e.g. "Priya Patel" or "unassigned". */
  show(chat: Chat): string;
}

export const chatWriteOutputSchema = z.object({
  dry_run: z.boolean(),
  succeeded: z.number(),
  failed: z.number(),
  names: namesSchema.optional(),
  results: z.array(
    z.object({
      chat_id: z.number(),
      ok: z.boolean(),
      change: z.string().optional(),
      fallback: z.string().optional(),
      error: z.string().optional(),
      request: plannedRequestSchema.optional(),
      // Loose on purpose: the full summary schema is published once, by search_chats.
      chat: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});
type ChatWriteOutput = z.infer<typeof chatWriteOutputSchema>;
type ChatResult = ChatWriteOutput["results"][number];

const targetShape = {
  chat_id: chatId.optional(),
  chat_ids: chatIds.optional(),
};

interface ChatWriteSpec<S extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  destructive: boolean;
  idempotent: boolean;
  /** The instructions' phrase; the tool's name when absent. */
  phrase?: string;
  shape: S;
  plan(args: z.output<z.ZodObject<S>>, ctx: ToolContext): Promise<ChatWritePlan>;
}

export function defineChatWriteTool<S extends z.ZodRawShape>(spec: ChatWriteSpec<S>) {
  const inputSchema = z.object({ ...targetShape, ...spec.shape, dry_run: dryRun }).superRefine((args, ctx) => {
    const target = args as { chat_id?: number; chat_ids?: number[] };
    if ((target.chat_id === undefined) === (target.chat_ids === undefined)) {
      ctx.addIssue({ code: "custom", message: "Pass exactly one of chat_id or chat_ids", path: ["chat_id"] });
    }
  });
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    guide: { step: "act", ...(spec.phrase ? { phrase: spec.phrase } : {}) },
    kind: "write",
    destructive: spec.destructive,
    idempotent: spec.idempotent,
    inputSchema,
    outputSchema: chatWriteOutputSchema,
    async handler(input, ctx) {
      const plan = await spec.plan(input as unknown as z.output<z.ZodObject<S>>, ctx);
      const args = input as unknown as { chat_id?: number; chat_ids?: number[]; dry_run: boolean };
      const ids = args.chat_ids ? [...new Set(args.chat_ids)] : [args.chat_id as number];
      if (args.dry_run) return dryRunOutput(plan, ids);
      if (!args.chat_ids) return singleWrite(spec.name, plan, ids[0] as number, ctx);
      return bulkOutput(await bulkWrite(chatsWrite(spec.name, plan, ids, ctx), ctx));
    },
  });
}

function dryRunOutput(plan: ChatWritePlan, ids: number[]) {
  const requests = ids.map((id) => plan.prepare(id).request);
  const results: ChatResult[] = requests.map((request, i) => ({ chat_id: ids[i] as number, ok: true, request }));
  return { text: dryRunText(requests), structured: { dry_run: true, succeeded: 0, failed: 0, results } };
}

async function singleWrite(tool: string, plan: ChatWritePlan, id: number, ctx: ToolContext) {
  // One read first so the result can say what changed ("unassigned → Priya Patel") and a wrong id
  // fails before any write. Bulk calls skip it to stay within the rate limit.
  const before = await ctx.client.getChat(id, ctx.upstream).catch((e: unknown) => {
    throw chatNotFound(e, id);
  });
  const { result: after, fallback } = await applyAudited(tool, plan, id, ctx, before).catch((e: unknown) => {
    throw chatNotFound(e, id);
  });
  const change = `${plan.field}: ${plan.show(before)} → ${plan.show(after)}`;
  const view = toChatView(after, ctx.now(), ctx.sla);
  const { chat, names } = summarizeOne(view);
  return {
    text: `#${id} ${change}${fallback ? ` (${fallback})` : ""}\n${chatLine(view, ctx.now())}`,
    structured: {
      dry_run: false,
      succeeded: 1,
      failed: 0,
      results: [{ chat_id: id, ok: true, change, ...(fallback ? { fallback } : {}), chat }],
      names,
    },
  };
}

type ChatChange = Pick<ChatResult, "change" | "fallback">;

/** One chat's change, for the bulk write kit. Bulk calls skip the read before each write to stay within the rate limit. */
function chatsWrite(tool: string, plan: ChatWritePlan, ids: number[], ctx: ToolContext): BulkWrite<ChatChange> {
  return {
    tool,
    target: CHATS,
    ids,
    intent: plan.intent,
    requests: (id) => [plan.prepare(id).request],
    async apply(id, approval) {
      const { result: after, fallback } = await applyAudited(tool, plan, id, ctx, undefined, approval);
      return { change: `${plan.field} → ${plan.show(after)}`, ...(fallback ? { fallback } : {}) };
    },
    failure: (error, id) => describeError(chatNotFound(error, id), tool, ctx.log),
  };
}

function bulkOutput(outcome: BulkOutcome<ChatChange>) {
  const results: ChatResult[] = outcome.results.map((r) =>
    r.ok ? { chat_id: r.id, ok: true, ...r.value } : { chat_id: r.id, ok: false, error: r.error },
  );
  const lines = outcome.declined ? [] : outcome.results.map((r) => (r.ok ? `✓ #${r.id} ${r.value.change}` : `✗ #${r.id} ${r.error}`));
  return {
    text: [outcome.headline, ...lines].join("\n"),
    structured: { dry_run: false, succeeded: outcome.succeeded, failed: outcome.failed, results },
    isError: outcome.succeeded === 0,
  };
}

function applyAudited(tool: string, plan: ChatWritePlan, id: number, ctx: ToolContext, before?: Chat, approval?: Approval) {
  return audited(ctx, {
    tool,
    chatId: id,
    write: plan.prepare(id),
    before: before ? plan.show(before) : undefined,
    after: plan.show,
    approval,
  });
}
