/**
 * The client's public surface in domain terms. Tools depend on this interface only; they never
 * see URLs, HTTP or raw HelpCrunch JSON.
 */
import type { RequestBudget } from "./budget.js";
import type { ChatSortField, DialectReport } from "./dialect.js";
import type { RateWindow } from "./rate-limiter.js";
import type { CreateChatInput, CreateMessageInput, Executed, PreparedWrite } from "./requests.js";
import type { Agent, Application, Chat, Customer, Department, Message, Organization, Page } from "./schemas.js";
import type { ChatStatus, StatusFilterSetting, WritableStatus } from "./status.js";

export type { ChatSortField };

export type FilterOperator = "=" | "!=" | ">" | "<" | ">=" | "<=" | "~" | "!~";

/** One `filter[]` entry of POST /chats/search or /customers/search. Date values are UNIX seconds (numbers). */
export interface SearchFilter {
  field: string;
  operator: FilterOperator;
  value: string | number | Array<{ name: string }>;
}

export type SortOrder = "asc" | "desc";

/** Chat order in domain terms. */
export type ChatSort = "lastMessage" | "lastCustomerMessage" | "created";

/** Which chats, in domain terms; the client turns it into as few HelpCrunch requests as it can. */
export interface ChatScope {
  /** Empty or absent = any status. */
  statuses?: ChatStatus[];
  assigneeId?: number;
  /** Chats nobody owns; HelpCrunch cannot filter on it, so the client scans and filters (bounded). */
  unassigned?: boolean;
  departmentId?: number;
  customerId?: number;
  customerEmail?: string;
  /** Epoch ms, exclusive. */
  createdAfter?: number;
  /** Epoch ms, exclusive. */
  createdBefore?: number;
  /** Epoch ms, inclusive: a window [createdSince, createdBefore) counts a chat created exactly at its start. */
  createdSince?: number;
  /** Epoch ms, inclusive. */
  closedSince?: number;
  /** Epoch ms, exclusive. */
  closedBefore?: number;
  /** Epoch ms, inclusive (whole seconds): chats changed in any way since, e.g. for incremental polling. */
  updatedSince?: number;
}

/** How far a scan goes: at most `maxChats` per stream, most recent first by `sort`. */
export interface ScanBound {
  maxChats?: number;
  sort?: ChatSort;
}

export interface ChatQuery extends ChatScope {
  sort?: ChatSort;
  order?: SortOrder;
  offset?: number;
  /**
   * Where each of the query's streams stands (a previous result's `nextPositions`): a deep page of a
   * search that needs one query per status then costs one request per status instead of re-reading
   * every status from offset 0. `offset` still numbers the page.
   */
  positions?: number[];
  /** 1–100. */
  limit?: number;
}

export interface ChatQueryResult {
  chats: Chat[];
  total: number;
  /** False when a client-side filter stopped at the scan bound: `total` is then a lower bound. */
  totalExact: boolean;
  nextOffset: number | null;
  /** Per stream, where the next page starts (see ChatQuery.positions); absent when paging by position is not possible. */
  nextPositions?: number[];
  /** Sentences worth showing the user, e.g. a status whose filter value is not known yet. */
  notes: string[];
}

export interface ChatScan {
  chats: Chat[];
  /** False when the scan stopped early: at its bound, or at the call's request budget. */
  complete: boolean;
  /** True when a stream had more chats in scope than the bound: counts are lower bounds whatever the budget. */
  boundReached: boolean;
  notes: string[];
  /** Requests the scan made, for callers that report their cost. */
  requests: number;
}

export interface QueryHooks extends CallOptions {
  /** Called after every page fetched, e.g. for progress notifications. */
  onPage?: (pagesDone: number) => void;
}

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

/** What one tool call hands every HelpCrunch request it makes: cancellation, a deadline, and who to tell about waits. */
export interface CallOptions {
  signal?: AbortSignal;
  /**
   * Epoch ms by which the call must have answered. A wait (rate limit, Retry-After) that would end
   * past it fails at once with a sentence saying when to retry, instead of outliving the client's timeout.
   */
  deadline?: number;
  /** Told before every wait longer than a moment, e.g. to send progress while the rate limiter holds a request. */
  onWait?: (waitMs: number, reason: string) => void;
  /**
   * Requests this call may still make (retries included); past it a request fails without being sent
   * and chat scans stop with what they fetched (`complete: false`).
   */
  budget?: RequestBudget;
}

/** Writes prepared with what the client knows about the account; `execute` sends exactly them. */
export interface WritePreparer {
  /** `until` in epoch milliseconds; null unsnoozes. */
  snooze(chatId: number, until: number | null): PreparedWrite<Chat>;
  setStatus(chatId: number, status: WritableStatus): PreparedWrite<Chat>;
  /** null unassigns. */
  setAssignee(chatId: number, agentId: number | null): PreparedWrite<Chat>;
  setDepartment(chatId: number, departmentId: number): PreparedWrite<Chat>;
  /** Never retried automatically: POST /chats is not idempotent. */
  createChat(input: CreateChatInput): PreparedWrite<Chat>;
  /** Never retried automatically: POST /messages is not idempotent. */
  createMessage(input: CreateMessageInput): PreparedWrite<Message>;
  /** Adds or removes tags on one customer (names trimmed, duplicates dropped; at least one). */
  tagCustomer(customerId: number, change: "add" | "remove", names: string[]): PreparedWrite<Customer>;
}

/** Per order walked: every chat not read yet has a value at least this (epoch ms), Infinity once all are read. */
export type Frontier = Partial<Record<ChatSort, number>>;

export interface OrderedScanOptions {
  /** The orders to walk, each ascending (oldest first). */
  orders: ChatSort[];
  /** Asked after every round of pages: true once no chat not read yet can matter. */
  enough: (read: Chat[], frontier: Frontier, total: number) => boolean;
  /** Scopes of at most this many chats are read whole (exact counts). */
  readAllUpTo: number;
  /** When an order is not kept, read at most this many chats (a bounded slice, said to be one). */
  maxUnordered: number;
}

export interface OrderedScan {
  chats: Chat[];
  /** Chats in scope, as HelpCrunch counted them (the largest total any stream reported). */
  total: number;
  /** Every chat in scope was read. */
  complete: boolean;
  /** The caller's `enough` held (or everything was read): what it proves is proven. */
  proven: boolean;
  /** False when a page came back out of the order asked for: the chats read are a slice, not the oldest. */
  ordered: boolean;
  frontier: Frontier;
  /** The call's request budget stopped the scan. */
  budgetSpent: boolean;
  requests: number;
  notes: string[];
}

export interface HelpCrunchApi {
  /** One page of chats matching a query, in as few requests as HelpCrunch's search allows. */
  queryChats(query: ChatQuery, hooks?: QueryHooks): Promise<ChatQueryResult>;
  /** Every chat in scope, up to a bound (default 1,000 per stream); `complete` says whether it was reached. */
  scanChats(scope: ChatScope, hooks?: QueryHooks, bound?: ScanBound): Promise<ChatScan>;
  /** Oldest first in each order, until `enough` proves the rest cannot matter (triage's threshold scan). */
  scanOrdered(scope: ChatScope, options: OrderedScanOptions, hooks?: QueryHooks): Promise<OrderedScan>;
  getChat(chatId: number, opts?: CallOptions): Promise<Chat>;
  readonly prepare: WritePreparer;
  execute<T>(write: PreparedWrite<T>, opts?: CallOptions): Promise<Executed<T>>;
  /** Newest first, as HelpCrunch returns them. */
  listChatMessages(chatId: number, params?: { offset?: number; limit?: number }, opts?: CallOptions): Promise<Page<Message>>;
  /** All agents (pages through GET /agents). */
  listAgents(opts?: CallOptions): Promise<Agent[]>;
  /** All departments (pages through GET /departments). */
  listDepartments(opts?: CallOptions): Promise<Department[]>;
  listApplications(opts?: CallOptions): Promise<Application[]>;
  /** Throws NotFoundError (entity "customer") when there is none. */
  getCustomer(customerId: number, opts?: CallOptions): Promise<Customer>;
  findCustomersByUserId(userId: string, limit: number, opts?: CallOptions): Promise<Page<Customer>>;
  getOrganization(opts?: CallOptions): Promise<Organization>;
  /**
   * Customers matching a free query: a HelpCrunch id, an exact email, or a name, email fragment or
   * your product's userId; most recently seen first.
   */
  findCustomers(query: string, limit: number, opts?: CallOptions): Promise<Page<Customer>>;
  /** What the client has learned about this account's API so far. */
  dialect(): DialectReport;
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
  /**
   * Where the rolling window's log lives; default: this process (rateLimitPerMinute and
   * rateLimitWindowMs). Several processes sharing one API key share one in Redis (src/shared-state).
   */
  rateWindow?: RateWindow;
  /** Requests in flight at once, default 4. */
  maxConcurrency?: number;
  /** How status search filters are written; "auto" (default) learns it from the account. */
  statusFilter?: StatusFilterSetting;
  /** Base delay for exponential backoff, default 500 ms (tests lower it). */
  retryBaseDelayMs?: number;
  /** Upper bound for any single retry wait, including Retry-After, default 60000. */
  maxRetryDelayMs?: number;
  /** Called with warnings worth logging (e.g. the status guard dropped chats). Never receives the key. */
  onWarning?: (message: string) => void;
  /** Called once per thing learned about the account's dialect. */
  onInfo?: (message: string) => void;
  /** Sees every HTTP exchange (for `doctor`): method, path, status, latency, headers and parsed body. */
  observe?: ExchangeObserver;
}

export interface Exchange {
  method: string;
  path: string;
  /** 0 when no answer came. */
  status: number;
  ms: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body, undefined when it was not JSON. */
  json: unknown;
}

export type ExchangeObserver = (exchange: Exchange) => void;
