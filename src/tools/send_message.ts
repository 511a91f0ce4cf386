import { z } from "zod";
import { replyKey } from "../domain/same-reply.js";
import { humanDuration } from "../domain/time.js";
import { type Agent, type CreateMessageInput, isNotFound } from "../helpcrunch/index.js";
import { messageSummarySchema, summarizeMessage, toMessageView } from "../present/messages.js";
import { NameBook } from "../present/names.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import { chatNotFound } from "../runtime/error-results.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import { ToolError } from "../tool-error.js";
import { cardDraftSchema, customerContext, draftToCard } from "./kit/approval-card.js";
import { isOutcomeUnknown } from "./kit/audited.js";
import { dryRunText, plannedRequestSchema } from "./kit/dry-run.js";
import {
  type Approved,
  approveCustomerMessage,
  type CustomerDraft,
  postMessage,
  refuseIfCustomerMessagesOff,
  resolveAuthor,
  type ToCard,
} from "./kit/message-safety.js";
import { agentRef, chatId, dryRun, MESSAGE_MAX } from "./kit/params.js";

export const sendMessage = defineTool({
  name: "send_message",
  title: "Send a message or private note",
  description: `Post a message to a chat as an agent: a private note only agents see (private: true) or a reply the customer sees.
Read the chat with get_chat first. Customer replies follow the server's policy (below); notes always work. The same text to the same chat is refused for 10 minutes unless allow_duplicate. Never retried: if the outcome is unknown, check list_chat_messages before sending again.
Example: {"chat_id": 5215752, "text": "Refund issued", "private": true, "agent": "Priya Patel"}.`,
  guide: { step: "act", phrase: "send_message (private notes always; customer replies only if the server allows them)" },
  kind: "write",
  destructive: false,
  idempotent: false,
  inputSchema: z.object({
    chat_id: chatId,
    text: z.string().trim().min(1).max(MESSAGE_MAX).describe("Plain text or simple markdown"),
    private: z.boolean().default(false).describe("true = note only agents see; false = reply the customer sees"),
    agent: agentRef.optional().describe("Agent who writes it (default: the server's default agent)"),
    allow_duplicate: z.boolean().default(false).describe("Send even if the same text went to this chat in the last 10 minutes"),
    dry_run: dryRun,
  }),
  outputSchema: z.object({
    dry_run: z.boolean(),
    chat_id: z.number(),
    private: z.boolean(),
    agent: z.object({ id: z.number(), name: z.string().optional() }),
    request: plannedRequestSchema.optional(),
    message: messageSummarySchema.optional(),
    edited: z.boolean().optional().describe("The person changed the text before approving it"),
    draft: cardDraftSchema.optional(),
  }),
  ui: { resourceUri: VIEW_URIS.reply },
  async handler(args, ctx) {
    if (!args.private) refuseIfCustomerMessagesOff(ctx, "This reply");
    const author = await resolveAuthor(args.agent, ctx);
    const draft: CreateMessageInput = { chat: args.chat_id, text: args.text, agent: author.id, type: args.private ? "private" : "message" };
    const audience = args.private ? "private" : "customer";
    const duplicate = (previous: number) =>
      new ToolError(
        `The same text was sent to chat ${args.chat_id} ${humanDuration(ctx.now() - previous)} ago; not sending it twice. Check list_chat_messages, or pass allow_duplicate: true if a repeat is intended.`,
      );
    // Before any form: a blocked duplicate never reaches the person.
    const previous = await ctx.replyGuard.previous(args.chat_id, audience, args.text);
    if (previous !== undefined && !args.allow_duplicate) throw duplicate(previous);
    const agent = { id: author.id, ...(author.name ? { name: author.name } : {}) };
    const kind = args.private ? "Private note" : "Reply";
    if (args.dry_run) {
      const { request } = ctx.client.prepare.createMessage(draft);
      return {
        text: dryRunText([request], `${kind.toLowerCase()} as ${author.name ?? author.id}`),
        structured: { dry_run: true, chat_id: args.chat_id, private: args.private, agent, request },
      };
    }
    // Reserved before any form, in the same atomic step as the check: a parallel twin is refused at
    // once instead of reaching the person too.
    const reserved = await ctx.replyGuard.reserve(args.chat_id, audience, draft.text, args.allow_duplicate);
    if (!reserved.ok) throw duplicate(reserved.previous);
    let release = reserved.release;
    let approved: Awaited<ReturnType<typeof approve>> | undefined;
    try {
      approved = args.private ? undefined : await approve(draft, author, ctx);
      if (approved && "card" in approved) {
        // Nothing is sent now: the card's Send reserves the text it posts, whatever the person made of it.
        await release();
        const card = await draftToCard(ctx, { ...approved.draft, context: await customerContext(args.chat_id, ctx) });
        return {
          text: card.text,
          structured: { dry_run: false, chat_id: args.chat_id, private: false, agent, draft: card.draft },
          meta: card.meta,
        };
      }
      if (approved && replyKey(args.chat_id, audience, approved.text) !== replyKey(args.chat_id, audience, draft.text))
        release = await swapReservation(args.chat_id, approved.text, release, ctx, args.allow_duplicate, duplicate);
    } catch (error) {
      await release(); // declined, dismissed or refused: nothing was sent
      throw error;
    }
    const input = approved ? { ...draft, text: approved.text } : draft;
    const message = await post(input, ctx, release, approved);
    const edited = approved?.edited ? " The person edited the text before approving it; the edited text was sent." : "";
    return {
      text: `${kind} posted to #${args.chat_id} as ${author.name ?? author.id} (message ${message.id}).${edited}`,
      structured: {
        dry_run: false,
        chat_id: args.chat_id,
        private: args.private,
        agent,
        message,
        ...(approved?.edited ? { edited: true } : {}),
      },
    };
  },
});

/** A customer reply, approved per the policy; the chat is read first so the form (or card) can name the customer. */
async function approve(
  draft: CreateMessageInput,
  author: Agent,
  ctx: ToolContext,
): Promise<Approved | (ToCard & { draft: CustomerDraft })> {
  const asks = ctx.config.customerMessages === "confirm";
  const chat = asks
    ? await ctx.client.getChat(draft.chat, ctx.upstream).catch((e: unknown) => Promise.reject(chatNotFound(e, draft.chat)))
    : undefined;
  const customerDraft: CustomerDraft = {
    tool: "send_message",
    what: "reply",
    chatId: draft.chat,
    customer: chat?.customer,
    agent: author,
    text: draft.text,
    request: ctx.client.prepare.createMessage(draft).request,
  };
  const approved = await approveCustomerMessage(ctx, customerDraft);
  return "card" in approved ? { ...approved, draft: customerDraft } : approved;
}

/**
 * The person changed the text (more than case or spacing): the edit is what may go out, so it is reserved (and checked against
 * earlier replies), and the draft's reservation is freed. Returns the release of the edit's.
 */
async function swapReservation(
  chatId: number,
  text: string,
  releaseDraft: () => Promise<void>,
  ctx: ToolContext,
  force: boolean,
  duplicate: (previous: number) => ToolError,
): Promise<() => Promise<void>> {
  const edit = await ctx.replyGuard.reserve(chatId, "customer", text, force);
  if (!edit.ok) throw duplicate(edit.previous);
  await releaseDraft();
  return edit.release;
}

/** POST /messages exactly once; the reservation is released only when the message certainly did not land. */
async function post(input: CreateMessageInput, ctx: ToolContext, release: () => Promise<void>, approved?: Approved) {
  try {
    return summarizeMessage(toMessageView(await postMessage("send_message", input, ctx, approved)), new NameBook());
  } catch (error) {
    if (isOutcomeUnknown(error)) {
      throw new ToolError(
        `The message may or may not have been posted to chat ${input.chat} (HelpCrunch's answer was lost or was an error page). Check with list_chat_messages before sending it again.`,
      );
    }
    await release();
    if (isNotFound(error, "agent")) {
      throw new ToolError(`HelpCrunch does not know agent ${input.agent}. Use list_agents to pick an existing agent.`);
    }
    throw chatNotFound(error, input.chat);
  }
}
