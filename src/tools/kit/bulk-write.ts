/**
 * The one way a tool writes to a list of targets, chats and customers alike: one confirmation for
 * the whole list at HELPCRUNCH_CONFIRM_BULK, at most BULK_CONCURRENCY writes in flight, one result per
 * target, progress, and a stop on cancellation or at the call's deadline (targets never started are
 * reported as such). A tool says what one target's write is and how to show the outcome.
 */
import type { PlannedRequest } from "../../helpcrunch/index.js";
import { runPool } from "../../pool.js";
import type { ToolContext } from "../../runtime/context.js";
import type { Approval } from "../../services/audit.js";

/** Writes in flight at once per bulk call; the client's own cap and rate limit still apply. */
export const BULK_CONCURRENCY = 4;

/** What a bulk write works on, as its text, its form and its audit lines name it. */
export interface BulkTarget {
  plural: string;
  /** One target in text and forms: "#5215752", "customer 8738401". */
  label(id: number): string;
  /** One target's key in an audit line. */
  auditKey(id: number): { chat_id: number } | { customer_id: number };
}

export const CHATS: BulkTarget = { plural: "chats", label: (id) => `#${id}`, auditKey: (id) => ({ chat_id: id }) };
export const CUSTOMERS: BulkTarget = {
  plural: "customers",
  label: (id) => `customer ${id}`,
  auditKey: (id) => ({ customer_id: id }),
};

export interface BulkWrite<R> {
  tool: string;
  target: BulkTarget;
  /** Distinct ids, in the caller's order. */
  ids: number[];
  /** The change in a person's words, for the form: "Set status to pending", "Tags: add VIP". */
  intent: string;
  /** One target's requests as prepared: what a declined change would have sent, for the audit trail. */
  requests(id: number): PlannedRequest[];
  /** Writes one target, audited with the person's approval when they gave one. */
  apply(id: number, approval: Approval | undefined): Promise<R>;
  /** Why one target's write failed, in one sentence the model can act on. */
  failure(error: unknown, id: number): string;
}

export type BulkResult<R> = { id: number; ok: true; value: R } | { id: number; ok: false; error: string };

export interface BulkOutcome<R> {
  results: BulkResult<R>[];
  succeeded: number;
  failed: number;
  /** The answer's first line: how many targets changed, or why none was. */
  headline: string;
  /** Nothing was attempted: the person declined, or the form ended without a usable answer. */
  declined: boolean;
}

/** Asks once when the list is long enough, then writes each target, or none. */
export async function bulkWrite<R>(write: BulkWrite<R>, ctx: ToolContext): Promise<BulkOutcome<R>> {
  const approval = await approve(write, ctx);
  if (typeof approval === "object") return declined(write, ctx, approval);
  return writeEach(write, ctx, approval);
}

/** A bulk change the person declined (no reason) or whose form ended without a usable answer. */
interface NotApproved {
  reason: string | undefined;
}

/**
 * A list of HELPCRUNCH_CONFIRM_BULK targets or more asks the person once, when the client can show
 * a form; without one it proceeds (these writes are reversible). The form lists the ids: a summary
 * of each would cost one request per target before anything is decided.
 */
async function approve<R>({ tool, target, ids, intent }: BulkWrite<R>, ctx: ToolContext): Promise<Approval | NotApproved | undefined> {
  const threshold = ctx.config.confirmBulk;
  if (threshold === 0 || ids.length < threshold) return undefined;
  const answer = await ctx.confirm({
    message: `${intent}: ${ids.length} ${target.plural} (${tool})?\n${ids.map(target.label).join(", ")}`,
    binding: { tool, subject: `${intent}: ${ids.join(",")}` },
  });
  if (answer.answer === "unavailable") return undefined;
  if (answer.answer === "accept") return "user";
  return answer.answer === "failed" ? { reason: answer.reason } : { reason: undefined };
}

function declined<R>(write: BulkWrite<R>, ctx: ToolContext, { reason }: NotApproved): BulkOutcome<R> {
  const outcome = reason ? "unconfirmed" : "declined";
  for (const id of write.ids)
    for (const request of write.requests(id))
      ctx.audit.record({
        tool: write.tool,
        ...write.target.auditKey(id),
        request,
        outcome,
        approval: "user",
        ...(reason ? { error: reason } : {}),
      });
  const why = reason ? `the confirmation form ended without a usable answer (${reason})` : "the person declined this change";
  const n = write.ids.length;
  return {
    results: write.ids.map((id) => ({ id, ok: false, error: `Not changed: ${why}.` })),
    succeeded: 0,
    failed: n,
    headline: `${write.tool}: nothing was changed on these ${n} ${write.target.plural}: ${why}.`,
    declined: true,
  };
}

async function writeEach<R>(write: BulkWrite<R>, ctx: ToolContext, approval: Approval | undefined): Promise<BulkOutcome<R>> {
  const { ids, target } = write;
  const results: BulkResult<R>[] = new Array(ids.length);
  let done = 0;
  const notStarted = await runPool(
    ids,
    BULK_CONCURRENCY,
    async (id, index) => {
      try {
        results[index] = { id, ok: true, value: await write.apply(id, approval) };
      } catch (error) {
        results[index] = { id, ok: false, error: write.failure(error, id) };
      }
      ctx.progress(++done, ids.length, `${target.label(id)} done`);
    },
    () => notStarting(ctx) !== undefined,
  );
  // The pool starts targets in order, so those never started are the tail.
  const why = notStarting(ctx) ?? "Not attempted.";
  notStarted.forEach((id, i) => {
    results[ids.length - notStarted.length + i] = { id, ok: false, error: why };
  });
  const succeeded = results.filter((r) => r.ok).length;
  const failed = results.length - succeeded;
  return {
    results,
    succeeded,
    failed,
    headline: `${write.tool}: ${succeeded} of ${ids.length} ${target.plural} changed${failed ? `, ${failed} failed` : ""}.`,
    declined: false,
  };
}

/** Why a bulk write starts no further target, or undefined to go on. */
function notStarting(ctx: ToolContext): string | undefined {
  if (Date.now() >= ctx.upstream.deadline) return "Not attempted: the call reached its time limit.";
  if (ctx.signal.aborted) return "Not attempted: the call was cancelled.";
  return undefined;
}
