import { showSnooze } from "../format/chat-summary.js";
import { isoUtc } from "../format/time.js";
import { defineChatWriteTool } from "../tool-support/chat-write.js";
import { ToolError } from "../tool-support/errors.js";
import { timeSpec } from "../tool-support/params.js";
import { parseTimeSpec } from "../tool-support/time-spec.js";

export const snoozeChat = defineChatWriteTool({
  name: "snooze_chat",
  title: "Snooze chats",
  description: `Snooze one chat or up to 50 until a time; HelpCrunch hides it and brings it back (unread) then.
Use it when a chat waits on something outside the conversation (a refund clearing, a fix shipping). Undo with unsnooze_chat.
Returns what changed ("snoozed until …") and the updated chat, or one result per chat for chat_ids.
Example: {"chat_id": 5215752, "until": "2h"} or {"chat_ids": [1, 2], "until": "2026-11-26T09:00:00Z"}.`,
  destructive: false,
  idempotent: true,
  shape: { until: timeSpec("When the chat comes back; must be in the future") },
  async plan(args, ctx) {
    const now = ctx.now();
    const until = parseTimeSpec(args.until, now, "future", "until");
    if (until <= now) {
      throw new ToolError(`until ${isoUtc(until)} is in the past. Give a future time such as "2h" or "${isoUtc(now + 86_400_000)}".`);
    }
    return {
      field: "snooze",
      prepare: (id) => ctx.client.prepare.snooze(id, until),
      show: showSnooze,
    };
  },
});
