import { defineChatWriteTool } from "./kit/chat-write.js";
import { writableStatus } from "./kit/params.js";

export const setChatStatus = defineChatWriteTool({
  name: "set_chat_status",
  title: "Change chat status",
  description: `Set the status of chats: closed when solved (HelpCrunch may ask the customer for a rating), pending when waiting on the customer, onhold when waiting on your side.
snooze_chat hides a chat for a while instead. Example: {"chat_id": 5215752, "status": "closed"}.`,
  // Closing is customer-visible (rating request) and ends the conversation: say so honestly.
  destructive: true,
  idempotent: true,
  shape: { status: writableStatus },
  async plan(args, ctx) {
    return {
      field: "status",
      intent: `Set status to ${args.status}`,
      prepare: (id) => ctx.client.prepare.setStatus(id, args.status),
      show: (chat) => chat.status,
    };
  },
});
