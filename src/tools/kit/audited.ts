/** Runs one prepared write and records it in the audit trail when it reached (or may have reached) HelpCrunch. */
import { type Executed, isHelpCrunchError, type PreparedWrite } from "../../helpcrunch/index.js";
import type { ToolContext } from "../../runtime/context.js";
import type { Approval, ApprovalVia } from "../../services/audit.js";

export interface AuditedWrite<T> {
  tool: string;
  chatId?: number;
  customerId?: number;
  /** Sent as prepared: the audit line records what actually went out (a fallback may change it). */
  write: PreparedWrite<T>;
  before?: string;
  /** The state after, for the audit line, e.g. "Priya Patel" or "message 991". */
  after: (result: T) => string;
  /** Chat id learned from the result (create_chat). */
  chatIdOf?: (result: T) => number;
  /** How the write was approved, for writes that need approval (customer messages, large bulk changes). */
  approval?: Approval;
  via?: ApprovalVia;
}

export async function audited<T>(ctx: ToolContext, audit: AuditedWrite<T>): Promise<Executed<T>> {
  const base = {
    tool: audit.tool,
    chat_id: audit.chatId,
    ...(audit.customerId !== undefined ? { customer_id: audit.customerId } : {}),
    ...(audit.approval ? { approval: audit.approval } : {}),
    ...(audit.via ? { via: audit.via } : {}),
  };
  try {
    const executed = await ctx.client.execute(audit.write, ctx.upstream);
    const chatId = audit.chatIdOf?.(executed.result) ?? audit.chatId;
    const fallback = executed.fallback ? { fallback: executed.fallback } : {};
    ctx.audit.record({
      ...base,
      chat_id: chatId,
      request: executed.sent,
      ...fallback,
      outcome: "ok",
      before: audit.before,
      after: audit.after(executed.result),
    });
    return executed;
  } catch (error) {
    const outcome = auditOutcome(error);
    if (outcome)
      ctx.audit.record({ ...base, request: audit.write.request, outcome, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** "error" when HelpCrunch answered with a refusal, "unknown" when the request may have landed. */
export function auditOutcome(error: unknown): "error" | "unknown" | undefined {
  if (!isHelpCrunchError(error)) return undefined;
  // Every request here is a write: one that may have reached HelpCrunch has an unknown outcome, even
  // an idempotent PUT whose retries all lost their answers.
  if (error.outcomeUnknown || error.maybeSent || error.kind === "timeout" || error.kind === "parse") return "unknown";
  return error.kind === "http" ? "error" : undefined;
}

export function isOutcomeUnknown(error: unknown): boolean {
  return auditOutcome(error) === "unknown";
}
