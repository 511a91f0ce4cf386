/**
 * Rules for text that reaches a chat (shared by send_message and create_chat):
 * customer-visible text is opt-in, and every message names its agent, because HelpCrunch posts a
 * message without `agent` as if the customer wrote it.
 */
import type { Agent, CreateMessageInput, Message } from "../client/index.js";
import { audited } from "./audited.js";
import type { ToolContext } from "./context.js";
import type { Ref } from "./directory.js";
import { ToolError } from "./errors.js";

export function requireCustomerMessagesAllowed(ctx: ToolContext, what: string): void {
  if (ctx.config.allowCustomerMessages) return;
  throw new ToolError(
    `${what} would be seen by the customer, and this server only allows private notes (set HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES=true to enable customer messages). You can post a private note now with send_message and private: true.`,
  );
}

/** The agent a message is written as: the argument, else HELPCRUNCH_DEFAULT_AGENT, else a refusal. */
export async function resolveAuthor(ref: Ref | undefined, ctx: ToolContext): Promise<Agent> {
  const chosen = ref ?? ctx.config.defaultAgent;
  if (chosen === undefined) {
    throw new ToolError(
      "Say which agent writes this message: pass agent (id, email or name; see list_agents) or set HELPCRUNCH_DEFAULT_AGENT. Without it HelpCrunch would post the text as the customer.",
    );
  }
  return ctx.directory.resolveAgent(chosen, ctx.upstream);
}

/** POST /messages once (never retried), recorded in the audit trail. */
export async function postMessage(tool: string, input: CreateMessageInput, ctx: ToolContext): Promise<Message> {
  const executed = await audited(ctx, {
    tool,
    chatId: input.chat,
    write: ctx.client.prepare.createMessage(input),
    after: (m) => `message ${m.id}`,
  });
  return executed.result;
}
