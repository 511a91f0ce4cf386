import { statusWriteSpellings, writeRequests } from "../client/index.js";
import { defineChatWriteTool } from "./chat-write.js";
import { writableStatus } from "./params.js";

export const setChatStatus = defineChatWriteTool({
  name: "set_chat_status",
  title: "Change chat status",
  description: `Set the status of one chat or up to 50: new, opened, pending, onhold, no communication or closed.
Use closed when the customer's problem is solved (HelpCrunch may then ask the customer for a rating), pending when waiting on the customer, onhold when waiting on your side. snooze_chat hides a chat for a while instead.
Returns what changed ("status: opened → closed") and the updated chat, or one result per chat for chat_ids.
Example: {"chat_id": 5215752, "status": "closed"}.`,
  // Closing is customer-visible (rating request) and ends the conversation: say so honestly.
  destructive: true,
  idempotent: true,
  shape: { status: writableStatus },
  async plan(args, ctx) {
    const spelling = statusWriteSpellings(args.status)[0] as string;
    return {
      field: "status",
      request: (id) => writeRequests.status(id, spelling),
      apply: (id, signal) => ctx.client.setChatStatus(id, args.status, { signal }),
      show: (chat) => chat.status,
      note:
        args.status === "onhold"
          ? 'HelpCrunch\'s docs disagree on the on-hold spelling: if "on hold" is refused, "onhold" then "on-hold" are tried.'
          : undefined,
    };
  },
});
