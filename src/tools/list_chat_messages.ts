import { z } from "zod";
import { isSystemMessage, messageLine, messageSummarySchema, summarizeMessage, toMessageView } from "../present/messages.js";
import { NameBook, namesSchema } from "../present/names.js";
import { UNTRUSTED_NOTICE } from "../present/text.js";
import { defineTool } from "../runtime/define-tool.js";
import { chatNotFound } from "../runtime/error-results.js";
import { chatId, limit, offset } from "./kit/params.js";

export const listChatMessages = defineTool({
  name: "list_chat_messages",
  title: "List chat messages",
  description: `Page back through a chat's messages, each page oldest first; offset 20 = the 20 before the newest 20.
Use it when get_chat's newest messages are not enough.
Returns {total, next_offset, messages}. Example: {"chat_id": 5215752, "offset": 20}.`,
  guide: { step: "read", phrase: "list_chat_messages pages further back" },
  kind: "read",
  inputSchema: z.object({
    chat_id: chatId,
    limit: limit(100, 20),
    offset,
    include_private: z.boolean().default(true).describe("Include private notes"),
    include_system: z.boolean().default(false).describe("Include system events (assignments etc.)"),
  }),
  outputSchema: z.object({
    total: z.number(),
    offset: z.number(),
    next_offset: z.number().nullable(),
    messages: z.array(messageSummarySchema),
    names: namesSchema.optional(),
  }),
  async handler(args, ctx) {
    const page = await ctx.client
      .listChatMessages(args.chat_id, { offset: args.offset, limit: args.limit }, ctx.upstream)
      .catch((e: unknown) => {
        throw chatNotFound(e, args.chat_id);
      });
    const messages = page.data
      .filter((m) => (args.include_system || !isSystemMessage(m)) && (args.include_private || m.type !== "private"))
      .reverse()
      .map(toMessageView);
    const book = new NameBook();
    const next = args.offset + page.rawCount;
    const nextOffset = page.rawCount > 0 && next < page.total ? next : null;
    const header = `Chat #${args.chat_id}: ${messages.length} messages shown (${page.total} in total)${nextOffset != null ? `; older ones: offset ${nextOffset}` : ""}.`;
    return {
      text: [header, UNTRUSTED_NOTICE, ...messages.map(messageLine)].join("\n"),
      structured: {
        total: page.total,
        offset: args.offset,
        next_offset: nextOffset,
        messages: messages.map((m) => summarizeMessage(m, book)),
        names: book.names(),
      },
    };
  },
});
