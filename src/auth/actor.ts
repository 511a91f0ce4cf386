/** Who asked (from a verified OAuth token), and the scopes that gate what they may do. No crypto here: stdio loads it. */
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";

/** Scope a token needs for customer-visible messages (triage writes need none beyond the required ones). */
export const SEND_SCOPE = "helpcrunch:send";
/** Scope that lets a person write as another agent when HELPCRUNCH_AGENT_FROM_TOKEN is on. */
export const ADMIN_SCOPE = "helpcrunch:admin";

export interface Actor {
  subject: string;
  email?: string;
  scopes: string[];
}

/** The actor a verified request carried, for tool calls (undefined without OAuth). */
export function actorOf(authInfo: AuthInfo | undefined): Actor | undefined {
  const actor = (authInfo?.extra as { actor?: Actor } | undefined)?.actor;
  return actor && typeof actor.subject === "string" ? actor : undefined;
}
