import { z } from "zod";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import type { StoredDraft } from "../services/approval-drafts.js";
import { ToolError } from "../tool-error.js";
import { approvalToken, CARD_TOOL, checkDraft, claimDraft } from "./kit/approval-card.js";
import { isOutcomeUnknown } from "./kit/audited.js";
import { type Approved, postMessage, refuseIfCustomerMessagesOff, requireSendScope } from "./kit/message-safety.js";
import { openChat, postFirstMessage } from "./kit/new-chat.js";
import { MESSAGE_MAX } from "./kit/params.js";

/**
 * A reply to an existing chat: reserved against duplicates, then the card's draft taken, posted once,
 * the reservation freed only when it certainly did not land. A duplicate leaves the card usable.
 */
async function sendReply(token: string, draft: StoredDraft & { chatId: number }, approved: Approved, ctx: ToolContext): Promise<number> {
  const reserved = await ctx.replyGuard.reserve(draft.chatId, "customer", approved.text);
  if (!reserved.ok) throw new ToolError(`Nothing was sent: the same text already went to chat ${draft.chatId} in the last 10 minutes.`);
  await claimDraft(token, ctx).catch(async (error: unknown) => {
    await reserved.release();
    throw error;
  });
  try {
    const input = { chat: draft.chatId, text: approved.text, agent: draft.agentId, type: "message" as const };
    return (await postMessage("send_message", input, ctx, approved)).id;
  } catch (error) {
    if (isOutcomeUnknown(error))
      throw new ToolError(
        `The reply may or may not have reached chat ${draft.chatId} (HelpCrunch's answer was lost); check the chat before sending again.`,
      );
    await reserved.release();
    throw new ToolError(`Nothing was sent: HelpCrunch refused the reply to chat ${draft.chatId} (${(error as Error).message}).`);
  }
}

export const sendApprovedReply = defineTool({
  name: "send_approved_reply",
  title: "Send the approved reply",
  description: "Approval card only: posts exactly this text for the card's draft, once.",
  ...CARD_TOOL,
  idempotent: false,
  inputSchema: z.object({
    token: approvalToken,
    // Exactly the field's text, as the card promises: spaces and line breaks are the person's formatting.
    text: z
      .string()
      .max(MESSAGE_MAX)
      .refine((text) => text.trim() !== "", "the text is empty")
      .describe("The card's text when Send was pressed"),
  }),
  outputSchema: z.object({ chat_id: z.number(), message_id: z.number(), edited: z.boolean() }),
  async handler(args, ctx) {
    const draft = await checkDraft(args.token, ctx);
    refuseIfCustomerMessagesOff(ctx, "This message");
    requireSendScope(ctx);
    const approved: Approved = { text: args.text, edited: args.text !== draft.text, approval: "user", via: "app" };
    let chatId: number;
    let messageId: number;
    if (draft.newChat) {
      await claimDraft(args.token, ctx);
      chatId = (await openChat(ctx.client.prepare.createChat(draft.newChat), ctx)).id;
      const input = { chat: chatId, text: approved.text, agent: draft.agentId, type: "message" as const };
      messageId = await postFirstMessage(input, ctx, approved);
    } else if (draft.chatId !== undefined) {
      chatId = draft.chatId;
      messageId = await sendReply(args.token, { ...draft, chatId }, approved, ctx);
    } else throw new ToolError("Nothing was sent: the draft names no chat.");
    return {
      text: `Sent to chat #${chatId} (message ${messageId})${approved.edited ? ", as edited by the person" : ""}.`,
      structured: { chat_id: chatId, message_id: messageId, edited: approved.edited },
    };
  },
});
