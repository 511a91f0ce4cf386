/**
 * HelpCrunchClient: the API in domain terms. It knows every endpoint, body shape and quirk;
 * HTTP mechanics live in http.ts, status spelling in status.ts, write bodies in requests.ts.
 */
import type { z } from "zod";
import { HttpTransport, type RequestSpec } from "./http.js";
import { collectAll } from "./paginate.js";
import { RateLimiter } from "./rate-limiter.js";
import { writeRequests, type PlannedRequest } from "./requests.js";
import {
  type Agent,
  type Application,
  type Chat,
  type Customer,
  type Department,
  type Message,
  type Page,
  agentSchema,
  applicationSchema,
  chatSchema,
  customerSchema,
  departmentSchema,
  listEnvelope,
  messageSchema,
} from "./schemas.js";
import { type ChatStatus, encodeStatusFilter, isKnownStatus, statusWriteSpellings, type WritableStatus } from "./status.js";
import type {
  CallOptions,
  ChatSearch,
  ClientOptions,
  CreateChatInput,
  CreateMessageInput,
  CustomerSearch,
  HelpCrunchApi,
  ListParams,
  SearchFilter,
} from "./types.js";
import { isHelpCrunchError } from "./errors.js";

const chatList = listEnvelope(chatSchema);
const clampLimit = (limit: number | undefined) => Math.min(100, Math.max(1, Math.floor(limit ?? 100)));

export class HelpCrunchClient implements HelpCrunchApi {
  private readonly http: HttpTransport;
  private readonly encoding: "name" | "code";
  private readonly warn: (message: string) => void;
  private warnedAboutGuard = false;
  /** The on-hold spelling HelpCrunch accepted last, tried first next time. */
  private onHoldSpelling?: string;

  constructor(options: ClientOptions) {
    const perWindow = options.rateLimitPerMinute ?? 120;
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      limiter: new RateLimiter(perWindow, options.rateLimitWindowMs ?? 60_000, options.maxConcurrency ?? 4),
      userAgent: "helpcrunch-mcp",
    });
    this.encoding = options.statusFilterEncoding ?? "name";
    this.warn = options.onWarning ?? (() => {});
  }

  listChats(params: ListParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    return this.page(
      { method: "GET", path: "/chats", query: { offset: params.offset ?? 0, limit: clampLimit(params.limit), sort: params.sort, order: params.order }, idempotent: true },
      chatList,
      opts,
    );
  }

  getChat(chatId: number, opts?: CallOptions): Promise<Chat> {
    return this.http.send({ method: "GET", path: `/chats/${id(chatId)}`, idempotent: true }, chatSchema, opts?.signal);
  }

  async searchChats(search: ChatSearch, opts?: CallOptions): Promise<Page<Chat>> {
    const statuses = search.statuses ?? [];
    const others = search.filters ?? [];
    if (statuses.length > 1 && others.length > 0) throw new Error("searchChats: several statuses cannot be combined with other filters; run one search per status");
    const statusFilters: SearchFilter[] = statuses.map((s) => ({ field: "chats.status", operator: "=", value: encodeStatusFilter(s, this.encoding) }));
    const filter = [...statusFilters, ...others];
    if (filter.length === 0) throw new Error("searchChats: HelpCrunch needs at least one filter; use listChats for everything");
    const body = {
      filter,
      comparison: statuses.length > 1 ? "OR" : "AND",
      sort: search.sort ?? "chats.lastMessageAt",
      order: search.order ?? "desc",
      offset: search.offset ?? 0,
      limit: clampLimit(search.limit),
    };
    const page = await this.page({ method: "POST", path: "/chats/search", body, idempotent: true }, chatList, opts);
    return statuses.length > 0 ? this.guardStatuses(page, statuses) : page;
  }

  createChat(input: CreateChatInput, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.createChat(input), chatSchema, false, opts);
  }

  snoozeChat(chatId: number, until: number | null, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.snooze(id(chatId), until), chatSchema, true, opts);
  }

  async setChatStatus(chatId: number, status: WritableStatus, opts?: CallOptions): Promise<Chat> {
    const spellings = statusWriteSpellings(status, status === "onhold" ? this.onHoldSpelling : undefined);
    for (const [i, spelling] of spellings.entries()) {
      try {
        const chat = await this.write(writeRequests.status(id(chatId), spelling), chatSchema, true, opts);
        if (status === "onhold") this.onHoldSpelling = spelling;
        return chat;
      } catch (error) {
        // Only on-hold has contested spellings; any other refusal is final.
        const refusedSpelling = isHelpCrunchError(error) && error.status === 400 && error.hasCode("invalid_chat_value");
        if (!refusedSpelling || i === spellings.length - 1) throw error;
      }
    }
    throw new Error("unreachable");
  }

  setChatAssignee(chatId: number, agentId: number | null, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.assignee(id(chatId), agentId === null ? null : id(agentId)), chatSchema, true, opts);
  }

  setChatDepartment(chatId: number, departmentId: number, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.department(id(chatId), id(departmentId)), chatSchema, true, opts);
  }

  listChatMessages(chatId: number, params: { offset?: number; limit?: number } = {}, opts?: CallOptions): Promise<Page<Message>> {
    return this.page(
      { method: "GET", path: `/chats/${id(chatId)}/messages`, query: { offset: params.offset ?? 0, limit: clampLimit(params.limit) }, idempotent: true },
      listEnvelope(messageSchema),
      opts,
    );
  }

  createMessage(input: CreateMessageInput, opts?: CallOptions): Promise<Message> {
    // Without `agent` HelpCrunch posts the text as the customer: refuse rather than impersonate.
    if (!Number.isInteger(input.agent)) throw new Error("createMessage: agent is required");
    return this.write(writeRequests.createMessage(input), messageSchema, false, opts);
  }

  listAgents(opts?: CallOptions): Promise<Agent[]> {
    return collectAll((offset, limit) => this.page({ method: "GET", path: "/agents", query: { offset, limit }, idempotent: true }, listEnvelope(agentSchema), opts));
  }

  listDepartments(opts?: CallOptions): Promise<Department[]> {
    return collectAll((offset, limit) =>
      this.page({ method: "GET", path: "/departments", query: { offset, limit }, idempotent: true }, listEnvelope(departmentSchema), opts),
    );
  }

  async listApplications(opts?: CallOptions): Promise<Application[]> {
    const page = await this.page({ method: "GET", path: "/applications", idempotent: true }, listEnvelope(applicationSchema), opts);
    return page.data;
  }

  getCustomer(customerId: number, opts?: CallOptions): Promise<Customer> {
    return this.http.send({ method: "GET", path: `/customers/${id(customerId)}`, idempotent: true }, customerSchema, opts?.signal);
  }

  searchCustomers(search: CustomerSearch, opts?: CallOptions): Promise<Page<Customer>> {
    if (search.filters.length === 0) throw new Error("searchCustomers: at least one filter is required");
    const body = {
      filter: search.filters,
      comparison: search.comparison ?? "AND",
      sort: search.sort ?? "customers.lastSeen",
      order: search.order ?? "desc",
      offset: search.offset ?? 0,
      limit: clampLimit(search.limit),
    };
    return this.page({ method: "POST", path: "/customers/search", body, idempotent: true }, listEnvelope(customerSchema), opts);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private async page<T>(spec: RequestSpec, schema: z.ZodType<{ data: T[]; total: number }>, opts?: CallOptions): Promise<Page<T>> {
    const { data, total } = await this.http.send(spec, schema, opts?.signal);
    return { data, total, rawCount: data.length };
  }

  private write<S extends z.ZodType>(request: PlannedRequest, schema: S, idempotent: boolean, opts?: CallOptions): Promise<z.output<S>> {
    return this.http.send({ ...request, idempotent }, schema, opts?.signal);
  }

  /**
   * A wrong guess about status encoding must give fewer results, never wrong ones: drop chats
   * whose status was not asked for, and say once that the encoding may be wrong.
   */
  private guardStatuses(page: Page<Chat>, statuses: ChatStatus[]): Page<Chat> {
    const kept = page.data.filter((c) => isKnownStatus(c.status) && statuses.includes(c.status));
    if (kept.length < page.data.length && !this.warnedAboutGuard) {
      this.warnedAboutGuard = true;
      this.warn(
        `HelpCrunch returned chats with other statuses than asked for (${statuses.join(", ")}); they were dropped. The status filter encoding may be wrong: try HELPCRUNCH_STATUS_FILTER=${this.encoding === "name" ? "code" : "name"}.`,
      );
    }
    return { data: kept, total: page.total, rawCount: page.rawCount };
  }
}

/** Strict sending: ids are positive integers or the call is a bug. */
function id(value: number): number {
  if (!Number.isInteger(value) || value <= 0) throw new Error(`invalid id ${String(value)}`);
  return value;
}

export function createClient(options: ClientOptions): HelpCrunchClient {
  return new HelpCrunchClient(options);
}

