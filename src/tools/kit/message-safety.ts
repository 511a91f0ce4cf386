/**
 * Rules for text that reaches a chat (shared by send_message and create_chat): customer-visible
 * text follows HELPCRUNCH_CUSTOMER_MESSAGES (off, confirm by a person, on), and every message names
 * its agent, because HelpCrunch posts a message without `agent` as if the customer wrote it.
 */

import type { Agent, CreateMessageInput, CustomerRef, Message, PlannedRequest } from "../../helpcrunch/index.js";
import { plainText, truncate } from "../../present/text.js";
import { ADMIN_SCOPE, agentEmailOf, mayWriteAs, SEND_SCOPE } from "../../runtime/actor.js";
import type { ToolContext } from "../../runtime/context.js";
import type { Approval, ApprovalVia } from "../../services/audit.js";
import type { Ref } from "../../services/directory.js";
import { ToolError } from "../../tool-error.js";
import { audited } from "./audited.js";
import { MESSAGE_MAX } from "./params.js";

/** Refuses at once when the policy is off: no lookup, no form. */
export function refuseIfCustomerMessagesOff(ctx: ToolContext, what: string): void {
  if (ctx.config.customerMessages !== "off") return;
  throw new ToolError(
    `${what} would be seen by the customer, and this server posts private notes only (HELPCRUNCH_CUSTOMER_MESSAGES=off). Post a private note with send_message and private: true.`,
  );
}

export interface CustomerDraft {
  tool: string;
  /** "reply" or "first message", for the form and the sentences. */
  what: string;
  chatId?: number;
  customer?: CustomerRef | null;
  agent: Agent;
  text: string;
  /** The request the text would go out in, for the audit line of a declined draft. */
  request: PlannedRequest;
}

export interface Approved {
  /** What to send: the draft, or the person's edit of it. */
  text: string;
  edited: boolean;
  approval: Approval;
  /** "app": approved in an MCP Apps card (form approvals leave it out). */
  via?: ApprovalVia;
}

/** No form can ask, but the client shows MCP Apps views: the draft goes to an approval card instead of being sent. */
export const TO_CARD = { card: true } as const;
export type ToCard = typeof TO_CARD;

/**
 * A field for the approval form: one line (every line break, control and invisible character
 * becomes a space), valid Unicode, capped. Names and emails come from HelpCrunch and were typed by
 * customers (or agents): on one line of their own they could forge the form's other lines.
 */
export function formField(text: string | null | undefined, max = 80): string {
  return truncate(plainText(text ?? ""), max);
}

/** The approval form's message: fixed lines first, then the customer-written ones, each flattened to one line. */
export function formMessage(draft: CustomerDraft): string {
  const customer = draft.customer
    ? `«${quoted(formField(draft.customer.name)) || `customer ${draft.customer.id}`}»${draft.customer.email ? ` <${quoted(formField(draft.customer.email))}>` : ""} (customer-written)`
    : "the customer";
  return [
    `Send this ${draft.what} to the customer?`,
    draft.chatId !== undefined ? `Chat #${draft.chatId}` : "A new chat",
    `Sent as: ${formField(draft.agent.name) || `agent ${draft.agent.id}`}${draft.agent.email ? ` <${formField(draft.agent.email)}>` : ""}`,
    `Customer: ${customer}`,
    "The whole text is in the field below; edit it before sending if needed, or decline.",
  ].join("\n");
}

/** Customer text cannot close the marks around it. */
const quoted = (text: string) => text.replace(/[«»<>]/g, (c) => ({ "«": "‹", "»": "›", "<": "‹", ">": "›" })[c] as string);

/** Signed in through the identity provider: sending to customers is its own permission. */
export function requireSendScope(ctx: ToolContext): void {
  if (ctx.actor && !ctx.actor.scopes.includes(SEND_SCOPE)) {
    throw new ToolError(
      `Nothing was sent: your sign-in does not carry the ${SEND_SCOPE} scope that customer-visible messages need. Post a private note (private: true), or ask your administrator for the scope.`,
    );
  }
}

/**
 * The text a customer may receive, approved as the policy says: `on` passes, `confirm` asks the
 * person (one form with the whole editable text; without forms, an MCP Apps approval card when the
 * client shows them: TO_CARD), `off` refuses. A refusal, a decline or a dismissed form throws one
 * sentence saying nothing was sent; declines are audited.
 */
export async function approveCustomerMessage(ctx: ToolContext, draft: CustomerDraft): Promise<Approved | ToCard> {
  const What = draft.what.charAt(0).toUpperCase() + draft.what.slice(1);
  refuseIfCustomerMessagesOff(ctx, `This ${draft.what}`);
  requireSendScope(ctx);
  if (ctx.config.customerMessages === "on") return { text: draft.text, edited: false, approval: "policy" };
  const answer = await ctx.confirm({
    message: formMessage(draft),
    draft: { title: `${What} to the customer`, text: draft.text, maxLength: MESSAGE_MAX },
    binding: {
      tool: draft.tool,
      subject: `chat ${draft.chatId ?? "new"}, agent ${draft.agent.id}, customer ${draft.customer?.id ?? "unknown"}`,
    },
  });
  if (answer.answer === "accept") {
    const text = answer.text ?? draft.text;
    return { text, edited: text !== draft.text, approval: "user" };
  }
  if (answer.answer === "unavailable") {
    if (ctx.showsApps) return TO_CARD;
    throw new ToolError(
      `Nothing was sent: customer-visible messages need a person's confirmation (HELPCRUNCH_CUSTOMER_MESSAGES=confirm) and this client cannot show a confirmation form. Post a private note (private: true), or the operator can set HELPCRUNCH_CUSTOMER_MESSAGES=on to send without confirmation.`,
    );
  }
  const failed = answer.answer === "failed";
  ctx.audit.record({
    tool: draft.tool,
    chat_id: draft.chatId,
    request: draft.request,
    outcome: failed ? "unconfirmed" : "declined",
    approval: "user",
    error: failed ? answer.reason : `the person chose ${answer.answer}`,
  });
  if (failed)
    throw new ToolError(
      `Nothing was sent: the confirmation form ended without a usable answer (${answer.reason}). Try again, or post a private note (private: true).`,
    );
  throw new ToolError(
    answer.answer === "decline"
      ? `The person declined this ${draft.what}; nothing was sent. Ask them what to change.`
      : `The person closed the confirmation form without answering; nothing was sent.`,
  );
}

/** With HELPCRUNCH_AGENT_FROM_TOKEN, the agent whose email the signed-in person's token carries, if any. */
async function agentOfToken(ctx: ToolContext): Promise<Agent | undefined> {
  const email = ctx.config.agentFromToken ? agentEmailOf(ctx.actor) : undefined;
  if (!email) return undefined;
  return ctx.directory.resolveAgent(email, ctx.upstream).catch(() => undefined);
}

/**
 * The agent a message is written as: the argument, else the signed-in person's agent
 * (HELPCRUNCH_AGENT_FROM_TOKEN), else HELPCRUNCH_DEFAULT_AGENT, else a refusal. With
 * HELPCRUNCH_AGENT_FROM_TOKEN, naming an agent other than one's own needs the admin scope, also for
 * a person who is no agent (or whose email is unverified).
 */
export async function resolveAuthor(ref: Ref | undefined, ctx: ToolContext): Promise<Agent> {
  const own = await agentOfToken(ctx);
  if (ref === undefined && own) return own;
  const chosen = ref ?? ctx.config.defaultAgent;
  if (chosen === undefined) {
    throw new ToolError(
      "Say which agent writes this message: pass agent (id, email or name; see list_agents) or set HELPCRUNCH_DEFAULT_AGENT. Without it HelpCrunch would post the text as the customer.",
    );
  }
  const agent = await ctx.directory.resolveAgent(chosen, ctx.upstream);
  if (ref !== undefined && ctx.config.agentFromToken && ctx.actor && !mayWriteAs(ctx.actor, agent.id, own?.id)) {
    const as = agent.name ?? `agent ${agent.id}`;
    throw new ToolError(
      own
        ? `You are signed in as ${own.name ?? own.email ?? `agent ${own.id}`}; writing as ${as} needs the ${ADMIN_SCOPE} scope. Leave agent out to write as yourself.`
        : `Your sign-in names no HelpCrunch agent (its email is not an agent's, or not verified), so writing as ${as} needs the ${ADMIN_SCOPE} scope; ask your administrator for it.`,
    );
  }
  return agent;
}

/** POST /messages once (never retried), recorded in the audit trail with how a customer message was approved. */
export async function postMessage(
  tool: string,
  input: CreateMessageInput,
  ctx: ToolContext,
  approved?: Pick<Approved, "approval" | "via">,
): Promise<Message> {
  const executed = await audited(ctx, {
    tool,
    chatId: input.chat,
    write: ctx.client.prepare.createMessage(input),
    after: (m) => `message ${m.id}`,
    approval: approved?.approval,
    via: approved?.via,
  });
  return executed.result;
}
