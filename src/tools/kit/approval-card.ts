/**
 * The MCP Apps approval card (ui://helpcrunch/reply): where a customer-visible message goes when the
 * client shows views but no form. The draft is stored under a one-time token (services/approval-drafts)
 * and nothing is sent; the card shows it, and its Send button calls send_approved_reply with the token
 * and the text in the field. The token and the exact draft travel in the result's `_meta`, which the
 * MCP Apps spec keeps out of the model's context ("not intended for model context"); what the model
 * reads is the sentence saying a person will decide.
 */
import { z } from "zod";
import type { CreateChatInput, Message } from "../../helpcrunch/index.js";
import { toSeconds, unixSeconds } from "../../present/chat-summary.js";
import { toMessageView } from "../../present/messages.js";
import { truncate, untrusted } from "../../present/text.js";
import type { ToolContext } from "../../runtime/context.js";
import { DRAFT_TTL_MS, type StoredDraft, TOKEN_PATTERN } from "../../services/approval-drafts.js";
import { ToolError } from "../../tool-error.js";
import type { CustomerDraft } from "./message-safety.js";

/** The `_meta` key of a drafted result: `{token, text}` for the card, never shown to the model. */
export const APPROVAL_META_KEY = "helpcrunch-mcp/approval";
/** The customer's messages shown for context. */
const CONTEXT_MESSAGES = 3;

export const cardDraftSchema = z
  .object({
    expires_at: unixSeconds,
    chat_id: z.number().optional().describe("Absent for create_chat: the chat is created on Send"),
    customer: z.object({ id: z.number(), name: z.string().optional(), email: z.string().optional() }).optional(),
    agent: z.object({ id: z.number(), name: z.string().optional(), email: z.string().optional() }),
    text: z.string(),
    context: z
      .array(z.object({ text: z.string(), created_at: unixSeconds.optional() }))
      .optional()
      .describe("The customer's last messages, oldest first"),
  })
  .describe("In an approval card: a person sends or discards it there; nothing was sent");
export type CardDraft = z.infer<typeof cardDraftSchema>;

/** The customer's last few messages, oldest first, for the card's context (one request; none if it fails). */
export async function customerContext(chatId: number, ctx: ToolContext): Promise<CardDraft["context"]> {
  const page = await ctx.client.listChatMessages(chatId, { limit: 10 }, ctx.upstream).catch(() => undefined);
  const theirs = (page?.data ?? []).map((m: Message) => toMessageView(m)).filter((m) => m.from === "customer");
  return theirs
    .slice(0, CONTEXT_MESSAGES)
    .reverse()
    .map((m) => ({ text: truncate(m.text, 500), ...(m.created_at ? { created_at: toSeconds(m.created_at) } : {}) }));
}

const optional = (key: string, value: string | null | undefined, max: number) => {
  const text = untrusted(value, max);
  return text ? { [key]: text } : {};
};

/** Stores the draft for the card and says so; nothing is sent. */
export async function draftToCard(
  ctx: ToolContext,
  draft: CustomerDraft & { newChat?: CreateChatInput; context?: CardDraft["context"] },
): Promise<{ text: string; draft: CardDraft; meta: Record<string, unknown> }> {
  const { token, expiresAt } = await ctx.drafts.mint({
    tool: draft.tool === "create_chat" ? "create_chat" : "send_message",
    ...(draft.chatId !== undefined ? { chatId: draft.chatId } : {}),
    ...(draft.newChat ? { newChat: draft.newChat } : {}),
    agentId: draft.agent.id,
    audience: "customer",
    text: draft.text,
    request: draft.request,
    ...(ctx.actor ? { actor: ctx.actor.subject } : {}),
  });
  const where = draft.chatId !== undefined ? `chat #${draft.chatId}` : "a new chat with this customer";
  const customer = draft.customer
    ? { id: draft.customer.id, ...optional("name", draft.customer.name, 80), ...optional("email", draft.customer.email, 120) }
    : undefined;
  return {
    text: `Nothing was sent yet: this ${draft.what} to ${where} is waiting in an approval card, where a person reads it, may edit it, and sends or discards it (within ${Math.round((expiresAt - ctx.now()) / 60_000)} minutes). Do not send it again; wait for them.`,
    draft: {
      expires_at: toSeconds(expiresAt) as number,
      ...(draft.chatId !== undefined ? { chat_id: draft.chatId } : {}),
      ...(customer ? { customer } : {}),
      agent: { id: draft.agent.id, ...optional("name", draft.agent.name, 80), ...optional("email", draft.agent.email, 120) },
      text: draft.text,
      ...(draft.context?.length ? { context: draft.context } : {}),
    },
    meta: { [APPROVAL_META_KEY]: { token, text: draft.text } },
  };
}

/** The token parameter of the card's tools: malformed tokens are refused before any lookup. */
/** What the card's two app-only tools share: writes the person makes from the card, hidden from the model. */
export const CARD_TOOL = {
  guide: { step: "act" as const },
  kind: "write" as const,
  destructive: false,
  ui: { visibility: ["app" as const] },
};

export const approvalToken = z.string().regex(TOKEN_PATTERN).describe("The card's approval token");

const GONE =
  "Nothing was sent: this draft was already sent or discarded, or its approval is not one this server issued. Ask the assistant to draft the message again.";

/**
 * The draft behind a card's token, checked but not taken: an unknown token, another person's draft or
 * an expired one sends nothing (an expired one is taken and audited as unconfirmed, once). The caller
 * takes it with claimDraft only when its Send or Discard goes ahead, so a refused attempt (another
 * signed-in person, the duplicate guard) leaves the card to its person.
 */
export async function checkDraft(token: string, ctx: ToolContext): Promise<StoredDraft> {
  const found = await ctx.drafts.peek(token);
  if (found.state === "unknown") throw new ToolError(GONE);
  const { draft } = found;
  if (draft.actor !== ctx.actor?.subject) throw new ToolError("Nothing was sent: this draft was made for another signed-in person.");
  if (found.state === "expired") {
    if ((await ctx.drafts.take(token)).state === "expired")
      ctx.audit.record({
        tool: draft.tool,
        chat_id: draft.chatId,
        request: draft.request,
        outcome: "unconfirmed",
        approval: "user",
        via: "app",
        error: "the approval card expired before anyone pressed Send",
      });
    throw new ToolError(
      `Nothing was sent: this draft expired (approval cards work for ${DRAFT_TTL_MS / 60_000} minutes). Ask the assistant to draft the message again.`,
    );
  }
  return draft;
}

/** Takes the checked draft, so it can never be used again; refuses when a parallel Send or Discard took it first. */
export async function claimDraft(token: string, ctx: ToolContext): Promise<void> {
  if ((await ctx.drafts.take(token)).state !== "ok") throw new ToolError(GONE);
}
