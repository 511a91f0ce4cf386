/**
 * Rules for text that reaches a chat (shared by send_message and create_chat): customer-visible
 * text follows HELPCRUNCH_CUSTOMER_MESSAGES (off, confirm by a person, on), and every message names
 * its agent, because HelpCrunch posts a message without `agent` as if the customer wrote it.
 */
import { ADMIN_SCOPE, SEND_SCOPE } from "../auth/actor.js";
import type { Agent, CreateMessageInput, CustomerRef, Message, PlannedRequest } from "../client/index.js";
import { wellFormed } from "../format/unicode.js";
import type { Approval } from "./audit.js";
import { audited } from "./audited.js";
import type { ToolContext } from "./context.js";
import type { Ref } from "./directory.js";
import { ToolError } from "./errors.js";

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
}

const show = (text: string | null | undefined, max = 80) => wellFormed(text ?? "").slice(0, max);

function formMessage(draft: CustomerDraft): string {
  const customer = draft.customer
    ? `${show(draft.customer.name) || `customer ${draft.customer.id}`}${draft.customer.email ? ` <${show(draft.customer.email)}>` : ""}`
    : "the customer";
  return [
    `Send this ${draft.what} to ${customer}?`,
    draft.chatId !== undefined ? `Chat #${draft.chatId}` : "A new chat",
    `Sent as: ${show(draft.agent.name) || `agent ${draft.agent.id}`}${draft.agent.email ? ` <${show(draft.agent.email)}>` : ""}`,
    "The whole text is in the field below; edit it before sending if needed, or decline.",
  ].join("\n");
}

/**
 * The text a customer may receive, approved as the policy says: `on` passes, `confirm` asks the
 * person (one form with the whole editable text), `off` refuses. A refusal, a decline or a dismissed
 * form throws one sentence saying nothing was sent; declines are audited.
 */
export async function approveCustomerMessage(ctx: ToolContext, draft: CustomerDraft): Promise<Approved> {
  const What = draft.what.charAt(0).toUpperCase() + draft.what.slice(1);
  refuseIfCustomerMessagesOff(ctx, `This ${draft.what}`);
  // Signed in through the identity provider: sending to customers is its own permission.
  if (ctx.actor && !ctx.actor.scopes.includes(SEND_SCOPE)) {
    throw new ToolError(
      `Nothing was sent: your sign-in does not carry the ${SEND_SCOPE} scope that customer-visible messages need. Post a private note (private: true), or ask your administrator for the scope.`,
    );
  }
  if (ctx.config.customerMessages === "on") return { text: draft.text, edited: false, approval: "policy" };
  const answer = await ctx.confirm({ message: formMessage(draft), draft: { title: `${What} to the customer`, text: draft.text } });
  if (answer.answer === "accept") {
    const text = answer.text ?? draft.text;
    return { text, edited: text !== draft.text, approval: "user" };
  }
  if (answer.answer === "unavailable") {
    throw new ToolError(
      `Nothing was sent: customer-visible messages need a person's confirmation (HELPCRUNCH_CUSTOMER_MESSAGES=confirm) and this client cannot show a confirmation form. Post a private note (private: true), or the operator can set HELPCRUNCH_CUSTOMER_MESSAGES=on to send without confirmation.`,
    );
  }
  ctx.audit.record({
    tool: draft.tool,
    chat_id: draft.chatId,
    request: draft.request,
    outcome: "declined",
    approval: "user",
    error: `the person chose ${answer.answer}`,
  });
  throw new ToolError(
    answer.answer === "decline"
      ? `The person declined this ${draft.what}; nothing was sent. Ask them what to change.`
      : `The person closed the confirmation form without answering; nothing was sent.`,
  );
}

/** With HELPCRUNCH_AGENT_FROM_TOKEN, the agent whose email the signed-in person's token carries, if any. */
async function agentOfToken(ctx: ToolContext): Promise<Agent | undefined> {
  const email = ctx.config.agentFromToken ? ctx.actor?.email : undefined;
  if (!email) return undefined;
  return ctx.directory.resolveAgent(email, ctx.upstream).catch(() => undefined);
}

/**
 * The agent a message is written as: the argument, else the signed-in person's agent
 * (HELPCRUNCH_AGENT_FROM_TOKEN), else HELPCRUNCH_DEFAULT_AGENT, else a refusal. Naming another
 * agent than one's own needs the admin scope.
 */
export async function resolveAuthor(ref: Ref | undefined, ctx: ToolContext): Promise<Agent> {
  const own = await agentOfToken(ctx);
  if (ref !== undefined && own) {
    const named = await ctx.directory.resolveAgent(ref, ctx.upstream);
    if (named.id !== own.id && !ctx.actor?.scopes.includes(ADMIN_SCOPE)) {
      throw new ToolError(
        `You are signed in as ${own.name ?? own.email ?? `agent ${own.id}`}; writing as ${named.name ?? `agent ${named.id}`} needs the ${ADMIN_SCOPE} scope. Leave agent out to write as yourself.`,
      );
    }
    return named;
  }
  if (ref === undefined && own) return own;
  const chosen = ref ?? ctx.config.defaultAgent;
  if (chosen === undefined) {
    throw new ToolError(
      "Say which agent writes this message: pass agent (id, email or name; see list_agents) or set HELPCRUNCH_DEFAULT_AGENT. Without it HelpCrunch would post the text as the customer.",
    );
  }
  return ctx.directory.resolveAgent(chosen, ctx.upstream);
}

/** POST /messages once (never retried), recorded in the audit trail with how a customer message was approved. */
export async function postMessage(tool: string, input: CreateMessageInput, ctx: ToolContext, approval?: Approval): Promise<Message> {
  const executed = await audited(ctx, {
    tool,
    chatId: input.chat,
    write: ctx.client.prepare.createMessage(input),
    after: (m) => `message ${m.id}`,
    approval,
  });
  return executed.result;
}
