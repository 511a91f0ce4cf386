/**
 * HelpCrunchClient: the API in domain terms. It knows every endpoint, body shape and quirk;
 * HTTP mechanics live in http.ts, status spelling in status.ts, write bodies in requests.ts.
 */
import type { z } from "zod";
import { HttpTransport, type RequestSpec } from "./http.js";
import { MAX_PAGE_SIZE, collectAll } from "./paginate.js";
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
import { type ChatStatus, WRITABLE_STATUSES, encodeStatusFilter, isKnownStatus, statusWriteSpellings, type WritableStatus } from "./status.js";
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
const messageList = listEnvelope(messageSchema);
const agentList = listEnvelope(agentSchema);
const departmentList = listEnvelope(departmentSchema);
const applicationList = listEnvelope(applicationSchema);
const customerList = listEnvelope(customerSchema);

/** HelpCrunch caps pages at 100; a NaN or fractional limit must not reach it. */
const clampLimit = (limit: number | undefined) => Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(Number.isFinite(limit) ? (limit as number) : MAX_PAGE_SIZE)));
const clampOffset = (offset: number | undefined) => Math.max(0, Math.floor(Number.isFinite(offset) ? (offset as number) : 0));

export class HelpCrunchClient implements HelpCrunchApi {
  private readonly http: HttpTransport;
  private readonly encoding: "name" | "code";
  private readonly warn: (message: string) => void;
  private warnedAboutGuard = false;
  /** The on-hold spelling HelpCrunch accepted last, tried first next time. */
  private onHoldSpelling?: string;

  constructor(options: ClientOptions) {
    const maxConcurrency = options.maxConcurrency ?? 4;
    this.http = new HttpTransport({
      baseUrl: options.baseUrl,
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs ?? 15_000,
      maxRetries: options.maxRetries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      limiter: new RateLimiter(options.rateLimitPerMinute ?? 120, options.rateLimitWindowMs ?? 60_000, maxConcurrency),
      connections: maxConcurrency,
      userAgent: "helpcrunch-mcp",
    });
    this.encoding = options.statusFilterEncoding ?? "name";
    this.warn = options.onWarning ?? (() => {});
  }

  async listChats(params: ListParams = {}, opts?: CallOptions): Promise<Page<Chat>> {
    const query = { offset: clampOffset(params.offset), limit: clampLimit(params.limit), sort: params.sort, order: params.order };
    return this.page({ method: "GET", path: "/chats", query, idempotent: true }, chatList, opts);
  }

  async getChat(chatId: number, opts?: CallOptions): Promise<Chat> {
    return this.http.send({ method: "GET", path: `/chats/${id(chatId)}`, idempotent: true }, chatSchema, opts?.signal);
  }

  async searchChats(search: ChatSearch, opts?: CallOptions): Promise<Page<Chat>> {
    const statuses = [...new Set(search.statuses ?? [])];
    const others = search.filters ?? [];
    // HelpCrunch has one level of AND/OR: "(a OR b) AND c" cannot be expressed in one request.
    if (statuses.length > 1 && others.length > 0) throw new Error("searchChats: several statuses cannot be combined with other filters; run one search per status");
    const statusFilters: SearchFilter[] = statuses.map((s) => ({ field: "chats.status", operator: "=", value: encodeStatusFilter(s, this.encoding) }));
    const filter = [...statusFilters, ...others];
    if (filter.length === 0) throw new Error("searchChats: HelpCrunch needs at least one filter; use listChats for everything");
    const body = {
      filter,
      comparison: statuses.length > 1 ? "OR" : "AND",
      sort: search.sort ?? "chats.lastMessageAt",
      order: search.order ?? "desc",
      offset: clampOffset(search.offset),
      limit: clampLimit(search.limit),
    };
    const page = await this.page({ method: "POST", path: "/chats/search", body, idempotent: true }, chatList, opts);
    return statuses.length > 0 ? this.guardStatuses(page, statuses) : page;
  }

  async createChat(input: CreateChatInput, opts?: CallOptions): Promise<Chat> {
    id(input.customer);
    id(input.application);
    if (input.assignee !== undefined) id(input.assignee);
    if (input.department !== undefined) id(input.department);
    return this.write(writeRequests.createChat(input), chatSchema, false, opts);
  }

  async snoozeChat(chatId: number, until: number | null, opts?: CallOptions): Promise<Chat> {
    // NaN would serialise as null, which HelpCrunch reads as "unsnooze": refuse instead.
    if (until !== null && !Number.isFinite(until)) throw new Error(`snoozeChat: invalid time ${String(until)}`);
    return this.write(writeRequests.snooze(id(chatId), until), chatSchema, true, opts);
  }

  async setChatStatus(chatId: number, status: WritableStatus, opts?: CallOptions): Promise<Chat> {
    if (!(WRITABLE_STATUSES as readonly string[]).includes(status)) throw new Error(`setChatStatus: "${String(status)}" cannot be set`);
    const spellings = statusWriteSpellings(status, status === "onhold" ? this.onHoldSpelling : undefined);
    for (const [i, spelling] of spellings.entries()) {
      try {
        const chat = await this.write(writeRequests.status(id(chatId), spelling), chatSchema, true, opts);
        if (status === "onhold") this.onHoldSpelling = spelling;
        return chat;
      } catch (error) {
        // Only on-hold has contested spellings; a refused spelling is a 400 invalid_chat_value, anything else is final.
        const refusedSpelling = isHelpCrunchError(error) && error.status === 400 && error.hasCode("invalid_chat_value");
        if (!refusedSpelling || i === spellings.length - 1) throw error;
      }
    }
    throw new Error("unreachable: statusWriteSpellings returned no spelling");
  }

  async setChatAssignee(chatId: number, agentId: number | null, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.assignee(id(chatId), agentId === null ? null : id(agentId)), chatSchema, true, opts);
  }

  async setChatDepartment(chatId: number, departmentId: number, opts?: CallOptions): Promise<Chat> {
    return this.write(writeRequests.department(id(chatId), id(departmentId)), chatSchema, true, opts);
  }

  async listChatMessages(chatId: number, params: { offset?: number; limit?: number } = {}, opts?: CallOptions): Promise<Page<Message>> {
    const query = { offset: clampOffset(params.offset), limit: clampLimit(params.limit) };
    return this.page({ method: "GET", path: `/chats/${id(chatId)}/messages`, query, idempotent: true }, messageList, opts);
  }

  async createMessage(input: CreateMessageInput, opts?: CallOptions): Promise<Message> {
    // Without `agent` HelpCrunch posts the text as the customer: refuse rather than impersonate.
    if (input.agent === undefined || input.agent === null || !Number.isInteger(input.agent) || input.agent <= 0) {
      throw new Error("createMessage: agent is required (without it HelpCrunch posts the message as the customer)");
    }
    id(input.chat);
    if (input.type !== "message" && input.type !== "private") throw new Error(`createMessage: type must be "message" or "private"`);
    return this.write(writeRequests.createMessage(input), messageSchema, false, opts);
  }

  async listAgents(opts?: CallOptions): Promise<Agent[]> {
    return collectAll((offset, limit) => this.page({ method: "GET", path: "/agents", query: { offset, limit }, idempotent: true }, agentList, opts));
  }

  async listDepartments(opts?: CallOptions): Promise<Department[]> {
    return collectAll((offset, limit) => this.page({ method: "GET", path: "/departments", query: { offset, limit }, idempotent: true }, departmentList, opts));
  }

  /** GET /applications is known from third-party code only; accounts have a handful, so one page. */
  async listApplications(opts?: CallOptions): Promise<Application[]> {
    const page = await this.page({ method: "GET", path: "/applications", idempotent: true }, applicationList, opts);
    return page.data;
  }

  async getCustomer(customerId: number, opts?: CallOptions): Promise<Customer> {
    return this.http.send({ method: "GET", path: `/customers/${id(customerId)}`, idempotent: true }, customerSchema, opts?.signal);
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

  private async page<T>(spec: RequestSpec, schema: z.ZodType<{ data: T[]; total: number; totalReported: boolean }>, opts?: CallOptions): Promise<Page<T>> {
    const { data, total, totalReported } = await this.http.send(spec, schema, opts?.signal);
    return { data, total, rawCount: data.length, totalReported };
  }

  private write<S extends z.ZodType>(request: PlannedRequest, schema: S, idempotent: boolean, opts?: CallOptions): Promise<z.output<S>> {
    return this.http.send({ ...request, idempotent }, schema, opts?.signal);
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
        `HelpCrunch returned chats with other statuses than asked for (${statuses.join(", ")}); they were dropped. The status filter encoding may be wrong: try HELPCRUNCH_STATUS_FILTER=${this.encoding === "name" ? "code" : "name"}.`,
      );
    }
    return { ...page, data: kept };
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

