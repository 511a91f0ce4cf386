/**
 * List and search semantics shared by GET lists and POST /chats/search, /customers/search:
 * typed filter fields and their operators, AND/OR, sort keys, offset/limit, and the field-path
 * validation errors HelpCrunch answers with when any of it is malformed.
 *
 * Guesses, kept here so they can change in one place:
 * - SQL semantics: a null field matches no condition, not even `!=` or `!~` [guess]
 *   (HelpCrunch runs on SQL; the client finds unassigned chats itself, see chat-query.ts).
 * - String comparisons are case-insensitive, `=` included (MySQL's default collation) [guess].
 * - Status values are matched in the dialect the sandbox was started with (names or one code
 *   table, see SandboxDialect); a value outside it matches nothing rather than failing [guess].
 * - Sorting is on whole seconds, as HelpCrunch stores them; nulls count as 0; ties by id in the
 *   same direction, so paging is stable [guess].
 */
import { asInt, SAYS, Violations } from "./api-error.js";
import { type Page, pageInOrder, type SortValue } from "./sorted-order.js";
import { chatUpdatedAt, type SandboxState, type StoredChat, type StoredCustomer } from "./state.js";
import { SANDBOX_STATUSES } from "./statuses.js";
import type { SandboxDialect } from "./types.js";

/** The dialect-dependent parts of a search; absent for customer searches and GET lists. */
export interface SearchDialect {
  statusFilter: SandboxDialect["statusFilter"];
  /** Sort keys an explicit `sort` may name (prefixed or not); any when absent. */
  sorts?: readonly string[];
  /** Sort keys accepted but ignored: the answer comes in the default order (see SandboxDialect). */
  ignoredSorts?: readonly string[];
}

type FieldType = "number" | "date" | "string" | "status" | "idList" | "tags";

interface Field<T> {
  type: FieldType;
  get(record: T, state: SandboxState): unknown;
}

/** Operators per field type, as the search docs' table gives them. Arrays take `=` only. */
const OPERATORS: Record<FieldType, readonly string[]> = {
  number: ["=", "!=", ">", "<", ">=", "<="],
  date: ["=", "!=", ">", "<", ">=", "<="],
  string: ["=", "!=", "~", "!~"],
  status: ["=", "!="],
  idList: ["="],
  tags: ["="],
};

const seconds = (ms: number | null | undefined) => (ms == null ? null : Math.floor(ms / 1000));
const customerOf = (c: StoredChat, s: SandboxState) => s.customers.get(c.customerId);

export const CHAT_FIELDS: Record<string, Field<StoredChat>> = {
  "chats.assignee": { type: "number", get: (c) => c.assigneeId },
  "chats.agents": { type: "idList", get: (c) => c.agentIds },
  "chats.createdAt": { type: "date", get: (c) => seconds(c.createdAt) },
  "chats.updatedAt": { type: "date", get: (c) => seconds(chatUpdatedAt(c)) },
  "chats.closedAt": { type: "date", get: (c) => seconds(c.closedAt) },
  "chats.department": { type: "number", get: (c) => c.departmentId },
  "chats.status": { type: "status", get: (c) => c.status },
  "chats.rating": { type: "string", get: (c) => c.rating },
  "chats.customer": { type: "number", get: (c) => c.customerId },
  "chats.customer.email": { type: "string", get: (c, s) => customerOf(c, s)?.email ?? null },
  "chats.customer.userId": { type: "string", get: (c, s) => customerOf(c, s)?.userId ?? null },
  "chats.customer.tagsData": { type: "tags", get: (c, s) => customerOf(c, s)?.tags ?? [] },
};

export const CUSTOMER_FIELDS: Record<string, Field<StoredCustomer>> = {
  "customers.id": { type: "number", get: (c) => c.id },
  "customers.name": { type: "string", get: (c) => c.name },
  "customers.email": { type: "string", get: (c) => c.email },
  "customers.userId": { type: "string", get: (c) => c.userId },
  "customers.company": { type: "string", get: (c) => c.company },
  "customers.lastSeen": { type: "date", get: (c) => seconds(c.lastSeen) },
  "customers.tagsData": { type: "tags", get: (c) => c.tags ?? [] },
};

/** Sort keys → epoch ms (or null). The first key is the default sort. */
export type SortKeys<T> = Record<string, (record: T) => number | null>;

export const CHAT_SORTS: SortKeys<StoredChat> = {
  "chats.createdAt": (c) => c.createdAt,
  "chats.lastMessageAt": (c) => c.lastMessageAt,
  "chats.lastCustomerMessageAt": (c) => c.lastCustomerMessageAt,
  "chats.closedAt": (c) => c.closedAt,
  "chats.updatedAt": chatUpdatedAt,
};

export const CUSTOMER_SORTS: SortKeys<StoredCustomer> = {
  "customers.lastSeen": (c) => c.lastSeen,
  "customers.firstSeen": (c) => c.firstSeen,
};

/** What a search or list runs over: its fields, sort keys and the prefix unprefixed sort names get. */
export interface Searchable<T> {
  fields: Record<string, Field<T>>;
  sorts: SortKeys<T>;
  prefix: "chats" | "customers";
}

export const CHAT_SEARCH: Searchable<StoredChat> = { fields: CHAT_FIELDS, sorts: CHAT_SORTS, prefix: "chats" };
export const CUSTOMER_SEARCH: Searchable<StoredCustomer> = { fields: CUSTOMER_FIELDS, sorts: CUSTOMER_SORTS, prefix: "customers" };

type Predicate<T> = (record: T, state: SandboxState) => boolean;

/** PHP's is_numeric, roughly: a finite number or a decimal string. */
function asNumeric(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function compare(operator: string, actual: number, target: number): boolean {
  switch (operator) {
    case "=":
      return actual === target;
    case "!=":
      return actual !== target;
    case ">":
      return actual > target;
    case "<":
      return actual < target;
    case ">=":
      return actual >= target;
    default:
      return actual <= target;
  }
}

/** The predicate for one typed value, or undefined after recording why the value is refused. */
/**
 * The stored status a filter value stands for under `statusFilter`, or undefined when it stands for
 * none; null when the value's type is refused. Names: the canonical names only, any case (no
 * aliases such as "open" or "on hold"; the field is typed String, so a number is a type error).
 * Codes: only the table's codes, as a string or a JSON number of the same value.
 */
function statusFor(value: unknown, statusFilter: SandboxDialect["statusFilter"]): string | undefined | null {
  if (statusFilter === "names") {
    if (typeof value !== "string") return null;
    const lower = value.toLowerCase();
    return SANDBOX_STATUSES.find((s) => s === lower);
  }
  let code: string;
  if (typeof value === "string") code = value;
  else if (typeof value === "number" && Number.isFinite(value)) code = String(value);
  else return null;
  const codes = statusFilter.codes;
  return SANDBOX_STATUSES.find((s) => codes[s] === code);
}

function predicateFor<T>(
  field: Field<T>,
  operator: string,
  value: unknown,
  flag: (message: string) => void,
  dialect: SearchDialect,
): Predicate<T> | undefined {
  const get = field.get;
  switch (field.type) {
    case "date":
    case "number": {
      // Dates must be JSON numbers: "the value you search for has to match the type" [doc].
      const target = field.type === "date" ? (typeof value === "number" && Number.isFinite(value) ? value : undefined) : asNumeric(value);
      if (target === undefined) return void flag(SAYS.numeric);
      return (r, s) => {
        const actual = get(r, s) as number | null;
        return actual !== null && compare(operator, actual, target);
      };
    }
    case "idList": {
      const target = asNumeric(value);
      if (target === undefined) return void flag(SAYS.numeric);
      return (r, s) => (get(r, s) as number[]).includes(target);
    }
    case "status": {
      const wanted = statusFor(value, dialect.statusFilter);
      if (wanted === null) return void flag(SAYS.string);
      // SQL semantics as everywhere here: a null status matches neither `=` nor `!=`. A value that
      // stands for no status (`wanted` undefined) therefore matches nothing under `=` and every chat
      // with a status under `!=`, as `status != 'nonsense'` would in SQL.
      const equal = operator === "=";
      return (r, s) => {
        const actual = get(r, s) as string | null;
        return actual !== null && (actual === wanted) === equal;
      };
    }
    case "string": {
      if (typeof value !== "string") return void flag(SAYS.string);
      const needle = value.toLowerCase();
      return (r, s) => {
        const actual = get(r, s) as string | null;
        if (actual === null) return false;
        const hay = actual.toLowerCase();
        if (operator === "~") return hay.includes(needle);
        if (operator === "!~") return !hay.includes(needle);
        return (hay === needle) === (operator === "=");
      };
    }
    case "tags": {
      // `[{"name":"Lead"}]`; several names in one value must all be present [doc].
      const names = Array.isArray(value) ? value.map((t) => (t as { name?: unknown } | null)?.name) : [];
      if (names.length === 0 || !names.every((n): n is string => typeof n === "string")) return void flag(SAYS.array);
      const wanted = names.map((n) => n.toLowerCase());
      return (r, s) => {
        const tags = (get(r, s) as string[]).map((t) => t.toLowerCase());
        return wanted.every((w) => tags.includes(w));
      };
    }
  }
}

function compileFilter<T>(
  fields: Record<string, Field<T>>,
  raw: unknown,
  i: number,
  violations: Violations,
  dialect: SearchDialect,
): Predicate<T> | undefined {
  const f = (typeof raw === "object" && raw !== null ? raw : {}) as { field?: unknown; operator?: unknown; value?: unknown };
  const at = (part: string) => `filter[${i}].${part}`;
  const before = violations.count;
  const field = typeof f.field === "string" ? fields[f.field] : undefined;
  if (f.field === undefined || f.field === null || f.field === "") violations.add(at("field"), SAYS.blank);
  else if (!field) violations.add(at("field"), SAYS.invalid);
  if (f.operator === undefined || f.operator === null || f.operator === "") violations.add(at("operator"), SAYS.blank);
  else if (field && !OPERATORS[field.type].includes(String(f.operator))) violations.add(at("operator"), SAYS.invalid);
  if (f.value === undefined || f.value === null) violations.add(at("value"), SAYS.blank);
  if (!field || violations.count > before) return undefined;
  return predicateFor(field, String(f.operator), f.value, (message) => violations.add(at("value"), message), dialect);
}

interface PagingParams {
  offset?: unknown;
  limit?: unknown;
  sort?: unknown;
  order?: unknown;
}

/** offset/limit as HelpCrunch validates them: limit 1–100 (default 100), offset ≥ 0 (default 0). */
export function readPaging(params: PagingParams, violations: Violations): { offset: number; limit: number } {
  const limit = params.limit === undefined || params.limit === "" ? 100 : asInt(params.limit);
  if (limit === undefined) violations.add("limit", SAYS.numeric);
  else if (limit > 100) violations.add("limit", SAYS.maxLimit);
  else if (limit < 1) violations.add("limit", SAYS.positive);
  const offset = params.offset === undefined || params.offset === "" ? 0 : asInt(params.offset);
  if (offset === undefined) violations.add("offset", SAYS.numeric);
  else if (offset < 0) violations.add("offset", SAYS.notNegative);
  return { offset: offset ?? 0, limit: limit ?? 100 };
}

/**
 * sort (prefixed or not) and order (either case); default: the first sort key, descending [guess].
 * `allowed` narrows which keys an explicit sort may name (the dialect's search sorts); an `ignored`
 * key is accepted whatever `allowed` says and answered in the default order, `order` ignored too.
 */
export function readSort<T>(
  params: PagingParams,
  on: Searchable<T>,
  violations: Violations,
  allowed?: readonly string[],
  ignored?: readonly string[],
): { sortKey: string; descending: boolean } {
  const defaultKey = Object.keys(on.sorts)[0] as string;
  const explicit = !(params.sort === undefined || params.sort === "");
  const raw = explicit ? String(params.sort) : defaultKey;
  const prefixed = (name: string) => (name.includes(".") ? name : `${on.prefix}.${name}`);
  const sortKey = prefixed(raw);
  const isIgnored = explicit && ignored?.map(prefixed).includes(sortKey) === true;
  const permitted = !explicit || isIgnored || allowed === undefined || allowed.map(prefixed).includes(sortKey);
  if (!(sortKey in on.sorts) || !permitted) violations.add("sort", SAYS.invalid);
  const order = params.order === undefined || params.order === "" ? "desc" : String(params.order).toLowerCase();
  if (order !== "asc" && order !== "desc") violations.add("order", SAYS.invalid);
  if (isIgnored) return { sortKey: defaultKey, descending: true };
  return { sortKey: sortKey in on.sorts && permitted ? sortKey : defaultKey, descending: order !== "asc" };
}

/** A list HelpCrunch serves in its own order (agents, departments, messages): offset/limit only. */
export function slicePage<T>(items: T[], query: PagingParams): Page<T> {
  const violations = new Violations();
  const { offset, limit } = readPaging(query, violations);
  violations.check();
  return { data: items.slice(offset, offset + limit), total: items.length };
}

/** GET lists: every record, sorted and paged (query strings hold offset, limit, sort, order). */
export function listPage<T extends { id: number }>(records: ReadonlyMap<number, T>, query: PagingParams, on: Searchable<T>): Page<T> {
  const violations = new Violations();
  const { offset, limit } = readPaging(query, violations);
  const { sortKey, descending } = readSort(query, on, violations);
  violations.check();
  return pageInOrder(records, { sortKey, value: on.sorts[sortKey] as SortValue<T>, descending, matches: () => true, offset, limit });
}

const NAMES_ONLY: SearchDialect = { statusFilter: "names" };

/**
 * POST …/search: validates the whole body (every violation reported at once), then filters, sorts
 * and pages. `dialect` decides how status values match and which sorts are allowed.
 */
export function searchPage<T extends { id: number }>(
  records: ReadonlyMap<number, T>,
  state: SandboxState,
  body: Record<string, unknown>,
  on: Searchable<T>,
  dialect: SearchDialect = NAMES_ONLY,
): Page<T> {
  const violations = new Violations();
  const filters = body.filter;
  const predicates: Array<Predicate<T> | undefined> = [];
  // Search needs at least one condition; an empty list fails on its first, missing, entry.
  if (filters === undefined || filters === null || (Array.isArray(filters) && filters.length === 0))
    violations.add("filter[0].field", SAYS.blank);
  else if (!Array.isArray(filters)) violations.add("filter", SAYS.array);
  else
    filters.forEach((raw, i) => {
      predicates.push(compileFilter(on.fields, raw, i, violations, dialect));
    });
  const comparison = body.comparison === undefined || body.comparison === null ? "AND" : String(body.comparison).toUpperCase();
  if (comparison !== "AND" && comparison !== "OR") violations.add("comparison", SAYS.invalid);
  const { offset, limit } = readPaging(body, violations);
  const { sortKey, descending } = readSort(body, on, violations, dialect.sorts, dialect.ignoredSorts);
  violations.check();

  const conditions = predicates as Array<Predicate<T>>;
  const any = comparison === "OR";
  // This runs for every record of every search: one condition (the usual case) is called directly.
  const only = conditions.length === 1 ? (conditions[0] as Predicate<T>) : undefined;
  const matches = only
    ? (r: T) => only(r, state)
    : (r: T) => {
        for (let i = 0; i < conditions.length; i++) if ((conditions[i] as Predicate<T>)(r, state) === any) return any;
        return !any;
      };
  return pageInOrder(records, { sortKey, value: on.sorts[sortKey] as SortValue<T>, descending, matches, offset, limit });
}
