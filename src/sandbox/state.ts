/**
 * The sandbox's stored data, in canonical form (epoch-ms timestamps, canonical status names).
 * Serialisation to HelpCrunch's mixed JSON encodings happens in serialize.ts. Tests read and
 * mutate these Maps directly to craft queues.
 */
export interface StoredAgent {
  id: number;
  name: string;
  email: string;
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
  agentIds: number[];
  lastCommunicatedAgentId: number | null;
}

export interface StoredMessage {
  id: number;
  chatId: number;
  text: string;
  from: "agent" | "customer";
  /** message | private | tech | email | knowledgeBase */
  type: string;
  agentId: number | null;
  createdAt: number;
  read: boolean;
}

export interface SandboxState {
  agents: Map<number, StoredAgent>;
  departments: Map<number, StoredDepartment>;
  customers: Map<number, StoredCustomer>;
  applications: Map<number, StoredApplication>;
  chats: Map<number, StoredChat>;
  /** Per chat, oldest first. */
  messages: Map<number, StoredMessage[]>;
  nextChatId: number;
  nextMessageId: number;
}

type ChatBasics = Pick<StoredChat, "status" | "customerId" | "applicationId" | "assigneeId" | "departmentId" | "createdAt" | "createdWith">;

/** Stores a new chat with no messages yet (the fields messages and closing fill in start empty). */
export function addChat(state: SandboxState, basics: ChatBasics): StoredChat {
  const chat: StoredChat = {
    ...basics,
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
  };
  state.chats.set(chat.id, chat);
  return chat;
}

/**
 * Appends a message and updates the chat the way HelpCrunch does. Private notes do not move
 * lastMessageAt/lastMessageText [guess]: they are invisible to the customer.
 */
export function addMessage(state: SandboxState, chat: StoredChat, m: Omit<StoredMessage, "id" | "chatId">): StoredMessage {
  const message: StoredMessage = { ...m, id: state.nextMessageId++, chatId: chat.id };
  const list = state.messages.get(chat.id) ?? [];
  list.push(message);
  state.messages.set(chat.id, list);
  if (message.type === "private" || message.type === "tech") return message;
  chat.lastMessageAt = message.createdAt;
  chat.lastMessageText = message.text;
  chat.lastMessageId = message.id;
  if (message.from === "customer") {
    chat.lastCustomerMessageAt = message.createdAt;
    chat.readByAgent = false;
    if (chat.status === "empty") chat.status = "new";
  } else {
    chat.readByCustomer = false;
    if (message.agentId !== null) {
      if (!chat.agentIds.includes(message.agentId)) chat.agentIds.push(message.agentId);
      chat.lastCommunicatedAgentId = message.agentId;
    }
    if (chat.status === "empty" || chat.status === "new") chat.status = "opened";
  }
  return message;
}
