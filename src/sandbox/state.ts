/**
 * The sandbox's stored data, in canonical form: epoch-ms timestamps, canonical status names
 * (`SANDBOX_STATUSES` of statuses.ts), ids as numbers. serialize.ts turns it into HelpCrunch's
 * inconsistent JSON. Tests read and mutate these Maps directly to craft queues, so every field a
 * test might build by hand is plain data and new fields are optional.
 *
 *   agents       Map<agentId, StoredAgent>
 *   departments  Map<departmentId, StoredDepartment>   (agentIds: members)
 *   customers    Map<customerId, StoredCustomer>
 *   applications Map<applicationId, StoredApplication>
 *   chats        Map<chatId, StoredChat>                (insertion order = id order for seeded data)
 *   messages     Map<chatId, StoredMessage[]>           (oldest first; the API serves newest first)
 */
export interface StoredAgent {
  id: number;
  name: string;
  email: string;
  /** agentChatOnly | agent | superviser (sic) | admin */
  role: string;
}

export interface StoredDepartment {
  id: number;
  name: string;
  agentIds: number[];
}

export interface StoredCustomer {
  id: number;
  name: string | null;
  email: string | null;
  userId: string | null;
  company: string | null;
  firstSeen: number;
  lastSeen: number;
  phone?: string | null;
  /** Custom attributes as GET /customers/{id} reads them back: {property: value}. */
  customData?: Record<string, string | number | boolean>;
  /** Tag names, searchable as `tagsData` ([{name}]); their colours are the account's (`tagColors`). */
  tags?: string[];
}

/** GET /organization: whether anyone is online to answer, and whether the chat widget is on. */
export interface StoredOrganization {
  id: number;
  domain: string;
  teamOnline: boolean;
  chatEnabled: boolean;
}

export interface StoredApplication {
  id: number;
  name: string;
  type: string;
}

export interface StoredChat {
  id: number;
  /** Canonical: new, opened, pending, onhold, no communication, closed, empty. */
  status: string;
  customerId: number;
  applicationId: number;
  assigneeId: number | null;
  departmentId: number | null;
  createdAt: number;
  closedAt: number | null;
  closedBy: "agent" | "customer" | null;
  lastMessageAt: number | null;
  lastCustomerMessageAt: number | null;
  lastMessageText: string | null;
  lastMessageId: number | null;
  snoozedUntil: number | null;
  rating: string | null;
  createdWith: string;
  readByAgent: boolean;
  readByCustomer: boolean;
  /** Agents who wrote in the chat (HelpCrunch's `agents[]`), in order of first message. */
  agentIds: number[];
  lastCommunicatedAgentId: number | null;
  /** Last change of any kind; `chats.updatedAt` falls back to lastMessageAt, then createdAt. */
  updatedAt?: number;
}

export interface StoredMessage {
  id: number;
  chatId: number;
  text: string;
  from: "agent" | "customer";
  /** message | private | tech | email | knowledgeBase (HelpCrunch sends more; clients must cope). */
  type: string;
  agentId: number | null;
  createdAt: number;
  read: boolean;
  /** HelpCrunch's broadcastType, e.g. "auto chat" for a bot's suggestion; absent = null. */
  broadcastType?: string;
}

export interface SandboxState {
  agents: Map<number, StoredAgent>;
  departments: Map<number, StoredDepartment>;
  customers: Map<number, StoredCustomer>;
  /** The account's tags: name → colour. PUT /customers/{id}/tags creates an unknown one. */
  tagColors: Map<string, string>;
  organization: StoredOrganization;
  applications: Map<number, StoredApplication>;
  chats: Map<number, StoredChat>;
  /** Per chat, oldest first. */
  messages: Map<number, StoredMessage[]>;
  nextChatId: number;
  nextMessageId: number;
}

export const OPEN_STATUSES: readonly string[] = ["new", "opened", "pending", "onhold"];

/**
 * A Map that counts how often entries were added, replaced or removed, so a cached sort order over
 * it knows when its set of records changed (changes inside a record are caught another way, see
 * sorted-order.ts). Tests may still `set` and `delete` on it as on any Map.
 */
export class TrackedMap<K, V> extends Map<K, V> {
  /** Bumped by every set, delete and clear. */
  version = 0;

  override set(key: K, value: V): this {
    this.version++;
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.version++;
    return super.delete(key);
  }

  override clear(): void {
    this.version++;
    super.clear();
  }
}

/** `chats.updatedAt` as search and sort see it. */
export const chatUpdatedAt = (c: StoredChat): number => c.updatedAt ?? c.lastMessageAt ?? c.createdAt;

type ChatBasics = Pick<StoredChat, "status" | "customerId" | "applicationId" | "assigneeId" | "departmentId" | "createdAt" | "createdWith">;

/** Stores a new chat with no messages yet (the fields messages and closing fill in start empty). */
export function addChat(state: SandboxState, basics: ChatBasics): StoredChat {
  // Spelled out rather than spread: at 100,000 chats a spread's slower path costs seconds.
  const chat: StoredChat = {
    status: basics.status,
    customerId: basics.customerId,
    applicationId: basics.applicationId,
    assigneeId: basics.assigneeId,
    departmentId: basics.departmentId,
    createdAt: basics.createdAt,
    createdWith: basics.createdWith,
    id: state.nextChatId++,
    closedAt: null,
    closedBy: null,
    lastMessageAt: null,
    lastCustomerMessageAt: null,
    lastMessageText: null,
    lastMessageId: null,
    snoozedUntil: null,
    rating: null,
    readByAgent: true,
    readByCustomer: true,
    agentIds: [],
    lastCommunicatedAgentId: null,
    updatedAt: basics.createdAt,
  };
  state.chats.set(chat.id, chat);
  return chat;
}

/** Message types the customer never sees: they leave the chat's "last message" alone. */
const BACKSTAGE_TYPES = new Set(["private", "tech"]);

/**
 * Appends a message and updates the chat the way HelpCrunch does, as far as the docs tell:
 * - customer: lastCustomerMessageAt, unread for agents; an `empty` chat becomes `new` [guess];
 * - agent: unread for the customer, the agent joins agents[] and becomes lastCommunicatedAgent,
 *   and an `empty` or `new` chat becomes `opened` (a reply opens it) [guess for `new`];
 * - both: lastMessageAt/Text/Id.
 * Private notes and system (`tech`) lines change none of that [guess]: the customer never sees them,
 * so a note must not make a waiting customer look answered.
 */
export function addMessage(state: SandboxState, chat: StoredChat, m: Omit<StoredMessage, "id" | "chatId">): StoredMessage {
  const message: StoredMessage = { ...m, id: state.nextMessageId++, chatId: chat.id };
  const list = state.messages.get(chat.id) ?? [];
  list.push(message);
  state.messages.set(chat.id, list);
  applyMessage(chat, message, message.id);
  return message;
}

/**
 * What a message does to its chat (see addMessage), without storing it: a large seeded queue
 * replays its conversations this way and makes the messages themselves only when they are read.
 */
export function applyMessage(chat: StoredChat, message: Omit<StoredMessage, "id" | "chatId">, id: number): void {
  chat.updatedAt = message.createdAt;
  if (BACKSTAGE_TYPES.has(message.type)) return;
  chat.lastMessageAt = message.createdAt;
  chat.lastMessageText = message.text;
  chat.lastMessageId = id;
  if (message.from === "customer") {
    chat.lastCustomerMessageAt = message.createdAt;
    chat.readByAgent = false;
    chat.readByCustomer = true;
    if (chat.status === "empty") chat.status = "new";
    return;
  }
  chat.readByCustomer = false;
  chat.readByAgent = true;
  if (message.agentId !== null) {
    if (!chat.agentIds.includes(message.agentId)) chat.agentIds.push(message.agentId);
    chat.lastCommunicatedAgentId = message.agentId;
  }
  if (chat.status === "empty" || chat.status === "new") chat.status = "opened";
}

/**
 * Sets a status the way PUT /chats/status does. Closing stamps closedAt/closedBy (an agent, since
 * the API acts for the team); reopening clears them [guess].
 */
export function setChatStatus(chat: StoredChat, status: string, now: number): void {
  if (status === "closed" && chat.status !== "closed") {
    chat.closedAt = now;
    chat.closedBy = "agent";
  }
  if (status !== "closed") {
    chat.closedAt = null;
    chat.closedBy = null;
  }
  chat.status = status;
  chat.updatedAt = now;
}

/** PUT /chats/readByAgent true also marks the customer's messages read, as the agent UI does. */
export function markRead(state: SandboxState, chat: StoredChat, side: "readByAgent" | "readByCustomer", read: boolean, now: number): void {
  chat[side] = read;
  chat.updatedAt = now;
  if (!read) return;
  const author = side === "readByAgent" ? "customer" : "agent";
  for (const m of state.messages.get(chat.id) ?? []) if (m.from === author) m.read = true;
}
