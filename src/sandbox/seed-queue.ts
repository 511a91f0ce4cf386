/**
 * A large open queue in seconds: `openChats` open chats (new, opened, pending, onhold) plus a
 * closed history in STATUS_SHARES' proportions (27 closed, 7 no communication and 5 empty for
 * every 61 open), the spotlight and injection chats first, as the everyday seeder makes them.
 *
 * Same planner, different bookkeeping: every chat is planned from its own random stream (the
 * seed and its place), replayed into the chat's fields without storing the messages, and planned
 * again the first time its messages are read (lazy-messages.ts). So the spread is the everyday
 * one — waits long-tailed up to about four days, opened chats the agent already answered,
 * assignees, unread chats, snoozes some of which are due — at a fraction of the memory. It is not
 * the same data as `chatCount` chats: that seeder draws from one stream for all chats.
 */
import { type ConversationSource, LazyMessages } from "./lazy-messages.js";
import { INJECTION_CUSTOMERS } from "./seed-conversations.js";
import {
  type ChatPlan,
  type Chooser,
  chatOf,
  chooser,
  customerCount,
  emptyState,
  FIRST_CHAT_ID,
  finishChat,
  injectionPlan,
  markUnreadTail,
  namedCustomers,
  ordinaryPlan,
  plannedMessages,
  prng,
  SPOTLIGHT_SCRIPTS,
  STATUS_SHARES,
  seedCustomers,
  spotlightPlan,
} from "./seed-data.js";
import { applyMessage, OPEN_STATUSES, type SandboxState, type StoredMessage } from "./state.js";

export interface OpenQueueOptions {
  seed: number;
  /** Open chats to make, spotlight and injection chats included. */
  openChats: number;
  now: number;
}

export function seedOpenQueue({ seed, openChats, now }: OpenQueueOptions): SandboxState {
  const c = chooser(prng(seed));
  const spotlights = Math.min(SPOTLIGHT_SCRIPTS.length, openChats);
  const specials = Math.min(spotlights + INJECTION_CUSTOMERS.length, openChats);
  const statuses = queueStatuses(c, openChats - specials);
  const count = specials + statuses.length;
  const customers = seedCustomers(c, customerCount(count), now);
  const named = namedCustomers(customers);

  /** Chat number `k` of the plan order, from its own stream: the same plan every time it is asked for. */
  const planAt = (k: number): ChatPlan => {
    const own = chooser(prng(chatSeed(seed, k)));
    if (k < spotlights) return spotlightPlan(own, k, named, now);
    if (k < specials) return injectionPlan(own, k - spotlights, now);
    const i = k - specials;
    const status = statuses[i] as string;
    // About one chat in 400 carries a multi-KB pasted log, as with the everyday seeder.
    const withLongLog = status !== "empty" && status !== "new" && i % 400 === 3;
    return ordinaryPlan(own, status, i, { customers, withLongLog, now, tally: { ratings: i % 9 } });
  };

  // HelpCrunch's ids grow with time: chat ids follow createdAt, message ids follow chat ids.
  const createdAt = new Float64Array(count);
  for (let k = 0; k < count; k++) createdAt[k] = planAt(k).createdAt;
  const planOf = new Uint32Array(count).map((_, k) => k).sort((a, b) => (createdAt[a] as number) - (createdAt[b] as number) || a - b);
  const firstMessageId = new Uint32Array(count);

  const source: ConversationSource = {
    count,
    position: (chatId) => (chatId >= FIRST_CHAT_ID && chatId < FIRST_CHAT_ID + count ? chatId - FIRST_CHAT_ID : -1),
    chatId: (position) => FIRST_CHAT_ID + position,
    messagesAt: (position) => {
      const plan = planAt(planOf[position] as number);
      const first = firstMessageId[position] as number;
      const messages: StoredMessage[] = plannedMessages(plan).map((m, i) => ({ ...m, id: first + i, chatId: FIRST_CHAT_ID + position }));
      if (!plan.readByAgent) markUnreadTail(messages);
      return messages;
    },
  };
  const state = emptyState(new LazyMessages(source));
  for (const customer of customers) state.customers.set(customer.id, customer);
  planOf.forEach((k, position) => {
    const plan = planAt(k);
    const chat = chatOf(state, plan);
    firstMessageId[position] = state.nextMessageId;
    for (const message of plannedMessages(plan)) applyMessage(chat, message, state.nextMessageId++);
    finishChat(state, chat, plan, now);
  });
  return state;
}

/**
 * `open` ordinary open chats in STATUS_SHARES' open proportions (rounding goes to `opened`), plus
 * the closed ones in proportion to them, in a seeded order.
 */
function queueStatuses(c: Chooser, open: number): string[] {
  const openShare = OPEN_STATUSES.reduce((sum, s) => sum + (STATUS_SHARES[s] ?? 0), 0);
  const list: string[] = [];
  for (const [status, share] of Object.entries(STATUS_SHARES)) {
    const n = Math.floor((open * share) / openShare);
    for (let i = 0; i < n; i++) list.push(status);
  }
  const openSoFar = list.filter((s) => OPEN_STATUSES.includes(s)).length;
  for (let i = openSoFar; i < open; i++) list.push("opened");
  return c.shuffle(list);
}

/** A well-mixed 32-bit seed per chat (murmur3's finaliser), so neighbouring chats draw unrelated streams. */
function chatSeed(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(k + 1, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
