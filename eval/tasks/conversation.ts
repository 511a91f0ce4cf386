/** Replies approved, edited and declined; private notes; customer context and tags. */
import type { Approval, Task } from "../types.js";
import { AGENT, last, openQueue, ours, rankRaw, rawAll, WORLD } from "./kit.js";

/** A customer reply the person answers at the form; the baseline cannot ask, so it sends what the person settled on, or nothing. */
function reply(id: string, request: string, chat: number, draft: string, approval: Approval): Task {
  const sent = approval === "decline" ? undefined : typeof approval === "object" ? approval.edit : draft;
  return {
    id,
    category: "replies",
    request,
    world: WORLD,
    gold: {
      steps: [
        { tool: "get_chat", args: { chat_id: chat } },
        { tool: "send_message", args: { chat_id: chat, text: draft }, approvals: [approval], expectError: approval === "decline" },
      ],
    },
    baseline: {
      steps: [
        { tool: "get_chat", args: { id: chat } },
        { tool: "list_chat_messages", args: { id: chat, limit: 10 } },
        ...(sent === undefined ? [] : [{ tool: "send_message", args: { chat, text: sent, type: "message", agent: AGENT.priya } }]),
      ],
    },
  };
}

function note(id: string, request: string, chat: number, text: string): Task {
  return {
    id,
    category: "notes",
    request,
    world: WORLD,
    gold: { steps: [{ tool: "send_message", args: { chat_id: chat, text, private: true } }] },
    baseline: { steps: [{ tool: "send_message", args: { chat, text, type: "private", agent: AGENT.priya } }] },
  };
}

const customerByEmail = (email: string) => ({ filter: [{ field: "customers.email", operator: "=", value: email }] });
const customerId = (result: unknown) => (result as { customers: Array<{ id: number }> }).customers[0]?.id;
const rawCustomerId = (result: unknown) => (result as { data: Array<{ id: number }> }).data[0]?.id;

export const CONVERSATION_TASKS: Task[] = [
  reply(
    "reply-approved-card-limit",
    "Tell Lucia Storm in chat 5216184 that we're on it and she won't be charged twice. I'll approve it.",
    5216184,
    "Hi Lucia, we're on it: you will not be charged twice, and I'll confirm here within the hour.",
    "send",
  ),
  reply(
    "reply-edited-refund-date",
    "Draft a reply for chat 5216038 about the late refund; I'll check the wording before it goes.",
    5216038,
    "Hi Raj, sorry for the wait. The refund is on its way.",
    { edit: "Hi Raj, sorry for the wait. The refund left us on Monday; banks take up to 5 working days." },
  ),
  reply(
    "reply-declined-promise",
    "Suggest an answer for chat 5215864 (locked out before a demo) — I want to see it first.",
    5215864,
    "Hi Emily, I've unlocked your account; you can log in now.",
    "decline",
  ),
  reply(
    "reply-approved-replacement",
    "Answer Fatima Silva in chat 5215931: the replacement ships tomorrow with tracking by email.",
    5215931,
    "Hi Fatima, your replacement ships tomorrow; the tracking link will reach you by email.",
    "send",
  ),
  {
    id: "reply-longest-waiting-then-pending",
    category: "replies",
    request: "Reply to whoever needs us most asking for their order number, then mark that chat pending.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "triage_queue", args: { limit: 3 } },
        { tool: "get_chat", args: (c) => ({ chat_id: ours(c.results[0])[0]?.id }) },
        {
          tool: "send_message",
          args: (c) => ({ chat_id: ours(c.results[0])[0]?.id, text: "Sorry for the wait! Could you send me your order number?" }),
          approvals: ["send"],
        },
        { tool: "set_chat_status", args: (c) => ({ chat_id: ours(c.results[0])[0]?.id, status: "pending" }) },
      ],
    },
    baseline: {
      steps: [
        ...openQueue("open"),
        { tool: "list_chat_messages", args: (c) => ({ id: rankRaw(rawAll(c, "open"), Date.now())[0]?.id, limit: 10 }) },
        {
          tool: "send_message",
          args: (c) => ({
            chat: rankRaw(rawAll(c, "open"), Date.now())[0]?.id,
            text: "Sorry for the wait! Could you send me your order number?",
            type: "message",
            agent: AGENT.priya,
          }),
        },
        { tool: "update_chat_status", args: (c) => ({ id: rankRaw(rawAll(c, "open"), Date.now())[0]?.id, status: "pending" }) },
      ],
    },
  },
  note(
    "note-manager-approval",
    "Leave a note on chat 5215955 that finance approved the refund above $300.",
    5215955,
    "Finance approved the refund above $300 (ok from Dana, 14:10).",
  ),
  note(
    "note-carrier-case",
    "Note on chat 5215892: the carrier case DHL-55120 is still open, check again Friday.",
    5215892,
    "Carrier case DHL-55120 still open; check again Friday.",
  ),
  {
    id: "note-handover-then-assign",
    category: "notes",
    request: "Hand chat 5216103 over to Yuki Tanaka with a note that the team is blocked by the SSO bug.",
    world: WORLD,
    gold: {
      steps: [
        {
          tool: "send_message",
          args: { chat_id: 5216103, text: "Handover: the whole team is blocked by the SSO bug (ENG-4410).", private: true },
        },
        { tool: "assign_chat", args: { chat_id: 5216103, agent: "Yuki Tanaka" } },
      ],
    },
    baseline: {
      steps: [
        { tool: "list_agents" },
        {
          tool: "send_message",
          args: {
            chat: 5216103,
            text: "Handover: the whole team is blocked by the SSO bug (ENG-4410).",
            type: "private",
            agent: AGENT.priya,
          },
        },
        { tool: "update_chat_assignee", args: { id: 5216103, assignee: AGENT.yuki } },
      ],
    },
  },
  {
    id: "customer-tag-lead",
    category: "customers",
    request: "Fatima Silva (fatima.silva@outlook.com) wants a quote: tag her as a Lead.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "search_customers", args: { query: "fatima.silva@outlook.com" } },
        { tool: "tag_customer", args: (c) => ({ customer_id: customerId(last(c)), add: ["Lead"] }) },
      ],
    },
    baseline: {
      steps: [
        { tool: "search_customers", args: customerByEmail("fatima.silva@outlook.com") },
        { tool: "add_customer_tags", args: (c) => ({ id: rawCustomerId(last(c)), tags: [{ name: "Lead" }] }) },
      ],
    },
  },
  {
    id: "customer-trial-to-customer",
    category: "customers",
    request: "Omar Silva (omar.silva@proton.me) just paid: remove his Trial tag and add Customer.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "get_customer", args: { customer: "omar.silva@proton.me" } },
        {
          tool: "tag_customer",
          args: (c) => ({ customer_id: (last(c) as { customer: { id: number } }).customer.id, add: ["Customer"], remove: ["Trial"] }),
        },
      ],
    },
    baseline: {
      steps: [
        { tool: "search_customers", args: customerByEmail("omar.silva@proton.me") },
        { tool: "add_customer_tags", args: (c) => ({ id: rawCustomerId(c.results[0]), tags: [{ name: "Customer" }] }) },
        { tool: "remove_customer_tags", args: (c) => ({ id: rawCustomerId(c.results[0]), tags: [{ name: "Trial" }] }) },
      ],
    },
  },
  {
    id: "customer-plan-question",
    category: "customers",
    request: "Which plan is Eve Mallory (eve.mallory@example.net) on, and how many seats?",
    world: WORLD,
    gold: {
      steps: [{ tool: "get_customer", args: { customer: "eve.mallory@example.net" } }],
      answer: (c) => {
        const data = (last(c) as { customer: { custom_data: { plan: string; seats: number } } }).customer.custom_data;
        return [data.plan, data.seats];
      },
    },
    baseline: {
      steps: [
        { tool: "search_customers", args: customerByEmail("eve.mallory@example.net") },
        { tool: "get_customer", args: (c) => ({ id: rawCustomerId(last(c)) }) },
      ],
      answer: (c) => {
        const data = (last(c) as { customData: Array<{ property: string; value: unknown }> | Record<string, unknown> }).customData;
        const read = (key: string) => (Array.isArray(data) ? data.find((d) => d.property === key)?.value : data[key]);
        return [read("plan"), read("seats")];
      },
    },
  },
  {
    id: "customer-vip-before-reply",
    category: "customers",
    request: "Before anyone answers chat 5215901: is Emily Müller an Enterprise customer? If so tag her VIP.",
    world: WORLD,
    gold: {
      steps: [
        { tool: "get_chat", args: { chat_id: 5215901, messages: 0 } },
        { tool: "get_customer", args: (c) => ({ customer: (last(c) as { chat: { customer: { id: number } } }).chat.customer.id }) },
        { tool: "tag_customer", args: (c) => ({ customer_id: (last(c) as { customer: { id: number } }).customer.id, add: ["VIP"] }) },
      ],
    },
    baseline: {
      steps: [
        { tool: "get_chat", args: { id: 5215901 } },
        { tool: "get_customer", args: (c) => ({ id: (last(c) as { customer: { id: number } }).customer.id }) },
        { tool: "add_customer_tags", args: (c) => ({ id: (last(c) as { id: number }).id, tags: [{ name: "VIP" }] }) },
      ],
    },
  },
];
