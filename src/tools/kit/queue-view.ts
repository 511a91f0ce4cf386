/**
 * triage_queue's arguments as a view of the open queue (names resolved to ids). The answer itself
 * — mirror or scan, cursor, what changed since — is the live queue's (LiveQueue.answer).
 */
import type { QueueView } from "../../domain/queue-changes.js";
import type { ToolContext } from "../../runtime/context.js";

export async function queueView(
  args: { department?: number | string; assignee?: number | string; include_snoozed: boolean },
  ctx: ToolContext,
): Promise<QueueView> {
  const view: QueueView = { includeSnoozed: args.include_snoozed };
  if (args.department !== undefined) view.departmentId = (await ctx.directory.resolveDepartment(args.department, ctx.upstream)).id;
  if (args.assignee === "unassigned") view.unassigned = true;
  else if (args.assignee !== undefined) view.assigneeId = (await ctx.directory.resolveAgent(args.assignee, ctx.upstream)).id;
  return view;
}
