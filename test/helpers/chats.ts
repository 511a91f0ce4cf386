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

/**
 * `count` open chats with a spread of waits, statuses, assignees, unread flags, snoozes (ended and
 * not) and preview texts, deterministic for a `seed`: for tests of the mirror at size.
 */
export function spreadQueue(count: number, seed = 1, firstId = 100_000): Chat[] {
  let state = seed >>> 0 || 1;
  const random = () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  const statuses = ["new", "opened", "pending", "onhold"] as const;
  return Array.from({ length: count }, (_, i) => {
    const id = firstId + i;
    const customerWrote = random() < 0.9 ? NOW - Math.floor(random() * 6_000 * 60_000) : null;
    const answered = customerWrote !== null && random() < 0.4;
    const snooze = random() < 0.1 ? NOW + Math.floor((random() - 0.5) * 600 * 60_000) : null;
    return makeChat({
      id,
      status: statuses[Math.floor(random() * statuses.length)] ?? "opened",
      createdAt: (customerWrote ?? NOW) - Math.floor(random() * 600 * 60_000),
      lastCustomerMessageAt: customerWrote,
      lastMessageAt: answered && customerWrote !== null ? customerWrote + 60_000 : customerWrote,
      lastCommunicatedAgentId: answered ? 7 : null,
      agents: answered ? [{ id: 7, name: "Sam", email: "sam@example.com", role: "agent" }] : [],
      snoozedUntil: snooze,
      readByAgent: random() < 0.7,
      assignee:
        random() < 0.5 ? { id: 1 + Math.floor(random() * 20), name: "Priya Patel", email: "priya@example.com", role: "agent" } : null,
      department: { id: 1 + Math.floor(random() * 5), name: "Billing" },
      lastMessageText: `Order #${id}: the invoice shows the wrong amount and I was charged twice, can someone look? ${"x".repeat(Math.floor(random() * 80))}`,
    });
  });
}
