/**
 * The HelpCrunch REST API v1 endpoints, on top of the stored state. Each handler returns
 * [status, body]; validation failures throw ValidationError (400), missing things NotFound.
 */
import { normaliseStatus } from "../client/status.js";
import { CHAT_FIELDS, CHAT_SORTS, CUSTOMER_FIELDS, CUSTOMER_SORTS, ValidationError, paging, runSearch, sortRecords } from "./search.js";
import { chatJson, customerJson, messageJson } from "./serialize.js";
import { type SandboxState, type StoredChat, addChat, addMessage } from "./state.js";

export class NotFound extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A value HelpCrunch's validator calls "invalid_chat_value" (bad status, unknown agent…). */
export class InvalidValue extends Error {}

export type Reply = [number, unknown];
export interface RouteInput {
  state: SandboxState;
  now: number;
  query: Record<string, string>;
  body: unknown;
  params: string[];
}
type Handler = (input: RouteInput) => Reply;

const WRITABLE = new Set(["new", "opened", "pending", "onhold", "no communication", "closed"]);

const obj = (body: unknown) => (typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {});
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v);

function numeric(value: unknown, code: string): number {
  if (isInt(value)) return value;
  if (typeof value === "string" && /^\d+$/.test(value)) return Number(value);
  throw new ValidationError([{ code, message: "This value should be of type numeric." }]);
}

function chatById(state: SandboxState, id: unknown): StoredChat {
  if (!isInt(id) && !(typeof id === "string" && /^\d+$/.test(id))) throw new InvalidValue("Invalid chat ID");
  const chat = state.chats.get(Number(id));
  if (!chat) throw new NotFound("chat_not_found", "Chat not found");
  return chat;
}

function listOf<T>(items: T[], query: Record<string, string>, render: (t: T) => unknown, metaTotal = true): Reply {
  const { offset, limit } = paging({ offset: query.offset, limit: query.limit }, { "x.id": () => 0 }, "x");
  const data = items.slice(offset, offset + limit).map(render);
  return [200, metaTotal ? { data, meta: { total: items.length } } : { data, total: items.length }];
}

function updateChat(input: RouteInput, change: (chat: StoredChat, body: Record<string, unknown>) => void): Reply {
  const body = obj(input.body);
  const chat = chatById(input.state, body.id);
  change(chat, body);
  return [200, chatJson(input.state, chat)];
}

export const ROUTES: Array<[string, RegExp, Handler]> = [
  [
    "GET",
    /^\/chats$/,
    ({ state, query }) => {
      const { offset, limit, sortKey, descending } = paging(query, CHAT_SORTS, "chats");
      const all = sortRecords([...state.chats.values()], CHAT_SORTS[sortKey] as (c: StoredChat) => number | null, descending);
      return [200, { data: all.slice(offset, offset + limit).map((c) => chatJson(state, c)), meta: { total: all.length } }];
    },
  ],
  [
    "POST",
    /^\/chats\/search$/,
    ({ state, body }) => {
      const result = runSearch(state.chats.values(), state, body, CHAT_FIELDS, CHAT_SORTS, "chats");
      return [200, { data: result.data.map((c) => chatJson(state, c)), meta: { total: result.total } }];
    },
  ],
  ["GET", /^\/chats\/(\d+)$/, ({ state, params }) => [200, chatJson(state, chatById(state, params[0]))]],
  [
    "GET",
    /^\/chats\/(\d+)\/messages\/?$/,
    ({ state, params, query }) => {
      const chat = chatById(state, params[0]);
      const newestFirst = [...(state.messages.get(chat.id) ?? [])].reverse();
      return listOf(newestFirst, query, (m) => messageJson(state, m), false);
    },
  ],
  [
    "POST",
    /^\/chats$/,
    ({ state, body, now }) => {
      const b = obj(body);
      const customerId = numeric(b.customer, "customer");
      const applicationId = numeric(b.application, "application");
      if (!state.customers.has(customerId)) throw new NotFound("entity_not_found", "Customer not found");
      if (!state.applications.has(applicationId)) throw new InvalidValue("application value is invalid");
      const assigneeId = b.assignee === undefined || b.assignee === null ? null : numeric(b.assignee, "assignee");
      if (assigneeId !== null && !state.agents.has(assigneeId)) throw new InvalidValue("assignee value is invalid");
      const departmentId = b.department === undefined || b.department === null ? null : numeric(b.department, "department");
      if (departmentId !== null && !state.departments.has(departmentId)) throw new InvalidValue("department value is invalid");
      const chat = addChat(state, { status: "empty", customerId, applicationId, assigneeId, departmentId, createdAt: now, createdWith: "public_api" });
      return [201, chatJson(state, chat)];
    },
  ],
  [
    "PUT",
    /^\/chats\/snooze$/,
    (input) =>
      updateChat(input, (chat, b) => {
        if (!("snoozedUntil" in b)) throw new ValidationError([{ code: "snoozedUntil", message: "This value should not be blank." }]);
        chat.snoozedUntil = b.snoozedUntil === null ? null : numeric(b.snoozedUntil, "snoozedUntil") * 1000;
      }),
  ],
  [
    "PUT",
    /^\/chats\/status$/,
    (input) =>
      updateChat(input, (chat, b) => {
        const status = typeof b.status === "string" ? normaliseStatus(b.status) : "";
        // HelpCrunch reads numeric codes in searches only; a write takes names.
        if (!WRITABLE.has(status) || /^\d+$/.test(String(b.status))) throw new InvalidValue("status value is invalid");
        chat.status = status;
        if (status === "closed") {
          chat.closedAt = input.now;
          chat.closedBy = "agent";
        }
      }),
  ],
  [
    "PUT",
    /^\/chats\/assignee$/,
    (input) =>
      updateChat(input, (chat, b) => {
        const agentId = b.assignee === null ? null : numeric(b.assignee, "assignee");
        if (agentId !== null && !input.state.agents.has(agentId)) throw new InvalidValue("assignee value is invalid");
        chat.assigneeId = agentId;
      }),
  ],
  [
    "PUT",
    /^\/chats\/department$/,
    (input) =>
      updateChat(input, (chat, b) => {
        const departmentId = numeric(b.department, "department");
        if (!input.state.departments.has(departmentId)) throw new InvalidValue("department value is invalid");
        chat.departmentId = departmentId;
      }),
  ],
  [
    "PUT",
    /^\/chats\/(readByAgent|readByCustomer)$/,
    (input) =>
      updateChat(input, (chat, b) => {
        chat[input.params[0] as "readByAgent" | "readByCustomer"] = b.read !== false;
      }),
  ],
  [
    "POST",
    /^\/messages$/,
    ({ state, body, now }) => {
      const b = obj(body);
      const chat = chatById(state, b.chat);
      if (typeof b.text !== "string" || b.text.trim() === "") throw new ValidationError([{ code: "text", message: "This value should not be blank." }]);
      const type = b.type === undefined ? "message" : String(b.type);
      if (type !== "message" && type !== "private") throw new ValidationError([{ code: "type", message: "This value is not valid." }]);
      // HelpCrunch's documented quirk: without `agent` the message is the customer's.
      const agentId = b.agent === undefined || b.agent === null ? null : numeric(b.agent, "agent");
      if (agentId !== null && !state.agents.has(agentId)) throw new NotFound("entity_not_found", "Agent not found");
      const message = addMessage(state, chat, { from: agentId === null ? "customer" : "agent", text: b.text, type, agentId, createdAt: now, read: false });
      return [200, messageJson(state, message)];
    },
  ],
  ["GET", /^\/agents$/, ({ state, query }) => listOf([...state.agents.values()], query, (a) => a)],
  [
    "GET",
    /^\/departments$/,
    ({ state, query }) =>
      listOf([...state.departments.values()], query, (d) => ({ id: d.id, name: d.name, agents: d.agentIds.map((id) => state.agents.get(id)).filter(Boolean) })),
  ],
  ["GET", /^\/applications$/, ({ state }) => [200, { data: [...state.applications.values()] }]],
  [
    "GET",
    /^\/customers\/(\d+)$/,
    ({ state, params }) => {
      const customer = state.customers.get(Number(params[0]));
      if (!customer) throw new NotFound("entity_not_found", "Customer not found");
      return [200, customerJson(customer)];
    },
  ],
  [
    "GET",
    /^\/customers$/,
    ({ state, query }) => {
      const { offset, limit, sortKey, descending } = paging(query, CUSTOMER_SORTS, "customers");
      const all = sortRecords([...state.customers.values()], CUSTOMER_SORTS[sortKey] as (c: { lastSeen: number }) => number, descending);
      return [200, { data: all.slice(offset, offset + limit).map(customerJson), total: all.length }];
    },
  ],
  [
    "POST",
    /^\/customers\/search$/,
    ({ state, body }) => {
      const result = runSearch(state.customers.values(), state, body, CUSTOMER_FIELDS, CUSTOMER_SORTS, "customers");
      return [200, { data: result.data.map(customerJson), meta: { total: result.total } }];
    },
  ],
];
