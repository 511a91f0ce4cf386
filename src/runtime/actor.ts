/** Who asked (from a verified OAuth token), and the scopes that gate what they may do. No crypto here: stdio loads it. */
import type { AuthInfo } from "@modelcontextprotocol/server";

/** Scope a token needs for customer-visible messages (triage writes need none beyond the required ones). */
export const SEND_SCOPE = "helpcrunch:send";
/** Scope that lets a person write as another agent when HELPCRUNCH_AGENT_FROM_TOKEN is on. */
export const ADMIN_SCOPE = "helpcrunch:admin";

export interface Actor {
  subject: string;
  email?: string;
  /** The token's `email_verified` claim, when it carries one. */
  emailVerified?: boolean;
  scopes: string[];
}

/**
 * The email that stands for the person's own HelpCrunch agent (HELPCRUNCH_AGENT_FROM_TOKEN): never
 * one the identity provider calls unverified, since anyone can put an agent's address on an account
 * of their own. A token without the claim keeps its email: `email_verified` is OpenID Connect's (ID
 * tokens, userinfo) and many providers' access tokens carry a directory email without it, so
 * requiring it would switch the feature off for them; a provider whose users can set an unverified
 * email unannounced is a reason to leave the feature off.
 */
export function agentEmailOf(actor: Actor | undefined): string | undefined {
  return actor?.emailVerified === false ? undefined : actor?.email;
}

/** Writing as an agent other than one's own, or as any agent for a person who is none, is an admin's right. */
export function mayWriteAs(actor: Actor, agentId: number, ownAgentId: number | undefined): boolean {
  return agentId === ownAgentId || actor.scopes.includes(ADMIN_SCOPE);
}

/** The actor a verified request carried, for tool calls (undefined without OAuth). */
export function actorOf(authInfo: AuthInfo | undefined): Actor | undefined {
  const actor = (authInfo?.extra as { actor?: Actor } | undefined)?.actor;
  return actor && typeof actor.subject === "string" ? actor : undefined;
}
