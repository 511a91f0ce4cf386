/**
 * HelpCrunchClient: the API in domain terms. It knows every endpoint, body shape and quirk;
 * HTTP mechanics live in http.ts, the account's learned dialect in dialect.ts, chat queries in
 * chat-query.ts, prepared writes in requests.ts.
 * The API contract it relies on, with its open questions: docs/helpcrunch-api.md; where HelpCrunch's
 * docs disagree and how the client learns the account's answer: docs/helpcrunch-dialect.md.
 */
import type { z } from "zod";
import { type ChatSource, queryChats, scanChats } from "./chat-query.js";
import { type ChatSortField, Dialect, type DialectReport } from "./dialect.js";
import { isHelpCrunchError, isNotFound } from "./errors.js";
import { HttpTransport, type RequestSpec } from "./http-transport.js";
import { collectAll, MAX_PAGE_SIZE } from "./paginate.js";
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
  type Page,
} from "./schemas.js";
import { type ChatStatus, isKnownStatus, WRITABLE_STATUSES, type WritableStatus } from "./status.js";
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
  QueryHooks,
  ScanBound,
  SearchFilter,
  WritePreparer,
} from "./types.js";

const chatList = listEnvelope(chatSchema);
const messageList = listEnvelope(messageSchema);
const agentList = listEnvelope(agentSchema);
const departmentList = listEnvelope(departmentSchema);
const applicationList = listEnvelope(applicationSchema);
const customerList = listEnvelope(customerSchema);

/** HelpCrunch caps pages at 100; a NaN or fractional limit must not reach it. */
const clampLimit = (limit: number | undefined) =>
  Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number.isFinite(limit) ? (limit as number) : MAX_PAGE_SIZE)));
const clampOffset = (offset: number | undefined) => Math.max(0, Math.floor(Number.isFinite(offset) ? (offset as number) : 0));

export class HelpCrunchClient implements HelpCrunchApi, ChatSource {
  private readonly http: HttpTransport;
  private readonly learned: Dialect;
  private readonly warn: (message: string) => void;
  private warnedAboutGuard = false;
  /** Request lines already warned about returning more items than asked (once each, not per page). */
  private readonly overLimitWarned = new Set<string>();

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
    this.learned = new Dialect(options.statusFilter ?? "auto", options.onInfo ?? (() => {}));
    this.warn = options.onWarning ?? (() => {});
  }

  queryChats(query: ChatQuery, hooks?: QueryHooks): Promise<ChatQueryResult> {
    return queryChats(this, query, hooks);
  }

  scanChats(scope: ChatScope, hooks?: QueryHooks, bound?: ScanBound): Promise<ChatScan> {
    return scanChats(this, scope, hooks, bound);
  }

  dialect(): DialectReport {
    return this.learned.report();
  }

  async filterStatuses(statuses: ChatStatus[]): Promise<{ known: ChatStatus[]; missing: ChatStatus[] }> {
    const { missing } = await this.learned.statusFilterValues(statuses, this.probes);
    return { known: statuses.filter((s) => !missing.includes(s)), missing };
  }

  searchSort(requested: ChatSortField): ChatSortField {
    return this.learned.searchSort(requested);
  }

  /** Read-only requests the dialect learns from; never guarded, never retried into a fallback. */
  private readonly probes = {
    sample: async () => (await this.listChats({ limit: MAX_PAGE_SIZE, sort: "chats.lastMessageAt", order: "desc" })).data,
    searchStatus: async (value: string) => {
      const body = {
        filter: [{ field: "chats.status", operator: "=", value }],
        comparison: "AND",
        sort: "chats.createdAt",
        order: "desc",
        offset: 0,
        limit: 10,
      };
      return (await this.page({ method: "POST", path: "/chats/search", body, idempotent: true }, chatList)).data;
    },
  };

  async listChats(params: ListParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    const query = { offset: clampOffset(params.offset), limit: clampLimit(params.limit), sort: params.sort, order: params.order };
    return this.page({ method: "GET", path: "/chats", query, idempotent: true }, chatList, opts);
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
    const others = search.filters ?? [];
    // HelpCrunch has one level of AND/OR: "(a OR b) AND c" cannot be expressed in one request.
    if (statuses.length > 1 && others.length > 0)
      throw new Error("searchChats: several statuses cannot be combined with other filters; run one search per status");
    const { values } = await this.learned.statusFilterValues(statuses, this.probes);
    const statusFilters: SearchFilter[] = values.map((value) => ({ field: "chats.status", operator: "=", value }));
    const filter = [...statusFilters, ...others];
    if (statuses.length > 0 && values.length === 0) return { data: [], total: 0, rawCount: 0 };
    if (filter.length === 0) throw new Error("searchChats: HelpCrunch needs at least one filter; use listChats for everything");
    const requested = search.sort ?? "chats.lastMessageAt";
    const body = (sort: ChatSortField) => ({
      filter,
      comparison: statusFilters.length > 1 ? "OR" : "AND",
      sort,
      order: search.order ?? "desc",
      offset: clampOffset(search.offset),
      limit: clampLimit(search.limit),
    });
    const send = (sort: ChatSortField) =>
      this.page({ method: "POST", path: "/chats/search", body: body(sort), idempotent: true }, chatList, opts);
    const sort = this.learned.searchSort(requested);
    const page = await send(sort).catch((error: unknown) => {
      const fallback = isHelpCrunchError(error) && error.refusesField("sort") ? this.learned.sortRefused(sort) : undefined;
      if (fallback === undefined) throw error;
      return send(fallback);
    });
    return statuses.length > 0 ? this.guardStatuses(page, statuses) : page;
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
  };

  /**
   * Sends the prepared request. A refusal that a learned fallback can fix (an idempotent PUT only)
   * is retried with the request re-prepared; `sent` says what HelpCrunch accepted.
   */
  async execute<T>(write: PreparedWrite<T>, opts?: CallOptions): Promise<Executed<T>> {
    const { intent } = write;
    const idempotent = intent.type !== "createChat" && intent.type !== "createMessage";
    const schema = intent.type === "createMessage" ? messageSchema : chatSchema;
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
    return this.page({ method: "GET", path: `/chats/${id(chatId)}/messages`, query, idempotent: true }, messageList, opts);
  }

  async listAgents(opts?: CallOptions): Promise<Agent[]> {
    return collectAll((offset, limit) =>
      this.page({ method: "GET", path: "/agents", query: { offset, limit }, idempotent: true }, agentList, opts),
    );
  }

  async listDepartments(opts?: CallOptions): Promise<Department[]> {
    return collectAll((offset, limit) =>
      this.page({ method: "GET", path: "/departments", query: { offset, limit }, idempotent: true }, departmentList, opts),
    );
  }

  /** GET /applications is known from third-party code only; accounts have a handful, so one page. */
  async listApplications(opts?: CallOptions): Promise<Application[]> {
    const page = await this.page({ method: "GET", path: "/applications", idempotent: true }, applicationList, opts);
    return page.data;
  }

  async getCustomer(customerId: number, opts?: CallOptions): Promise<Customer> {
    return this.http.send({ method: "GET", path: `/customers/${id(customerId)}`, idempotent: true }, customerSchema, opts);
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
    return this.page({ method: "POST", path: "/customers/search", body, idempotent: true }, customerList, opts);
  }

  /** Closes the keep-alive connections; calls after this fail. */
  close(): Promise<void> {
    return this.http.close();
  }

  private async page<T>(
    spec: RequestSpec,
    schema: z.ZodType<{ data: T[]; total: number; totalReported: boolean }>,
    opts?: CallOptions,
  ): Promise<Page<T>> {
    const { data, total, totalReported } = await this.http.send(spec, schema, opts);
    // Never more than asked for: an API that ignores `limit` must not flood the model's context.
    const asked = Number(spec.query?.limit ?? (spec.body as { limit?: number } | undefined)?.limit ?? MAX_PAGE_SIZE);
    if (data.length <= asked) return { data, total, rawCount: data.length, totalReported };
    const line = `${spec.method} ${spec.path}`;
    if (!this.overLimitWarned.has(line))
      this.warn(`HelpCrunch returned ${data.length} items to ${line} with limit ${asked}; only the first ${asked} were used.`);
    this.overLimitWarned.add(line);
    return { data: data.slice(0, asked), total, rawCount: asked, totalReported };
  }

  private prepared<T>(intent: WriteIntent): PreparedWrite<T> {
    return { intent, request: this.requestFor(intent) };
  }

  /** The one place write bodies are built, with the learned dialect applied. Strict: integer ids. */
  private requestFor(intent: WriteIntent, onHold = this.learned.onHoldSpelling()): PlannedRequest {
    switch (intent.type) {
      case "snooze":
        return { method: "PUT", path: "/chats/snooze", body: { id: intent.chatId, snoozedUntil: this.learned.snoozedUntil(intent.until) } };
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
      this.learned.snoozeRefused(request.body.snoozedUntil)
    ) {
      next = this.requestFor(intent);
    }
    if (intent.type === "status" && intent.status === "onhold" && error.hasCode("invalid_chat_value")) {
      const spelling = this.learned.onHoldRefused(new Set(tried.map((r) => String(r.body.status))));
      next = spelling === undefined ? undefined : this.requestFor(intent, spelling);
    }
    const sentBefore = (candidate: PlannedRequest) => tried.some((r) => JSON.stringify(r.body) === JSON.stringify(candidate.body));
    return next && !sentBefore(next) ? next : undefined;
  }

  /** A write that HelpCrunch accepted confirms what was learned. */
  private accepted(intent: WriteIntent, request: PlannedRequest): void {
    if (intent.type === "status" && intent.status === "onhold") this.learned.onHoldAccepted(String(request.body.status));
  }

  /**
   * A wrong guess about status encoding must give fewer results, never wrong ones: drop chats
   * whose status was not asked for, and say once per client that the encoding may be wrong.
   */
  private guardStatuses(page: Page<Chat>, statuses: ChatStatus[]): Page<Chat> {
    const kept = page.data.filter((c) => isKnownStatus(c.status) && statuses.includes(c.status));
    if (kept.length < page.data.length && !this.warnedAboutGuard) {
      this.warnedAboutGuard = true;
      this.warn(
        `HelpCrunch returned chats with other statuses than asked for (${statuses.join(", ")}); they were dropped. Run \`helpcrunch-mcp doctor\` to see which status filter this account takes.`,
      );
    }
    return { ...page, data: kept };
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
