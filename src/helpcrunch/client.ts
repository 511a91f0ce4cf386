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
import type { CreateChatInput, CreateMessageInput, Executed, PlannedRequest, PreparedWrite, WriteIntent } from "./requests.js";
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
import { WRITABLE_STATUSES, type WritableStatus } from "./status.js";
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

  readonly prepare: WritePreparer = {
    snooze: (chatId, until) => {
      // NaN would serialise as null, which HelpCrunch reads as "unsnooze": refuse instead.
      if (until !== null && !Number.isFinite(until)) throw new Error(`snooze: invalid time ${String(until)}`);
      return this.prepared({ type: "snooze", chatId: id(chatId), until });
    },
    setStatus: (chatId, status) => {
      if (!(WRITABLE_STATUSES as readonly string[]).includes(status)) throw new Error(`setStatus: "${String(status)}" cannot be set`);
      return this.prepared({ type: "status", chatId: id(chatId), status });
    },
    setAssignee: (chatId, agentId) =>
      this.prepared({ type: "assignee", chatId: id(chatId), agentId: agentId === null ? null : id(agentId) }),
    setDepartment: (chatId, departmentId) => this.prepared({ type: "department", chatId: id(chatId), departmentId: id(departmentId) }),
    createChat: (input) => {
      id(input.customer);
      id(input.application);
      if (input.assignee !== undefined) id(input.assignee);
      if (input.department !== undefined) id(input.department);
      return this.prepared({ type: "createChat", input });
    },
    createMessage: (input) => {
      // Without `agent` HelpCrunch posts the text as the customer: refuse rather than impersonate.
      if (input.agent === undefined || input.agent === null || !Number.isInteger(input.agent) || input.agent <= 0) {
        throw new Error("createMessage: agent is required (without it HelpCrunch posts the message as the customer)");
      }
      id(input.chat);
      if (input.type !== "message" && input.type !== "private") throw new Error(`createMessage: type must be "message" or "private"`);
      return this.prepared({ type: "createMessage", input });
    },
    tagCustomer: (customerId, change, names) => {
      const cleaned = [...new Set(names.map((n) => n.trim()).filter(Boolean))];
      if (cleaned.length === 0) throw new Error("tagCustomer: at least one tag name is required");
      return this.prepared({ type: "tags", customerId: id(customerId), change, names: cleaned });
    },
  };

  /**
   * Sends the prepared request. A refusal that a learned fallback can fix (an idempotent PUT only)
   * is retried with the request re-prepared; `sent` says what HelpCrunch accepted.
   */
  async execute<T>(write: PreparedWrite<T>, opts?: CallOptions): Promise<Executed<T>> {
    const { intent } = write;
    const idempotent = intent.type !== "createChat" && intent.type !== "createMessage";
    const schema = intent.type === "createMessage" ? messageSchema : intent.type === "tags" ? customerSchema : chatSchema;
    let request = write.request;
    const tried: PlannedRequest[] = [];
    for (;;) {
      try {
        const result = (await this.http.send({ ...request, idempotent }, schema, opts)) as T;
        this.accepted(intent, request);
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

  /** Convenience for callers that do not show the request: prepare and execute in one step. */
  async snoozeChat(chatId: number, until: number | null, opts?: CallOptions): Promise<Chat> {
    return (await this.execute(this.prepare.snooze(chatId, until), opts)).result;
  }

  async setChatStatus(chatId: number, status: WritableStatus, opts?: CallOptions): Promise<Chat> {
    return (await this.execute(this.prepare.setStatus(chatId, status), opts)).result;
  }

  async createChat(input: CreateChatInput, opts?: CallOptions): Promise<Chat> {
    return (await this.execute(this.prepare.createChat(input), opts)).result;
  }

  async createMessage(input: CreateMessageInput, opts?: CallOptions): Promise<Message> {
    return (await this.execute(this.prepare.createMessage(input), opts)).result;
  }

  async setChatAssignee(chatId: number, agentId: number | null, opts?: CallOptions): Promise<Chat> {
    return (await this.execute(this.prepare.setAssignee(chatId, agentId), opts)).result;
  }

  async setChatDepartment(chatId: number, departmentId: number, opts?: CallOptions): Promise<Chat> {
    return (await this.execute(this.prepare.setDepartment(chatId, departmentId), opts)).result;
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
    return { intent, request: this.requestFor(intent) };
  }

  /** The one place write bodies are built, with the learned dialect applied. Strict: integer ids. */
  private requestFor(intent: WriteIntent, onHold = this.reads.dialect.onHoldSpelling()): PlannedRequest {
    switch (intent.type) {
      case "snooze":
        return {
          method: "PUT",
          path: "/chats/snooze",
          body: { id: intent.chatId, snoozedUntil: this.reads.dialect.snoozedUntil(intent.until) },
        };
      case "status":
        return {
          method: "PUT",
          path: "/chats/status",
          body: { id: intent.chatId, status: intent.status === "onhold" ? onHold : intent.status },
        };
      case "assignee":
        return { method: "PUT", path: "/chats/assignee", body: { id: intent.chatId, assignee: intent.agentId } };
      case "department":
        return { method: "PUT", path: "/chats/department", body: { id: intent.chatId, department: intent.departmentId } };
      case "createChat": {
        const { customer, application, assignee, department } = intent.input;
        const optional = { ...(assignee !== undefined ? { assignee } : {}), ...(department !== undefined ? { department } : {}) };
        return { method: "POST", path: "/chats", body: { customer, application, ...optional } };
      }
      case "createMessage": {
        const { chat, text, agent, type } = intent.input;
        return { method: "POST", path: "/messages", body: { chat, text, agent, type } };
      }
      // PUT adds (an unknown tag is created with HelpCrunch's default colour); DELETE takes a body.
      case "tags":
        return {
          method: intent.change === "add" ? "PUT" : "DELETE",
          path: `/customers/${intent.customerId}/tags`,
          body: { tags: intent.names.map((name) => ({ name })) },
        };
    }
  }

  /**
   * The request to try after `error`, when the refusal is one the dialect knows how to get around:
   * only idempotent PUTs, only 400s that name what was wrong, each form tried once.
   */
  private fallbackAfter(error: unknown, intent: WriteIntent, tried: PlannedRequest[]): PlannedRequest | undefined {
    if (!isHelpCrunchError(error) || error.status !== 400) return undefined;
    const request = tried.at(-1) as PlannedRequest;
    let next: PlannedRequest | undefined;
    if (
      intent.type === "snooze" &&
      intent.until !== null &&
      error.refusesField("snoozedUntil") &&
      this.reads.dialect.snoozeRefused(request.body.snoozedUntil)
    ) {
      next = this.requestFor(intent);
    }
    if (intent.type === "status" && intent.status === "onhold" && error.hasCode("invalid_chat_value")) {
      const spelling = this.reads.dialect.onHoldRefused(new Set(tried.map((r) => String(r.body.status))));
      next = spelling === undefined ? undefined : this.requestFor(intent, spelling);
    }
    const sentBefore = (candidate: PlannedRequest) => tried.some((r) => JSON.stringify(r.body) === JSON.stringify(candidate.body));
    return next && !sentBefore(next) ? next : undefined;
  }

  /** A write that HelpCrunch accepted confirms what was learned. */
  private accepted(intent: WriteIntent, request: PlannedRequest): void {
    if (intent.type === "status" && intent.status === "onhold") this.reads.dialect.onHoldAccepted(String(request.body.status));
  }
}

/** Strict sending: ids are positive integers or the call is a bug. */
function id(value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`invalid id ${String(value)}`);
  return value;
}

/** "snoozedUntil: 1700000000 → \"1700000000\"": the body fields a fallback changed. */
function describeChange(from: PlannedRequest, to: PlannedRequest): string {
  const changed = Object.keys(to.body).filter((k) => JSON.stringify(to.body[k]) !== JSON.stringify(from.body[k]));
  return `sent ${changed.map((k) => `${k} as ${JSON.stringify(to.body[k])}`).join(", ")}`;
}

export function createClient(options: ClientOptions): HelpCrunchClient {
  return new HelpCrunchClient(options);
}
