/**
 * Chat endpoints: list, get, search, create, and the PUT /chats/* updates.
 *
 * Every PUT validates its body first (400 with field-path codes), then finds the chat (404
 * chat_not_found), then checks referenced records (400 invalid_chat_value, the older error
 * generation the update pages document), then applies the change and answers the bare chat.
 */
import { invalidChatValue, notFound, objectBody, optionalInt, requiredInt, SAYS, Violations } from "../api-error.js";
import { CHAT_SEARCH, listPage, searchPage, slicePage } from "../search.js";
import { chatJson, messageJson } from "../serialize.js";
import { addChat, markRead, type SandboxState, type StoredChat, setChatStatus } from "../state.js";
import { WRITABLE_SANDBOX_STATUSES, type WritableSandboxStatus } from "../statuses.js";
import type { SandboxDialect } from "../types.js";
import type { Reply, Route, RouteInput } from "./route.js";

export function findChat(state: SandboxState, id: number, message = "Chat not found"): StoredChat {
  const chat = state.chats.get(id);
  if (!chat) throw notFound("chat_not_found", message);
  return chat;
}

/**
 * The stored status a PUT /chats/status value means, exactly as spelled, or undefined. On-hold
 * has exactly one spelling, the dialect's (the docs disagree, so the caller picks one); every other
 * status its canonical name, plus `open` for opened (a doc example writes it). `empty` is
 * read-only; numeric codes exist only in search filters.
 */
function statusWritten(value: unknown, dialect: SandboxDialect): WritableSandboxStatus | undefined {
  if (typeof value !== "string") return undefined;
  if (value === dialect.onHoldWrite) return "onhold";
  if (value === "open") return "opened";
  if (value === "onhold") return undefined; // only as the dialect's spelling, handled above
  return WRITABLE_SANDBOX_STATUSES.find((s) => s === value);
}

type Apply = (chat: StoredChat) => void;

/** The PUT /chats/* skeleton: `read` validates the body and returns the change to apply. */
function updateChat(input: RouteInput, read: (body: Record<string, unknown>, violations: Violations) => Apply): Reply {
  const body = objectBody(input.body);
  const violations = new Violations();
  const id = requiredInt(body, "id", violations);
  const apply = read(body, violations);
  violations.check();
  const chat = findChat(input.state, id as number);
  apply(chat);
  chat.updatedAt = input.now;
  return [200, chatJson(input.state, chat)];
}

/**
 * Snooze times: UNIX seconds; the docs show an integer and a numeric string, the dialect accepts
 * one of them (or both). Returns the seconds, or the violation message.
 */
function snoozeSeconds(value: unknown, accepts: SandboxDialect["snoozedUntil"]): number | string {
  const isInteger = typeof value === "number" && Number.isInteger(value);
  if (accepts === "integer") return isInteger ? (value as number) : SAYS.integer;
  if (accepts === "either" && isInteger) return value as number;
  if (typeof value !== "string") return accepts === "string" ? SAYS.string : SAYS.numeric;
  return /^\d+(\.\d+)?$/.test(value) ? Math.floor(Number(value)) : SAYS.numeric;
}

function readFlag(body: Record<string, unknown>, key: string, violations: Violations): boolean {
  if (body[key] === undefined || body[key] === null) violations.add(key, SAYS.blank);
  else if (typeof body[key] !== "boolean") violations.add(key, SAYS.bool);
  return body[key] === true;
}

const snooze = (input: RouteInput) =>
  updateChat(input, (body, violations) => {
    if (!("snoozedUntil" in body)) violations.add("snoozedUntil", SAYS.blank);
    if (body.snoozedUntil === null) return (chat) => void (chat.snoozedUntil = null);
    const seconds = snoozeSeconds(body.snoozedUntil, input.dialect.snoozedUntil);
    if (typeof seconds === "string" && "snoozedUntil" in body) violations.add("snoozedUntil", seconds);
    return (chat) => void (chat.snoozedUntil = (seconds as number) * 1000);
  });

const status = (input: RouteInput) =>
  updateChat(input, (body) => (chat) => {
    const wanted = statusWritten(body.status, input.dialect);
    if (!wanted) throw invalidChatValue("status value is invalid");
    setChatStatus(chat, wanted, input.now);
  });

const assignee = (input: RouteInput) =>
  updateChat(input, (body, violations) => {
    if (!("assignee" in body)) violations.add("assignee", SAYS.blank);
    const agentId = optionalInt(body, "assignee", violations);
    return (chat) => {
      if (agentId != null && !input.state.agents.has(agentId)) throw invalidChatValue("assignee value is invalid");
      chat.assigneeId = agentId ?? null;
    };
  });

const department = (input: RouteInput) =>
  updateChat(input, (body, violations) => {
    const departmentId = requiredInt(body, "department", violations);
    return (chat) => {
      if (!input.state.departments.has(departmentId as number)) throw invalidChatValue("department value is invalid");
      chat.departmentId = departmentId as number;
    };
  });

const readBy = (side: "readByAgent" | "readByCustomer") => (input: RouteInput) =>
  updateChat(input, (body, violations) => {
    const read = readFlag(body, "read", violations);
    return (chat) => markRead(input.state, chat, side, read, input.now);
  });

function createChat({ state, body: raw, now }: RouteInput): Reply {
  const body = objectBody(raw);
  const violations = new Violations();
  const customerId = requiredInt(body, "customer", violations);
  const applicationId = requiredInt(body, "application", violations);
  const assigneeId = optionalInt(body, "assignee", violations) ?? null;
  const departmentId = optionalInt(body, "department", violations) ?? null;
  violations.check();
  if (!state.customers.has(customerId as number)) throw notFound("entity_not_found", "Customer not found");
  if (!state.applications.has(applicationId as number)) throw invalidChatValue("application value is invalid");
  if (assigneeId !== null && !state.agents.has(assigneeId)) throw invalidChatValue("assignee value is invalid");
  if (departmentId !== null && !state.departments.has(departmentId)) throw invalidChatValue("department value is invalid");
  const chat = addChat(state, {
    status: "empty",
    customerId: customerId as number,
    applicationId: applicationId as number,
    assigneeId,
    departmentId,
    createdAt: now,
    createdWith: "public_api",
  });
  return [201, chatJson(state, chat)];
}

/** Messages come newest first [doc]; same-millisecond messages by id, newest first too. */
function chatMessages({ state, params, query }: RouteInput): Reply {
  const chat = findChat(state, Number(params[0]));
  const newestFirst = [...(state.messages.get(chat.id) ?? [])].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
  const page = slicePage(newestFirst, query);
  return [200, { data: page.data.map((m) => messageJson(state, m)), total: page.total }];
}

export const CHAT_ROUTES: Route[] = [
  {
    method: "GET",
    pattern: /^\/chats$/,
    handle: ({ state, query }) => {
      const page = listPage(state.chats, query, CHAT_SEARCH);
      return [200, { data: page.data.map((c) => chatJson(state, c)), meta: { total: page.total } }];
    },
  },
  {
    method: "POST",
    pattern: /^\/chats\/search$/,
    handle: ({ state, body, dialect }) => {
      const page = searchPage(state.chats, state, objectBody(body), CHAT_SEARCH, {
        statusFilter: dialect.statusFilter,
        sorts: dialect.searchSorts,
        ignoredSorts: dialect.ignoredSearchSorts,
      });
      return [200, { data: page.data.map((c) => chatJson(state, c)), meta: { total: page.total } }];
    },
  },
  { method: "GET", pattern: /^\/chats\/(\d+)$/, handle: ({ state, params }) => [200, chatJson(state, findChat(state, Number(params[0])))] },
  { method: "GET", pattern: /^\/chats\/(\d+)\/messages$/, handle: chatMessages },
  { method: "POST", pattern: /^\/chats$/, handle: createChat },
  { method: "PUT", pattern: /^\/chats\/snooze$/, handle: snooze },
  { method: "PUT", pattern: /^\/chats\/status$/, handle: status },
  { method: "PUT", pattern: /^\/chats\/assignee$/, handle: assignee },
  { method: "PUT", pattern: /^\/chats\/department$/, handle: department },
  { method: "PUT", pattern: /^\/chats\/readByAgent$/, handle: readBy("readByAgent") },
  { method: "PUT", pattern: /^\/chats\/readByCustomer$/, handle: readBy("readByCustomer") },
];
