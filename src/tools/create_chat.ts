import { z } from "zod";
import type { Agent, CreateChatInput, Customer } from "../helpcrunch/index.js";
import { chatLine, chatSummarySchema, summarizeOne, toChatView } from "../present/chat-summary.js";
import { namesSchema } from "../present/names.js";
import type { ToolContext } from "../runtime/context.js";
import { defineTool } from "../runtime/define-tool.js";
import { VIEW_URIS } from "../runtime/view-uris.js";
import { ToolError } from "../tool-error.js";
import { cardDraftSchema, draftToCard } from "./kit/approval-card.js";
import { dryRunText, plannedRequestSchema } from "./kit/dry-run.js";
import {
  type Approved,
  approveCustomerMessage,
  type CustomerDraft,
  refuseIfCustomerMessagesOff,
  resolveAuthor,
  type ToCard,
} from "./kit/message-safety.js";
import { forNewChat, openChat, postFirstMessage } from "./kit/new-chat.js";
import { agentRef, type CustomerKey, customerKey, customerRef, departmentRef, dryRun, MESSAGE_MAX, positiveId } from "./kit/params.js";

/** An id is taken as given (HelpCrunch checks it when the chat is created); an email is looked up. */
async function resolveCustomer(ref: CustomerKey, ctx: ToolContext): Promise<Pick<Customer, "id"> & Partial<Customer>> {
  return "id" in ref ? { id: ref.id } : ctx.directory.resolveCustomer(ref.email, ctx.upstream);
}

async function resolveApplication(id: number | undefined, ctx: ToolContext): Promise<number> {
  if (id !== undefined) return id;
  const apps = await ctx.directory.applications(ctx.upstream);
  if (apps.length === 1) return (apps[0] as { id: number }).id;
  const list = apps.map((a) => `${a.name ?? "(no name)"} (id ${a.id})`).join(", ");
  throw new ToolError(`This account has ${apps.length} applications; pass application_id: ${list || "none found"}.`);
}

/** The first message, approved per the policy; the form names the customer (read when only the id is known). */
async function approveFirstMessage(
  customer: Pick<Customer, "id"> & Partial<Customer>,
  author: Agent,
  text: string,
  ctx: ToolContext,
): Promise<Approved | (ToCard & { draft: CustomerDraft })> {
  const named =
    ctx.config.customerMessages === "confirm" && customer.email === undefined
      ? await ctx.client.getCustomer(customer.id, ctx.upstream)
      : customer;
  const draft: CustomerDraft = {
    tool: "create_chat",
    what: "first message",
    customer: { id: named.id, name: named.name ?? null, email: named.email ?? null, userId: null },
    agent: author,
    text,
    request: forNewChat(ctx.client.prepare.createMessage({ chat: 1, text, agent: author.id, type: "message" }).request),
  };
  const approved = await approveCustomerMessage(ctx, draft);
  return "card" in approved ? { ...approved, draft } : approved;
}

export const createChat = defineTool({
  name: "create_chat",
  title: "Start a chat with a customer",
  description: `Start a chat with a customer, optionally assigned and in a department, with a first message from an agent.
Use it for proactive outreach; send_message answers an existing chat. A first message is customer-visible and needs the server's permission. Never retried: if the chat was created but the message failed, the result gives the chat id.
Example: {"customer": "mike@example.com", "message": "Hi Mike, following up on your refund."}.`,
  guide: { step: "act" },
  kind: "write",
  destructive: false,
  idempotent: false,
  inputSchema: z.object({
    customer: customerRef,
    application_id: positiveId().optional().describe("Application (widget) id; needed only when the account has several"),
    assignee: agentRef.optional().describe("Agent to assign"),
    department: departmentRef.optional(),
    message: z.string().trim().min(1).max(MESSAGE_MAX).optional().describe("First message, seen by the customer"),
    agent: agentRef.optional().describe("Agent who writes the message (default: the server's default agent)"),
    dry_run: dryRun,
  }),
  outputSchema: z.object({
    dry_run: z.boolean(),
    requests: z.array(plannedRequestSchema).optional(),
    chat: chatSummarySchema.optional(),
    names: namesSchema.optional(),
    message_id: z.number().optional(),
    draft: cardDraftSchema.optional(),
  }),
  ui: { resourceUri: VIEW_URIS.reply },
  async handler(args, ctx) {
    if (args.message) refuseIfCustomerMessagesOff(ctx, "The first message");
    const author = args.message ? await resolveAuthor(args.agent, ctx) : undefined;
    const [customer, application, assignee, department] = await Promise.all([
      resolveCustomer(customerKey(args.customer), ctx),
      resolveApplication(args.application_id, ctx),
      args.assignee !== undefined ? ctx.directory.resolveAgent(args.assignee, ctx.upstream) : undefined,
      args.department !== undefined ? ctx.directory.resolveDepartment(args.department, ctx.upstream) : undefined,
    ]);
    const input: CreateChatInput = { customer: customer.id, application, assignee: assignee?.id, department: department?.id };
    const chatWrite = ctx.client.prepare.createChat(input);
    let text = args.message;
    const messageInput = (chat: number) => (author && text ? { chat, text, agent: author.id, type: "message" as const } : undefined);

    if (args.dry_run) {
      const planned = messageInput(1);
      const requests = [chatWrite.request, ...(planned ? [forNewChat(ctx.client.prepare.createMessage(planned).request)] : [])];
      return { text: dryRunText(requests), structured: { dry_run: true, requests } };
    }

    // Asked before POST /chats: a declined first message leaves no empty chat behind.
    const approved = author && text ? await approveFirstMessage(customer, author, text, ctx) : undefined;
    if (approved && "card" in approved) {
      // Nothing is created now: the card's Send creates the chat and posts what the person approved.
      const card = await draftToCard(ctx, { ...approved.draft, newChat: input });
      return { text: card.text, structured: { dry_run: false, draft: card.draft }, meta: card.meta };
    }
    if (approved) text = approved.text;
    const chat = await openChat(chatWrite, ctx);

    const first = messageInput(chat.id);
    const messageId = first ? await postFirstMessage(first, ctx, approved) : undefined;
    const view = toChatView(chat, ctx.now(), ctx.sla);
    const lean = summarizeOne(view);
    return {
      text: `Created chat #${chat.id}${messageId ? ` and posted the first message (message ${messageId})` : " (empty until someone writes)"}.${approved?.edited ? " The person edited the first message before approving it; the edited text was sent." : ""}\n${chatLine(view, ctx.now())}`,
      structured: { dry_run: false, chat: lean.chat, names: lean.names, ...(messageId ? { message_id: messageId } : {}) },
    };
  },
});
