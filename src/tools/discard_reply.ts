import { z } from "zod";
import { defineTool } from "../runtime/define-tool.js";
import { approvalToken, CARD_TOOL, checkDraft, claimDraft } from "./kit/approval-card.js";

export const discardReply = defineTool({
  name: "discard_reply",
  title: "Discard the drafted reply",
  description: "Approval card only: drops the card's draft; nothing is sent.",
  ...CARD_TOOL,
  idempotent: true,
  inputSchema: z.object({ token: approvalToken }),
  outputSchema: z.object({ discarded: z.boolean() }),
  async handler(args, ctx) {
    const draft = await checkDraft(args.token, ctx);
    await claimDraft(args.token, ctx);
    ctx.audit.record({
      tool: draft.tool,
      chat_id: draft.chatId,
      request: draft.request,
      outcome: "declined",
      approval: "user",
      via: "app",
      error: "the person discarded it in the approval card",
    });
    return { text: "Discarded: nothing was sent to the customer.", structured: { discarded: true } };
  },
});
