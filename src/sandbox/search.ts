/**
 * POST /chats/search and /customers/search semantics: typed fields, operators, AND/OR, sort,
 * offset/limit, and HelpCrunch's validation errors (field-path codes) for anything malformed.
 */
import { normaliseStatus } from "../client/status.js";
import type { SandboxState, StoredChat, StoredCustomer } from "./state.js";

export interface FieldError {
  code: string;
  message: string;
}

export class ValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => e.code).join(", "));
  }
}

type FieldType = "int" | "date" | "string" | "status" | "array";
type Value = number | string | null | number[] | Array<{ name: string }>;
interface Field<T> {
  type: FieldType;
  get(record: T, state: SandboxState): Value;
}

const OPERATORS: Record<FieldType, string[]> = {
  int: ["=", "!=", ">", "<", ">=", "<="],
  date: ["=", "!=", ">", "<", ">=", "<="],
  string: ["=", "!=", "~", "!~"],
  status: ["=", "!="],
  array: ["="],
};

const sec = (ms: number | null) => (ms === null ? null : Math.floor(ms / 1000));

export const CHAT_FIELDS: Record<string, Field<StoredChat>> = {
  "chats.assignee": { type: "int", get: (c) => c.assigneeId },
  "chats.agents": { type: "array", get: (c) => c.agentIds },
  "chats.createdAt": { type: "date", get: (c) => sec(c.createdAt) },
  "chats.updatedAt": { type: "date", get: (c) => sec(c.lastMessageAt ?? c.createdAt) },
  "chats.closedAt": { type: "date", get: (c) => sec(c.closedAt) },
  "chats.department": { type: "int", get: (c) => c.departmentId },
  "chats.status": { type: "status", get: (c) => c.status },
  "chats.rating": { type: "string", get: (c) => c.rating },
  "chats.customer": { type: "int", get: (c) => c.customerId },
  "chats.customer.email": { type: "string", get: (c, s) => s.customers.get(c.customerId)?.email ?? null },
  "chats.customer.userId": { type: "string", get: (c, s) => s.customers.get(c.customerId)?.userId ?? null },
  "chats.customer.tagsData": { type: "array", get: () => [] },
};

export const CUSTOMER_FIELDS: Record<string, Field<StoredCustomer>> = {
  "customers.id": { type: "int", get: (c) => c.id },
  "customers.name": { type: "string", get: (c) => c.name },
  "customers.email": { type: "string", get: (c) => c.email },
  "customers.userId": { type: "string", get: (c) => c.userId },
  "customers.company": { type: "string", get: (c) => c.company },
  "customers.lastSeen": { type: "date", get: (c) => sec(c.lastSeen) },
};

export const CHAT_SORTS: Record<string, (c: StoredChat) => number | null> = {
  "chats.createdAt": (c) => c.createdAt,
  "chats.lastMessageAt": (c) => c.lastMessageAt,
  "chats.lastCustomerMessageAt": (c) => c.lastCustomerMessageAt,
  "chats.closedAt": (c) => c.closedAt,
  "chats.updatedAt": (c) => c.lastMessageAt ?? c.createdAt,
};

export const CUSTOMER_SORTS: Record<string, (c: StoredCustomer) => number | null> = {
  "customers.lastSeen": (c) => c.lastSeen,
  "customers.firstSeen": (c) => c.firstSeen,
};

interface Condition<T> {
  matches(record: T, state: SandboxState): boolean;
}

function compile<T>(fields: Record<string, Field<T>>, raw: unknown, i: number): Condition<T> {
  const f = (raw ?? {}) as { field?: unknown; operator?: unknown; value?: unknown };
  const field = typeof f.field === "string" ? fields[f.field] : undefined;
  if (!f.field) throw new ValidationError([{ code: `filter[${i}].field`, message: "This value should not be blank." }]);
  if (!field) throw new ValidationError([{ code: `filter[${i}].field`, message: "This value is not valid." }]);
  const operator = String(f.operator ?? "=");
  if (!OPERATORS[field.type].includes(operator)) throw new ValidationError([{ code: `filter[${i}].operator`, message: "This value is not valid." }]);
  const value = f.value;
  const badValue = (message: string) => new ValidationError([{ code: `filter[${i}].value`, message }]);

  if (field.type === "date" && typeof value !== "number") throw badValue("This value should be of type numeric.");
  if (field.type === "int" && !(typeof value === "number" || (typeof value === "string" && /^\d+$/.test(value)))) throw badValue("This value should be of type numeric.");
  if ((field.type === "string" || field.type === "status") && typeof value !== "string") throw badValue("This value should be of type string.");

  if (field.type === "status") {
    const wanted = normaliseStatus(value as string);
    return { matches: (r, s) => (field.get(r, s) === wanted) === (operator === "=") };
  }
  if (field.type === "array") {
    return {
      matches: (r, s) => {
        const items = field.get(r, s) as Array<number | { name: string }>;
        return Array.isArray(value) ? false : items.some((x) => (typeof x === "number" ? x === Number(value) : false));
      },
    };
  }
  if (field.type === "string") {
    const needle = String(value).toLowerCase();
    return {
      matches: (r, s) => {
        const hay = (field.get(r, s) as string | null)?.toLowerCase() ?? null;
        if (operator === "~") return hay !== null && hay.includes(needle);
        if (operator === "!~") return hay === null || !hay.includes(needle);
        return (hay === needle) === (operator === "=");
      },
    };
  }
  const target = Number(value);
  return {
    matches: (r, s) => {
      const v = field.get(r, s) as number | null;
      if (operator === "!=") return v !== target;
      if (v === null) return false;
      switch (operator) {
        case ">":
          return v > target;
        case "<":
          return v < target;
        case ">=":
          return v >= target;
        case "<=":
          return v <= target;
        default:
          return v === target;
      }
    },
  };
}

export interface SearchResult<T> {
  data: T[];
  total: number;
}

/** Validates and runs a search body against `records`. Throws ValidationError like HelpCrunch's 400. */
export function runSearch<T extends { id: number }>(
  records: Iterable<T>,
  state: SandboxState,
  body: unknown,
  fields: Record<string, Field<T>>,
  sorts: Record<string, (r: T) => number | null>,
  prefix: string,
): SearchResult<T> {
  const b = (body ?? {}) as { filter?: unknown; comparison?: unknown; sort?: unknown; order?: unknown; offset?: unknown; limit?: unknown };
  if (!Array.isArray(b.filter) || b.filter.length === 0) throw new ValidationError([{ code: "filter[0].field", message: "This value should not be blank." }]);
  const conditions = b.filter.map((f, i) => compile(fields, f, i));
  const comparison = String(b.comparison ?? "AND").toUpperCase();
  if (comparison !== "AND" && comparison !== "OR") throw new ValidationError([{ code: "comparison", message: "This value is not valid." }]);
  const matches = (r: T) => (comparison === "OR" ? conditions.some((c) => c.matches(r, state)) : conditions.every((c) => c.matches(r, state)));
  const { offset, limit, sortKey, descending } = paging(b, sorts, prefix);
  const all = [...records].filter(matches);
  return { data: sortRecords(all, sorts[sortKey] as (r: T) => number | null, descending).slice(offset, offset + limit), total: all.length };
}

/** offset/limit/sort/order as HelpCrunch validates them, for lists and searches alike. */
export function paging<T>(
  params: { offset?: unknown; limit?: unknown; sort?: unknown; order?: unknown },
  sorts: Record<string, (r: T) => number | null>,
  prefix: string,
): { offset: number; limit: number; sortKey: string; descending: boolean } {
  const limit = params.limit === undefined ? 100 : Number(params.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new ValidationError([{ code: "limit", message: "This value should be a positive integer." }]);
  if (limit > 100) throw new ValidationError([{ code: "limit", message: "This value should be less than or equal to 100." }]);
  const offset = params.offset === undefined ? 0 : Number(params.offset);
  if (!Number.isInteger(offset) || offset < 0) throw new ValidationError([{ code: "offset", message: "This value should be greater than or equal to 0." }]);
  const rawSort = params.sort === undefined ? Object.keys(sorts)[0] : String(params.sort);
  const sortKey = rawSort?.includes(".") ? rawSort : `${prefix}.${rawSort}`;
  if (!(sortKey in sorts)) throw new ValidationError([{ code: "sort", message: "This value is not valid." }]);
  const order = String(params.order ?? "desc").toLowerCase();
  if (order !== "asc" && order !== "desc") throw new ValidationError([{ code: "order", message: "This value is not valid." }]);
  return { offset, limit, sortKey, descending: order === "desc" };
}

/** Deterministic: the sort value (null as 0), ties by id in the same direction. */
export function sortRecords<T extends { id: number }>(records: T[], value: (r: T) => number | null, descending: boolean): T[] {
  const sign = descending ? -1 : 1;
  return records.sort((a, b) => sign * ((value(a) ?? 0) - (value(b) ?? 0) || a.id - b.id));
}
