/**
 * What a dry run shows, for every write tool alike: the requests a real call would send, exactly as
 * prepared (the real call sends these very objects), published in structuredContent and listed in
 * one sentence for the model.
 */
import { z } from "zod";
import { describeRequest, type PlannedRequest } from "../../helpcrunch/index.js";

/** {method, path, body}; published loosely, the dry-run text shows it in full. */
export const plannedRequestSchema = z.record(z.string(), z.unknown());

/** "Dry run: nothing was sent. These 2 requests would be sent, in order:" and one line per request; `what` names the write when the requests alone do not. */
export function dryRunText(requests: readonly PlannedRequest[], what?: string): string {
  const these = requests.length === 1 ? "This request" : `These ${requests.length} requests`;
  const order = requests.length === 1 ? "" : ", in order";
  return [`Dry run: nothing was sent. ${these}${what ? ` (${what})` : ""} would be sent${order}:`, ...requests.map(describeRequest)].join(
    "\n",
  );
}
