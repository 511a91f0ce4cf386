/** The true top of a sandbox's open queue: every open chat read and ranked, what a scan must match. */
import type { SlaPolicy } from "../../src/domain/sla.js";
import { type RankedChat, rankQueue } from "../../src/domain/triage.js";
import { chatSchema } from "../../src/helpcrunch/schemas.js";
import { OPEN_STATUSES, type SandboxState } from "../../src/sandbox/index.js";
import { chatJson } from "../../src/sandbox/serialize.js";

export function trueTop(state: SandboxState, now: number, limit: number, sla?: SlaPolicy): RankedChat[] {
  const open = [...state.chats.values()].filter((c) => (OPEN_STATUSES as readonly string[]).includes(c.status));
  return rankQueue(
    open.map((c) => chatSchema.parse(chatJson(state, c))),
    now,
    false,
    sla,
  ).slice(0, limit);
}
