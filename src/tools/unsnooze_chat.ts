import { showSnooze } from "../format/chat-summary.js";
import { defineChatWriteTool } from "../tool-support/chat-write.js";

export const unsnoozeChat = defineChatWriteTool({
  name: "unsnooze_chat",
  title: "Unsnooze chats",
  description: `Cancel the snooze of one chat or up to 50 so they are back in the queue now.
Use it when a snoozed chat needs attention before its snooze ends; snooze_chat sets one.
Returns what changed and the updated chat, or one result per chat for chat_ids.
Example: {"chat_id": 5215752}.`,
  destructive: false,
  idempotent: true,
  shape: {},
  async plan(_args, ctx) {
    return {
      field: "snooze",
      prepare: (id) => ctx.client.prepare.snooze(id, null),
      show: showSnooze,
    };
  },
});
