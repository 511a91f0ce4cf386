/** Runs one write and records it in the audit trail when it reached (or may have reached) HelpCrunch. */
import { type PlannedRequest, isHelpCrunchError } from "../client/index.js";
import type { ToolContext } from "./context.js";

export interface AuditedWrite<T> {
  tool: string;
  chatId?: number;
  request: PlannedRequest;
  before?: string;
  send: () => Promise<T>;
  /** The state after, for the audit line, e.g. "Priya Patel" or "message 991". */
  after: (result: T) => string;
  /** Chat id learned from the result (create_chat). */
  chatIdOf?: (result: T) => number;
}

export async function audited<T>(ctx: ToolContext, write: AuditedWrite<T>): Promise<T> {
  const base = { tool: write.tool, chat_id: write.chatId, request: write.request };
  try {
    const result = await write.send();
    const chatId = write.chatIdOf?.(result) ?? write.chatId;
    ctx.audit.record({ ...base, chat_id: chatId, outcome: "ok", before: write.before, after: write.after(result) });
    return result;
  } catch (error) {
    const outcome = auditOutcome(error);
    if (outcome) ctx.audit.record({ ...base, outcome, error: error instanceof Error ? error.message : String(error) });
    throw error;
  }
}

/** "error" when HelpCrunch answered with a refusal, "unknown" when the request may have landed. */
export function auditOutcome(error: unknown): "error" | "unknown" | undefined {
  if (!isHelpCrunchError(error)) return undefined;
  if (error.outcomeUnknown || error.kind === "timeout" || error.kind === "parse") return "unknown";
  return error.kind === "http" ? "error" : undefined;
}

export function isOutcomeUnknown(error: unknown): boolean {
  return auditOutcome(error) === "unknown";
}
