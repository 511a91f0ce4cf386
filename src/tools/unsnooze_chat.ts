import { showSnooze } from "../present/chat-summary.js";
import { defineChatWriteTool } from "./kit/chat-write.js";

export const unsnoozeChat = defineChatWriteTool({
  name: "unsnooze_chat",
  title: "Unsnooze chats",
  description: `End the snooze of chats so they are back in the queue now; snooze_chat sets one.
Example: {"chat_id": 5215752}.`,
  destructive: false,
  idempotent: true,
  shape: {},
  async plan(_args, ctx) {
    return {
      field: "snooze",
      intent: "End the snooze",
      prepare: (id) => ctx.client.prepare.snooze(id, null),
      show: showSnooze,
    };
  },
});
