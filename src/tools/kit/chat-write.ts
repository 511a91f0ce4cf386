/**
 * The shared machinery of the reversible chat writes (snooze, unsnooze, assign, department, status):
 * `chat_id` or `chat_ids` (exactly one), `dry_run`, bounded concurrency, per-chat results, progress,
 * cancellation, the audit trail, and "what changed" reporting. A tool only says how to plan its change.
 */
import { z } from "zod";
import { type Chat, describeRequest, type PreparedWrite } from "../../helpcrunch/index.js";
import { runPool } from "../../pool.js";
import { chatLine, summarizeOne, toChatView } from "../../present/chat-summary.js";
import { namesSchema } from "../../present/names.js";
import type { ToolContext } from "../../runtime/context.js";
import { defineTool, type Tool } from "../../runtime/define-tool.js";
import { chatNotFound, describeError } from "../../runtime/errors.js";
import type { Approval } from "../../services/audit.js";
import { audited } from "./audited.js";
import { chatId, chatIds, dryRun } from "./params.js";

/** Writes in flight at once per bulk call; the client's own cap and rate limit still apply. */
export const BULK_CONCURRENCY = 4;

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

/** {method, path, body}; published loosely, the dry-run text shows it in full. */
export const plannedRequestSchema = z.record(z.string(), z.unknown());

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

export function defineChatWriteTool<S extends z.ZodRawShape>(spec: ChatWriteSpec<S>): Tool {
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
      const approval = await approveBulk(spec.name, plan, ids, ctx);
      if (typeof approval === "object") return declinedOutput(spec.name, plan, ids, ctx, approval);
      return bulkWrite(spec.name, plan, ids, ctx, approval);
    },
  });
}

function dryRunOutput(plan: ChatWritePlan, ids: number[]) {
  const requests = ids.map((id) => plan.prepare(id).request);
  const results: ChatResult[] = requests.map((request, i) => ({ chat_id: ids[i] as number, ok: true, request }));
  const text = [
    `Dry run: nothing was sent. ${ids.length === 1 ? "This request" : `These ${ids.length} requests`} would be sent:`,
    ...requests.map(describeRequest),
  ];
  return { text: text.join("\n"), structured: { dry_run: true, succeeded: 0, failed: 0, results } };
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

/**
 * A bulk change touching HELPCRUNCH_CONFIRM_BULK or more chats asks the person once, when the client
 * can show a form; without one it proceeds (triage writes are reversible). The form lists the chat
 * ids: a summary of each would cost one request per chat before anything is decided.
 */
async function approveBulk(
  tool: string,
  plan: ChatWritePlan,
  ids: number[],
  ctx: ToolContext,
): Promise<Approval | NotApproved | undefined> {
  const threshold = ctx.config.confirmBulk;
  if (threshold === 0 || ids.length < threshold) return undefined;
  const listed = ids.map((id) => `#${id}`).join(", ");
  const answer = await ctx.confirm({
    message: `${plan.intent}: ${ids.length} chats (${tool})?\n${listed}`,
    binding: { tool, subject: `${plan.intent}: ${ids.join(",")}` },
  });
  if (answer.answer === "unavailable") return undefined;
  if (answer.answer === "accept") return "user";
  return answer.answer === "failed" ? { reason: answer.reason } : { reason: undefined };
}

/** A bulk change the person declined (no reason) or whose form ended without a usable answer. */
interface NotApproved {
  reason: string | undefined;
}

function declinedOutput(tool: string, plan: ChatWritePlan, ids: number[], ctx: ToolContext, { reason }: NotApproved) {
  const outcome = reason ? "unconfirmed" : "declined";
  for (const id of ids)
    ctx.audit.record({
      tool,
      chat_id: id,
      request: plan.prepare(id).request,
      outcome,
      approval: "user",
      ...(reason ? { error: reason } : {}),
    });
  const why = reason ? `the confirmation form ended without a usable answer (${reason})` : "the person declined this change";
  const results: ChatResult[] = ids.map((id) => ({ chat_id: id, ok: false, error: `Not changed: ${why}.` }));
  return {
    text: `${tool}: nothing was changed on these ${ids.length} chats: ${why}.`,
    structured: { dry_run: false, succeeded: 0, failed: ids.length, results },
    isError: true,
  };
}

async function bulkWrite(tool: string, plan: ChatWritePlan, ids: number[], ctx: ToolContext, approval?: Approval) {
  const results: ChatResult[] = new Array(ids.length);
  let done = 0;
  const notStarted = await runPool(
    ids,
    BULK_CONCURRENCY,
    async (id, index) => {
      try {
        const { result: after, fallback } = await applyAudited(tool, plan, id, ctx, undefined, approval);
        results[index] = { chat_id: id, ok: true, change: `${plan.field} → ${plan.show(after)}`, ...(fallback ? { fallback } : {}) };
      } catch (error) {
        results[index] = { chat_id: id, ok: false, error: describeError(chatNotFound(error, id), tool, ctx.log) };
      }
      ctx.progress(++done, ids.length, `#${id} done`);
    },
    () => notStarting(ctx) !== undefined,
  );
  const why = notStarting(ctx);
  notStarted.forEach((id, i) => {
    results[ids.length - notStarted.length + i] = { chat_id: id, ok: false, error: why ?? "Not attempted." };
  });
  const succeeded = results.filter((r) => r.ok).length;
  const failed = results.length - succeeded;
  const lines = results.map((r) => (r.ok ? `✓ #${r.chat_id} ${r.change}` : `✗ #${r.chat_id} ${r.error}`));
  return {
    text: [`${tool}: ${succeeded} of ${ids.length} chats changed${failed ? `, ${failed} failed` : ""}.`, ...lines].join("\n"),
    structured: { dry_run: false, succeeded, failed, results },
    isError: succeeded === 0,
  };
}

/** Why a bulk write starts no further chat, or undefined to go on. */
function notStarting(ctx: ToolContext): string | undefined {
  if (Date.now() >= ctx.upstream.deadline) return "Not attempted: the call reached its time limit.";
  if (ctx.signal.aborted) return "Not attempted: the call was cancelled.";
  return undefined;
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
