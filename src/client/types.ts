/**
 * The client's public surface in domain terms. Tools depend on this interface only; they never
 * see URLs, HTTP or raw HelpCrunch JSON.
 */
import type { Agent, Application, Chat, Customer, Department, Message, Page } from "./schemas.js";
import type { ChatStatus, StatusFilterEncoding, WritableStatus } from "./status.js";

export type FilterOperator = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~" | "!~";

/** One `filter[]` entry of POST /chats/search or /customers/search. Date values are UNIX seconds (numbers). */
export interface SearchFilter {
  field: string;
  operator: FilterOperator;
  value: string | number | Array<{ name: string }>;
}

export type ChatSortField = "chats.createdAt" | "chats.lastMessageAt" | "chats.lastCustomerMessageAt" | "chats.closedAt";
export type SortOrder = "asc" | "desc";

export interface ChatSearch {
  /**
   * Statuses to match. One status combines with `filters` (AND). Several statuses are only allowed
   * without other filters (sent as one OR query); otherwise run one search per status.
   * The client encodes them (name or code) and drops returned chats whose status was not asked for.
   */
  statuses?: ChatStatus[];
  /** Other filters, combined with AND. HelpCrunch needs at least one filter in total. */
  filters?: SearchFilter[];
  sort?: ChatSortField;
  order?: SortOrder;
  offset?: number;
  /** 1–100. */
  limit?: number;
}

export interface CustomerSearch {
  filters: SearchFilter[];
  comparison?: "AND" | "OR";
  sort?: "customers.lastSeen" | "customers.firstSeen";
  order?: SortOrder;
  offset?: number;
  limit?: number;
}

export interface ListParams {
  offset?: number;
  limit?: number;
  sort?: ChatSortField;
  order?: SortOrder;
}

export interface CreateChatInput {
  customer: number;
  application: number;
  assignee?: number;
  department?: number;
}

export interface CreateMessageInput {
  chat: number;
  text: string;
  /** Always required: HelpCrunch posts a message without `agent` as the customer. */
  agent: number;
  type: "message" | "private";
}

/** Cancellation from the MCP request, passed down to HTTP. */
export interface CallOptions {
  signal?: AbortSignal;
}

export interface HelpCrunchApi {
  listChats(params?: ListParams, opts?: CallOptions): Promise<Page<Chat>>;
  getChat(chatId: number, opts?: CallOptions): Promise<Chat>;
  searchChats(search: ChatSearch, opts?: CallOptions): Promise<Page<Chat>>;
  /** Never retried automatically: POST /chats is not idempotent. */
  createChat(input: CreateChatInput, opts?: CallOptions): Promise<Chat>;
  /** `until` in epoch milliseconds (sent as integer UNIX seconds); null unsnoozes. */
  snoozeChat(chatId: number, until: number | null, opts?: CallOptions): Promise<Chat>;
  setChatStatus(chatId: number, status: WritableStatus, opts?: CallOptions): Promise<Chat>;
  /** null unassigns. */
  setChatAssignee(chatId: number, agentId: number | null, opts?: CallOptions): Promise<Chat>;
  setChatDepartment(chatId: number, departmentId: number, opts?: CallOptions): Promise<Chat>;
  /** Newest first, as HelpCrunch returns them. */
  listChatMessages(chatId: number, params?: { offset?: number; limit?: number }, opts?: CallOptions): Promise<Page<Message>>;
  /** Never retried automatically: POST /messages is not idempotent. */
  createMessage(input: CreateMessageInput, opts?: CallOptions): Promise<Message>;
  /** All agents (pages through GET /agents). */
  listAgents(opts?: CallOptions): Promise<Agent[]>;
  /** All departments (pages through GET /departments). */
  listDepartments(opts?: CallOptions): Promise<Department[]>;
  listApplications(opts?: CallOptions): Promise<Application[]>;
  getCustomer(customerId: number, opts?: CallOptions): Promise<Customer>;
  searchCustomers(search: CustomerSearch, opts?: CallOptions): Promise<Page<Customer>>;
}

export interface ClientOptions {
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout, default 15000. */
  timeoutMs?: number;
  /** Retries of idempotent calls, default 3. */
  maxRetries?: number;
  /** Requests started per rolling window (sliding-window log, see rate-limiter.ts), default 120. */
  rateLimitPerMinute?: number;
  /** Length of the rolling window, default 60000; tests shorten it to run "120 per second". */
  rateLimitWindowMs?: number;
  /** Requests in flight at once, default 4. */
  maxConcurrency?: number;
  statusFilterEncoding?: StatusFilterEncoding;
  /** Base delay for exponential backoff, default 500 ms (tests lower it). */
  retryBaseDelayMs?: number;
  /** Upper bound for any single retry wait, including Retry-After, default 60000. */
  maxRetryDelayMs?: number;
  /** Called with warnings worth logging (e.g. the status guard dropped chats). Never receives the key. */
  onWarning?: (message: string) => void;
}
