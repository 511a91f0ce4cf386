/**
 * Stored records → HelpCrunch JSON, with the inconsistencies HelpCrunch's own docs show, so a client
 * tested here copes with the real thing. Every variation is decided by the record's id, so the same
 * record always reads back the same way:
 * - chat/customer timestamps as integers (`1597758468`), strings of seconds (`"1603885746"`) or
 *   strings with milliseconds (`"1603864800.000"`); message timestamps with real milliseconds
 *   (`"1594139170.913"`); snoozedUntil always `"1603864800.000"` (the snooze page's example);
 * - on-hold read back as `"on hold"` (even ids) or `"onhold"` (odd ids);
 * - extra fields a client must ignore: `notes` and `updatedAt` on every fifth chat, the customer's
 *   `tagsData` on some chats.
 * Unknown enum values (createdWith "whatsapp_message", rating "perfect", message type
 * "knowledgeBase") live in the data itself (seed-data.ts), not here.
 */
import type { SandboxState, StoredAgent, StoredChat, StoredCustomer, StoredDepartment, StoredMessage } from "./state.js";
import { chatUpdatedAt } from "./state.js";

type Encoded = number | string | null;

/** One of HelpCrunch's three chat timestamp encodings, chosen by `variant`. */
export function encodeTimestamp(ms: number | null, variant: number): Encoded {
  if (ms === null) return null;
  const seconds = Math.floor(ms / 1000);
  switch (variant % 3) {
    case 0:
      return seconds;
    case 1:
      return String(seconds);
    default:
      return `${seconds}.000`;
  }
}

/** Seconds with the milliseconds HelpCrunch keeps on messages, e.g. "1594139170.913". */
const withMillis = (ms: number) => (ms / 1000).toFixed(3);

export const agentJson = (a: StoredAgent) => ({ id: a.id, name: a.name, email: a.email, role: a.role });

/** Agents by id; an id whose agent was deleted is skipped, as a join would. */
const agentsJson = (state: SandboxState, ids: number[]) =>
  ids.flatMap((id) => {
    const agent = state.agents.get(id);
    return agent ? [agentJson(agent)] : [];
  });

const tagsData = (tags: string[] | undefined) => (tags ?? []).map((name) => ({ name }));

export function chatJson(state: SandboxState, c: StoredChat): Record<string, unknown> {
  const customer = state.customers.get(c.customerId);
  const department = c.departmentId === null ? undefined : state.departments.get(c.departmentId);
  const assignee = c.assigneeId === null ? undefined : state.agents.get(c.assigneeId);
  const v = c.id;
  return {
    id: c.id,
    closedBy: c.closedBy,
    lastCustomerMessageAt: encodeTimestamp(c.lastCustomerMessageAt, v),
    status: c.status === "onhold" && v % 2 === 0 ? "on hold" : c.status,
    closedAt: encodeTimestamp(c.closedAt, v + 1),
    rating: c.rating,
    createdAt: encodeTimestamp(c.createdAt, v),
    lastMessageAt: encodeTimestamp(c.lastMessageAt, v + 2),
    readByAgent: c.readByAgent,
    readByCustomer: c.readByCustomer,
    createdWith: c.createdWith,
    snoozedUntil: c.snoozedUntil === null ? null : `${Math.floor(c.snoozedUntil / 1000)}.000`,
    lastMessageText: c.lastMessageText,
    lastMessageId: c.lastMessageId,
    applicationId: c.applicationId,
    lastCommunicatedAgentId: c.lastCommunicatedAgentId,
    agents: agentsJson(state, c.agentIds),
    customer: customer
      ? {
          id: customer.id,
          name: customer.name,
          email: customer.email,
          userId: customer.userId,
          ...(v % 7 === 3 ? { tagsData: tagsData(customer.tags) } : {}),
        }
      : null,
    assignee: assignee ? agentJson(assignee) : null,
    department: department ? { id: department.id, name: department.name } : null,
    ...(v % 5 === 0
      ? { notes: v % 10 === 0 ? null : "Prefers email follow-ups.", updatedAt: encodeTimestamp(chatUpdatedAt(c), v + 1) }
      : {}),
  };
}

export function messageJson(state: SandboxState, m: StoredMessage): Record<string, unknown> {
  const agent = m.agentId === null ? undefined : state.agents.get(m.agentId);
  return {
    id: m.id,
    text: m.text,
    from: m.from,
    type: m.type,
    agent: m.from === "agent" && agent ? agentJson(agent) : null,
    read: m.read,
    createdAt: withMillis(m.createdAt),
    updatedAt: m.id % 11 === 0 ? null : withMillis(m.createdAt),
    edited: false,
    broadcastType: m.broadcastType ?? null,
    chat: m.chatId,
  };
}

/** The customer object of the customer pages: `createdAt`, `tagsData` with colours, `customData` as an object. */
export function customerJson(state: SandboxState, c: StoredCustomer): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    userId: c.userId,
    company: c.company,
    phone: c.phone ?? null,
    notes: null,
    createdAt: encodeTimestamp(c.firstSeen, c.id),
    lastSeen: encodeTimestamp(c.lastSeen, c.id + 1),
    unsubscribed: false,
    blocked: false,
    tagsData: (c.tags ?? []).map((name) => ({ name, color: state.tagColors.get(name) ?? DEFAULT_TAG_COLOR })),
    customData: { ...(c.customData ?? {}) },
  };
}

/** The colour HelpCrunch gives a tag created without one. */
export const DEFAULT_TAG_COLOR = "#c377e0";

export function departmentJson(state: SandboxState, d: StoredDepartment): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    agents: agentsJson(state, d.agentIds),
  };
}
