/**
 * HelpCrunchClient: the API in domain terms. It knows every endpoint, body shape and quirk;
 * HTTP mechanics live in http-transport.ts (pages in pager.ts), the account's learned dialect in
 * dialect.ts, chat lists and searches with it in chat-reads.ts, chat queries built on those in
 * chat-query.ts, prepared writes in requests.ts.
 * The API contract it relies on, with its open questions: docs/helpcrunch-api.md; where HelpCrunch's
 * docs disagree and how the client learns the account's answer: docs/helpcrunch-dialect.md.
 */
import { queryChats, scanChats } from "./chat-query.js";
import { ChatReads, checkSearch } from "./chat-reads.js";
import type { DialectReport } from "./dialect.js";
import { isHelpCrunchError, isNotFound } from "./errors.js";
import { HttpTransport } from "./http-transport.js";
import { scanOrdered } from "./ordered-scan.js";
import { clampLimit, clampOffset, Pager } from "./pager.js";
import { collectAll } from "./paginate.js";
import { RateLimiter } from "./rate-limiter.js";
import type { Executed, PlannedRequest, PreparedWrite, WriteIntent } from "./requests.js";
import {
  type Agent,
  type Application,
  agentSchema,
  applicationSchema,
  type Chat,
  type Customer,
  chatSchema,
  customerSchema,
  type Department,
  departmentSchema,
  listEnvelope,
  type Message,
  messageSchema,
  type Organization,
  organizationEnvelope,
  type Page,
} from "./schemas.js";
import type {
  CallOptions,
  ChatQuery,
  ChatQueryResult,
  ChatScan,
  ChatScope,
  ChatSearch,
  ClientOptions,
  CustomerSearch,
  HelpCrunchApi,
  ListParams,
  OrderedScan,
  OrderedScanOptions,
  QueryHooks,
  ScanBound,
  WritePreparer,
} from "./types.js";
import { id, writeKind } from "./writes.js";

const messageList = listEnvelope(messageSchema);
const agentList = listEnvelope(agentSchema);
const departmentList = listEnvelope(departmentSchema);
const applicationList = listEnvelope(applicationSchema);
const customerList = listEnvelope(customerSchema);

export class HelpCrunchClient implements HelpCrunchApi {
  private readonly http: HttpTransport;
  private readonly pager: Pager;
  /** Chat lists and searches, with the learned dialect: what chat queries are built on. */
  private readonly reads: ChatReads;
  private readonly warn: (message: string) => void;

  constructor(options: ClientOptions) {
    const maxConcurrency = options.maxConcurrency ?? 4;
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      limiter: new RateLimiter(
        options.rateLimitPerMinute ?? 120,
        options.rateLimitWindowMs ?? 60_000,
        maxConcurrency,
        undefined,
        options.rateWindow,
      ),
      connections: maxConcurrency,
      userAgent: "helpcrunch-mcp",
      observe: options.observe,
      onDegraded: (line, problems) =>
        this.warn(
          `HelpCrunch's answer to ${line} had ${problems.length} unreadable field(s), shown as unknown (${problems[0]}${problems.length > 1 ? ", …" : ""}).`,
        ),
    });
    this.warn = options.onWarning ?? (() => {});
    this.pager = new Pager(this.http, (message) => this.warn(message));
    this.reads = new ChatReads(this.pager, options.statusFilter ?? "auto", options.onInfo ?? (() => {}), (message) => this.warn(message));
  }

  queryChats(query: ChatQuery, hooks?: QueryHooks): Promise<ChatQueryResult> {
    return queryChats(this.reads, query, hooks);
  }

  scanChats(scope: ChatScope, hooks?: QueryHooks, bound?: ScanBound): Promise<ChatScan> {
    return scanChats(this.reads, scope, hooks, bound);
  }

  scanOrdered(scope: ChatScope, options: OrderedScanOptions, hooks?: QueryHooks): Promise<OrderedScan> {
    return scanOrdered(this.reads, scope, options, hooks);
  }

  dialect(): DialectReport {
    return this.reads.dialect.report();
  }

  listChats(params: ListParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    return this.reads.listChats(params, opts);
  }

  async getChat(chatId: number, opts?: CallOptions): Promise<Chat> {
    return this.http.send({ method: "GET", path: `/chats/${id(chatId)}`, idempotent: true }, chatSchema, opts);
  }

  /**
   * POST /chats/search. Statuses are written in the account's dialect (learned on first use) and
   * statuses without a known value are left out; returned chats of other statuses are dropped.
   */
  async searchChats(search: ChatSearch, opts?: CallOptions): Promise<Page<Chat>> {
    const statuses = [...new Set(search.statuses ?? [])];
    checkSearch(statuses, search.filters ?? []);
    const { values } = await this.reads.resolveStatuses(statuses, opts);
    return this.reads.search({ ...search, statuses, values }, opts);
  }

  /** Typed constructors of the write intents; what each means to HelpCrunch is its entry in WRITES. */
  readonly prepare: WritePreparer = {
    snooze: (chatId, until) => this.prepared({ type: "snooze", chatId, until }),
    setStatus: (chatId, status) => this.prepared({ type: "status", chatId, status }),
    setAssignee: (chatId, agentId) => this.prepared({ type: "assignee", chatId, agentId }),
    setDepartment: (chatId, departmentId) => this.prepared({ type: "department", chatId, departmentId }),
    createChat: (input) => this.prepared({ type: "createChat", input }),
    createMessage: (input) => this.prepared({ type: "createMessage", input }),
    tagCustomer: (customerId, change, names) =>
      this.prepared({ type: "tags", customerId, change, names: [...new Set(names.map((n) => n.trim()).filter(Boolean))] }),
  };

  /**
   * Sends the prepared request. A refusal that a learned fallback can fix (an idempotent PUT only)
   * is retried with the request re-prepared; `sent` says what HelpCrunch accepted.
   */
  async execute<T>(write: PreparedWrite<T>, opts?: CallOptions): Promise<Executed<T>> {
    const { intent } = write;
    const kind = writeKind(intent);
    let request = write.request;
    const tried: PlannedRequest[] = [];
    for (;;) {
      try {
        const result = (await this.http.send({ ...request, idempotent: kind.idempotent }, kind.result, opts)) as T;
        kind.accepted?.(intent, request, this.reads.dialect);
        const fallback =
          request === write.request ? undefined : `${describeChange(write.request, request)} after HelpCrunch refused the first form`;
        return { result, sent: request, ...(fallback ? { fallback } : {}) };
      } catch (error) {
        tried.push(request);
        const next = this.fallbackAfter(error, intent, tried);
        if (!next) throw error;
        request = next;
      }
    }
  }

  async listChatMessages(chatId: number, params: { offset?: number; limit?: number } = {}, opts?: CallOptions): Promise<Page<Message>> {
    const query = { offset: clampOffset(params.offset), limit: clampLimit(params.limit) };
    return this.pager.page({ method: "GET", path: `/chats/${id(chatId)}/messages`, query, idempotent: true }, messageList, opts);
  }

  async listAgents(opts?: CallOptions): Promise<Agent[]> {
    return collectAll((offset, limit) =>
      this.pager.page({ method: "GET", path: "/agents", query: { offset, limit }, idempotent: true }, agentList, opts),
    );
  }

  async listDepartments(opts?: CallOptions): Promise<Department[]> {
    return collectAll((offset, limit) =>
      this.pager.page({ method: "GET", path: "/departments", query: { offset, limit }, idempotent: true }, departmentList, opts),
    );
  }

  /** GET /applications is known from third-party code only; accounts have a handful, so one page. */
  async listApplications(opts?: CallOptions): Promise<Application[]> {
    const page = await this.pager.page({ method: "GET", path: "/applications", idempotent: true }, applicationList, opts);
    return page.data;
  }

  async getCustomer(customerId: number, opts?: CallOptions): Promise<Customer> {
    return this.http.send({ method: "GET", path: `/customers/${id(customerId)}`, idempotent: true }, customerSchema, opts);
  }

  /** The customers your product knows by `userId` (HelpCrunch does not promise it is unique). */
  async findCustomersByUserId(userId: string, limit: number, opts?: CallOptions): Promise<Page<Customer>> {
    const filters = [{ field: "customers.userId", operator: "=" as const, value: userId }];
    return this.searchCustomers({ filters, sort: "customers.lastSeen", order: "desc", limit }, opts);
  }

  /** GET /organization: whether an agent is online and whether the chat widget is on. */
  async getOrganization(opts?: CallOptions): Promise<Organization> {
    return (await this.http.send({ method: "GET", path: "/organization", idempotent: true }, organizationEnvelope, opts)).data;
  }

  async findCustomers(query: string, limit: number, opts?: CallOptions): Promise<Page<Customer>> {
    // A numeric query is tried as an id first; if no such customer exists it is searched as a userId.
    if (/^\d+$/.test(query)) {
      const byId = await this.getCustomer(Number(query), opts).catch((e: unknown) => {
        if (isNotFound(e)) return undefined;
        throw e;
      });
      if (byId) return { data: [byId], total: 1, rawCount: 1 };
    }
    const isEmail = /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(query);
    const search: CustomerSearch = isEmail
      ? { filters: [{ field: "customers.email", operator: "=", value: query }] }
      : {
          filters: [
            { field: "customers.name", operator: "~", value: query },
            { field: "customers.email", operator: "~", value: query },
            { field: "customers.userId", operator: "=", value: query },
          ],
          comparison: "OR",
        };
    return this.searchCustomers({ ...search, sort: "customers.lastSeen", order: "desc", limit }, opts);
  }

  async searchCustomers(search: CustomerSearch, opts?: CallOptions): Promise<Page<Customer>> {
    if (search.filters.length === 0) throw new Error("searchCustomers: at least one filter is required");
    const body = {
      filter: search.filters,
      comparison: search.comparison ?? "AND",
      sort: search.sort ?? "customers.lastSeen",
      order: search.order ?? "desc",
      offset: clampOffset(search.offset),
      limit: clampLimit(search.limit),
    };
    return this.pager.page({ method: "POST", path: "/customers/search", body, idempotent: true }, customerList, opts);
  }

  /** Closes the keep-alive connections; calls after this fail. */
  close(): Promise<void> {
    return this.http.close();
  }

  private prepared<T>(intent: WriteIntent): PreparedWrite<T> {
    const kind = writeKind(intent);
    kind.check(intent);
    return { intent, request: kind.request(intent, this.reads.dialect) };
  }

  /**
   * The request to try after `error`, when the refusal is one the dialect knows how to get around:
   * only 400s that name what was wrong, each form tried once.
   */
  private fallbackAfter(error: unknown, intent: WriteIntent, tried: PlannedRequest[]): PlannedRequest | undefined {
    if (!isHelpCrunchError(error) || error.status !== 400) return undefined;
    const next = writeKind(intent).fallback?.(intent, error, tried, this.reads.dialect);
    const sentBefore = (candidate: PlannedRequest) => tried.some((r) => JSON.stringify(r.body) === JSON.stringify(candidate.body));
    return next && !sentBefore(next) ? next : undefined;
  }
}

/** "snoozedUntil: 1700000000 → \"1700000000\"": the body fields a fallback changed. */
function describeChange(from: PlannedRequest, to: PlannedRequest): string {
  const changed = Object.keys(to.body).filter((k) => JSON.stringify(to.body[k]) !== JSON.stringify(from.body[k]));
  return `sent ${changed.map((k) => `${k} as ${JSON.stringify(to.body[k])}`).join(", ")}`;
}

export function createClient(options: ClientOptions): HelpCrunchClient {
  return new HelpCrunchClient(options);
}
