/**
 * Stored records → HelpCrunch JSON, with the inconsistencies the real docs show: timestamps as
 * integers, strings of seconds or strings with milliseconds (chosen per record id), on-hold spelled
 * two ways, and extra fields a client must ignore.
 */
import type { SandboxState, StoredAgent, StoredChat, StoredCustomer, StoredMessage } from "./state.js";

type Encoded = number | string | null;

/** One of HelpCrunch's three timestamp encodings, decided by `variant`. */
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

const agentJson = (a: StoredAgent | undefined) => (a ? { id: a.id, name: a.name, email: a.email, role: a.role } : null);

export function chatJson(state: SandboxState, c: StoredChat): Record<string, unknown> {
  const customer = state.customers.get(c.customerId);
  const department = c.departmentId === null ? undefined : state.departments.get(c.departmentId);
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
    // Snooze answers come back with milliseconds, as in the docs' example.
    snoozedUntil: c.snoozedUntil === null ? null : `${Math.floor(c.snoozedUntil / 1000)}.000`,
    lastMessageText: c.lastMessageText,
    lastMessageId: c.lastMessageId,
    applicationId: c.applicationId,
    lastCommunicatedAgentId: c.lastCommunicatedAgentId,
    agents: c.agentIds.map((id) => agentJson(state.agents.get(id))).filter(Boolean),
    customer: customer ? { id: customer.id, name: customer.name, email: customer.email, userId: customer.userId } : null,
    assignee: c.assigneeId === null ? null : agentJson(state.agents.get(c.assigneeId)),
    department: department ? { id: department.id, name: department.name } : null,
    ...(v % 5 === 0 ? { notes: null, updatedAt: encodeTimestamp(c.lastMessageAt ?? c.createdAt, v) } : {}),
  };
}

export function messageJson(state: SandboxState, m: StoredMessage): Record<string, unknown> {
  const agent = m.agentId === null ? null : state.agents.get(m.agentId);
  const seconds = (m.createdAt / 1000).toFixed(3);
  return {
    id: m.id,
    text: m.text,
    from: m.from,
    type: m.type,
    agent: m.from === "agent" && agent ? { id: agent.id, name: agent.name, email: agent.email, role: agent.role } : null,
    read: m.read,
    createdAt: seconds,
    updatedAt: seconds,
    edited: false,
    broadcastType: null,
    chat: m.chatId,
  };
}

export function customerJson(c: StoredCustomer): Record<string, unknown> {
  return {
    id: c.id,
    name: c.name,
    email: c.email,
    userId: c.userId,
    company: c.company,
    phone: null,
    firstSeen: encodeTimestamp(c.firstSeen, c.id),
    lastSeen: encodeTimestamp(c.lastSeen, c.id + 1),
    tags: [],
    customData: {},
  };
}
