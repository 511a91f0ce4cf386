/** Hand-made chats for unit tests, in the client's normalised shape. */
import type { Chat } from "../../src/helpcrunch/index.js";
import type { StoredChat } from "../../src/sandbox/index.js";

export const NOW = Date.parse("2026-11-25T12:00:00Z");
export const minutesAgo = (m: number) => NOW - m * 60_000;

export function makeChat(overrides: Partial<Chat> & { id: number }): Chat {
  return {
    status: "opened",
    closedBy: null,
    closedAt: null,
    createdAt: minutesAgo(600),
    lastMessageAt: minutesAgo(30),
    lastCustomerMessageAt: minutesAgo(30),
    snoozedUntil: null,
    rating: null,
    createdWith: "customer_message",
    readByAgent: true,
    readByCustomer: true,
    lastMessageText: "Hello, I need help",
    lastMessageId: 1,
    applicationId: 1,
    lastCommunicatedAgentId: null,
    agents: [],
    customer: { id: 1000 + overrides.id, name: `Customer ${overrides.id}`, email: `c${overrides.id}@example.com`, userId: null },
    assignee: { id: 1, name: "Priya Patel", email: "priya@example.com", role: "agent" },
    department: { id: 1, name: "Billing" },
    ...overrides,
  };
}

/** A stored open chat an agent answered, at `now`, for crafted sandbox queues; override what the test is about. */
export function craftedChat(now: number): Omit<StoredChat, "id" | "status"> {
  const min = 60_000;
  return {
    customerId: 4_000,
    applicationId: 1,
    assigneeId: 1,
    departmentId: 1,
    createdAt: now - 600 * min,
    closedAt: null,
    closedBy: null,
    lastMessageAt: now - 20 * min,
    lastCustomerMessageAt: now - 30 * min,
    lastMessageText: "We are on it",
    lastMessageId: 1,
    snoozedUntil: null,
    rating: null,
    createdWith: "customer_message",
    readByAgent: true,
    readByCustomer: true,
    agentIds: [1],
    lastCommunicatedAgentId: 1,
  };
}
