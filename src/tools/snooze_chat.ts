import { isoUtc } from "../domain/time.js";
import { parseTimeSpec } from "../domain/time-spec.js";
import { showSnooze } from "../present/chat-summary.js";
import { ToolError } from "../tool-error.js";
import { defineChatWriteTool } from "./kit/chat-write.js";
import { timeSpec } from "./kit/params.js";

export const snoozeChat = defineChatWriteTool({
  name: "snooze_chat",
  title: "Snooze chats",
  description: `Snooze chats until a time: HelpCrunch hides them and brings them back unread then.
Use it when a chat waits on something outside the conversation; unsnooze_chat undoes it.
Example: {"chat_id": 5215752, "until": "2h"}.`,
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
      intent: `Snooze until ${isoUtc(until)}`,
      prepare: (id) => ctx.client.prepare.snooze(id, until),
      show: showSnooze,
    };
  },
});
