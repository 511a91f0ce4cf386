import { z } from "zod";
import { type ChatView, chatLine, chatSummarySchema, summarizeOne, toChatView } from "../present/chat-summary.js";
import { messageLine, messageSummarySchema, summarizeMessage, toMessageView } from "../present/messages.js";
import { NameBook, namesSchema } from "../present/names.js";
import { UNTRUSTED_NOTICE, untrusted } from "../present/text.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import { chatNotFound } from "../runtime/error-results.js";
import { chatId, integer } from "./kit/params.js";

/** The customer's tags, read from their profile (one request); none when it cannot be read. */
async function customerTags(customerId: number | undefined, ctx: ToolContext): Promise<string[]> {
  if (customerId === undefined) return [];
  const customer = await ctx.client.getCustomer(customerId, ctx.upstream).catch(() => undefined);
  return (customer?.tags ?? []).map((t) => untrusted(t, 40)).filter(Boolean);
}

const withCustomerTags = (view: ChatView, tags: string[]): ChatView =>
  view.customer && tags.length ? { ...view, customer: { ...view.customer, tags } } : view;

export const getChat = defineTool({
  name: "get_chat",
  title: "Read a chat",
  description: `Read one chat: its summary (with the customer's tags), agents and newest messages (oldest first).
Use it before acting on a chat; list_chat_messages pages further back.
Returns {chat, agents, messages: [{id, from, author, type, text, created_at}], messages_total}. Example: {"chat_id": 5215752}.`,
  guide: { step: "read", phrase: "get_chat shows a chat and its newest messages" },
  kind: "read",
  inputSchema: z.object({
    chat_id: chatId,
    messages: integer().min(0).max(50).default(10).describe("Newest messages to include"),
  }),
  outputSchema: z.object({
    chat: chatSummarySchema,
    names: namesSchema.optional(),
    agents: z.array(z.number()).describe("Ids of the agents in the chat, named in names.agents"),
    messages: z.array(messageSummarySchema),
    messages_total: z.number().optional(),
  }),
  async handler(args, ctx) {
    const opts = ctx.upstream;
    const [chat, page] = await Promise.all([
      ctx.client.getChat(args.chat_id, opts),
      args.messages > 0 ? ctx.client.listChatMessages(args.chat_id, { limit: args.messages }, opts) : undefined,
    ]).catch((e: unknown) => {
      throw chatNotFound(e, args.chat_id);
    });
    const now = ctx.now();
    const view = withCustomerTags(toChatView(chat, now, ctx.sla), await customerTags(chat.customer?.id, ctx));
    const book = new NameBook();
    const { chat: summary } = summarizeOne(view, book);
    const messages = (page?.data ?? []).slice(0, args.messages).reverse().map(toMessageView);
    const agents = chat.agents;
    const leanMessages = messages.map((m) => summarizeMessage(m, book));
    const agentIds = agents.map((a) => book.agent(a) as number);
    const text = [
      chatLine(view, now),
      agents.length > 0 ? `Agents in chat: ${agents.map((a) => a.name ?? `#${a.id}`).join(", ")}` : "No agent has written yet.",
      UNTRUSTED_NOTICE,
      messages.length > 0 ? `Last ${messages.length} of ${page?.total ?? messages.length} messages:` : "No messages shown.",
      ...messages.map(messageLine),
    ];
    return {
      text: text.join("\n"),
      structured: {
        chat: summary,
        names: book.names(),
        agents: agentIds,
        messages: leanMessages,
        ...(page ? { messages_total: page.total } : {}),
      },
    };
  },
});
