/** POST /chats/search and /customers/search: operators, AND/OR, sort, paging and validation, checked against the stored data. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DOCS_STATUS_CODES,
  SANDBOX_STATUSES,
  type SandboxHandle,
  type StoredChat,
  type StoredCustomer,
  startSandbox,
} from "../../src/sandbox/index.js";
import { call, codes, searchChats, sec, seconds } from "./helpers.js";

let sb: SandboxHandle;
const chats = () => [...sb.state.chats.values()];
const customerOf = (c: StoredChat) => sb.state.customers.get(c.customerId) as StoredCustomer;

beforeAll(async () => {
  sb = await startSandbox({ seed: 11 });
});
afterAll(() => sb.stop());

/** Every id a search matches, over as many pages as it takes (checks the total on each page). */
async function allIds(filter: unknown[], extra: Record<string, unknown> = {}): Promise<number[]> {
  const ids: number[] = [];
  for (let offset = 0; ; offset += 100) {
    const r = await searchChats(sb, filter, { ...extra, offset, limit: 100 });
    expect(r.status, JSON.stringify(r.json.errors)).toBe(200);
    ids.push(...(r.json.data ?? []).map((c) => c.id as number));
    if (offset + 100 >= (r.json.meta?.total as number)) {
      expect(ids).toHaveLength(r.json.meta?.total as number);
      return ids;
    }
  }
}

/** The ids the stored data says should match, in id order (searches are compared as sets). */
const expected = (keep: (c: StoredChat) => boolean) =>
  chats()
    .filter(keep)
    .map((c) => c.id)
    .sort((a, b) => a - b);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);

describe("operators", () => {
  const busyAgent = 4;
  const pivotChat = () => chats()[160] as StoredChat;

  it.each([
    ["=", (v: number | null) => v === 2],
    ["!=", (v: number | null) => v !== null && v !== 2],
    [">", (v: number | null) => v !== null && v > 2],
    ["<", (v: number | null) => v !== null && v < 2],
    [">=", (v: number | null) => v !== null && v >= 2],
    ["<=", (v: number | null) => v !== null && v <= 2],
  ])("chats.department %s 2 (a null department matches nothing)", async (operator, keep) => {
    const ids = await allIds([{ field: "chats.department", operator, value: 2 }]);
    expect(sorted(ids)).toEqual(expected((c) => keep(c.departmentId)));
    expect(ids.length).toBeGreaterThan(0);
  });

  it.each([">", "<", ">=", "<="])("chats.createdAt %s a UNIX time in seconds", async (operator) => {
    const pivot = sec(pivotChat().createdAt) as number;
    const cmp = {
      ">": (a: number) => a > pivot,
      "<": (a: number) => a < pivot,
      ">=": (a: number) => a >= pivot,
      "<=": (a: number) => a <= pivot,
    }[operator] as (a: number) => boolean;
    expect(sorted(await allIds([{ field: "chats.createdAt", operator, value: pivot }]))).toEqual(
      expected((c) => cmp(sec(c.createdAt) as number)),
    );
  });

  it("chats.createdAt = and != an exact second", async () => {
    const pivot = sec(pivotChat().createdAt) as number;
    expect(await allIds([{ field: "chats.createdAt", operator: "=", value: pivot }])).toEqual([pivotChat().id]);
    expect(sorted(await allIds([{ field: "chats.createdAt", operator: "!=", value: pivot }]))).toEqual(
      expected((c) => c.id !== pivotChat().id),
    );
  });

  it("chats.closedAt and chats.updatedAt compare only chats that have the time", async () => {
    const weekAgo = Math.floor(Date.now() / 1000) - 7 * 86_400;
    expect(sorted(await allIds([{ field: "chats.closedAt", operator: ">", value: weekAgo }]))).toEqual(
      expected((c) => c.closedAt !== null && (sec(c.closedAt) as number) > weekAgo),
    );
    const updated = await allIds([{ field: "chats.updatedAt", operator: "<", value: weekAgo }]);
    expect(sorted(updated)).toEqual(expected((c) => (sec(c.updatedAt ?? c.lastMessageAt ?? c.createdAt) as number) < weekAgo));
    expect(updated.length).toBeGreaterThan(0);
  });

  it("~ and !~ are case-insensitive contains / does not contain; a missing email matches neither", async () => {
    const has = await allIds([{ field: "chats.customer.email", operator: "~", value: "GMAIL" }]);
    const hasNot = await allIds([{ field: "chats.customer.email", operator: "!~", value: "gmail" }]);
    expect(sorted(has)).toEqual(expected((c) => (customerOf(c).email ?? "").includes("gmail")));
    expect(sorted(hasNot)).toEqual(expected((c) => customerOf(c).email !== null && !(customerOf(c).email as string).includes("gmail")));
    expect(has.length).toBeGreaterThan(0);
    expect(has.length + hasNot.length).toBeLessThan(sb.state.chats.size); // anonymous customers have no email
  });

  it("string = and != compare whole values, ignoring case", async () => {
    const email = customerOf(chats()[40] as StoredChat).email as string;
    expect(sorted(await allIds([{ field: "chats.customer.email", operator: "=", value: email.toUpperCase() }]))).toEqual(
      expected((c) => customerOf(c).email === email),
    );
    expect(sorted(await allIds([{ field: "chats.rating", operator: "!=", value: "great" }]))).toEqual(
      expected((c) => c.rating !== null && c.rating !== "great"),
    );
  });

  it("ids take a number or a numeric string: chats.assignee, chats.customer, chats.agents", async () => {
    expect(sorted(await allIds([{ field: "chats.assignee", operator: "=", value: String(busyAgent) }]))).toEqual(
      expected((c) => c.assigneeId === busyAgent),
    );
    const customerId = (chats()[10] as StoredChat).customerId;
    expect(sorted(await allIds([{ field: "chats.customer", operator: "=", value: customerId }]))).toEqual(
      expected((c) => c.customerId === customerId),
    );
    const wroteIn = await allIds([{ field: "chats.agents", operator: "=", value: busyAgent }]);
    expect(sorted(wroteIn)).toEqual(expected((c) => c.agentIds.includes(busyAgent)));
    expect(wroteIn.length).toBeGreaterThan(0);
  });

  it("chats.customer.userId and chats.customer.tagsData ([{name}], all names must match)", async () => {
    const userId = customerOf(chats().find((c) => customerOf(c).userId !== null) as StoredChat).userId as string;
    expect(sorted(await allIds([{ field: "chats.customer.userId", operator: "=", value: userId }]))).toEqual(
      expected((c) => customerOf(c).userId === userId),
    );
    const tagged = await allIds([{ field: "chats.customer.tagsData", operator: "=", value: [{ name: "vip" }] }]);
    expect(sorted(tagged)).toEqual(expected((c) => (customerOf(c).tags ?? []).includes("VIP")));
    expect(tagged.length).toBeGreaterThan(0);
    const both = await allIds([{ field: "chats.customer.tagsData", operator: "=", value: [{ name: "VIP" }, { name: "Lead" }] }]);
    expect(sorted(both)).toEqual(expected((c) => ["VIP", "Lead"].every((t) => (customerOf(c).tags ?? []).includes(t))));
  });
});

describe("AND and OR", () => {
  const isNew = { field: "chats.status", operator: "=", value: "new" };
  const isPending = { field: "chats.status", operator: "=", value: "pending" };
  const inBilling = { field: "chats.department", operator: "=", value: 1 };

  it("AND (the default, any case) narrows; OR widens", async () => {
    const and = expected((c) => c.status === "new" && c.departmentId === 1);
    expect(sorted(await allIds([isNew, inBilling]))).toEqual(and);
    expect(sorted(await allIds([isNew, inBilling], { comparison: "and" }))).toEqual(and);
    expect(sorted(await allIds([isNew, isPending], { comparison: "OR" }))).toEqual(
      expected((c) => c.status === "new" || c.status === "pending"),
    );
    expect(await allIds([isNew, isPending])).toEqual([]);
    expect(and.length).toBeGreaterThan(0);
  });
});

describe("status filters (default dialect: names)", () => {
  it.each(SANDBOX_STATUSES.map((s) => [s]))("%s by its canonical name, any case; its docs code matches nothing", async (status) => {
    const want = expected((c) => c.status === status);
    expect(want.length).toBeGreaterThan(0);
    expect(sorted(await allIds([{ field: "chats.status", operator: "=", value: status }]))).toEqual(want);
    expect(sorted(await allIds([{ field: "chats.status", operator: "=", value: status.toUpperCase() }]))).toEqual(want);
    expect(await allIds([{ field: "chats.status", operator: "=", value: DOCS_STATUS_CODES[status] }])).toEqual([]);
  });

  it("only onhold names on hold; open, on hold, on-hold and unknown names match nothing; != excludes", async () => {
    expect(expected((c) => c.status === "onhold").length).toBeGreaterThan(0);
    for (const value of ["on hold", "On-Hold", "on-hold", "on_hold", "open", "resolved", " new"])
      expect(await allIds([{ field: "chats.status", operator: "=", value }]), value).toEqual([]);
    expect(sorted(await allIds([{ field: "chats.status", operator: "!=", value: "closed" }]))).toEqual(
      expected((c) => c.status !== "closed"),
    );
    // A value that names no status matches every chat (with a status) under !=, as in SQL.
    expect(sorted(await allIds([{ field: "chats.status", operator: "!=", value: "on hold" }]))).toEqual(expected(() => true));
  });

  it("a non-string value is a type error", async () => {
    const r = await searchChats(sb, [{ field: "chats.status", operator: "=", value: 4 }]);
    expect([r.status, r.json.errors]).toEqual([
      400,
      [
        { code: "invalid_request", message: "Invalid request" },
        { code: "filter[0].value", message: "This value should be of type string." },
      ],
    ]);
  });
});

describe("sort and paging", () => {
  const anyChat = [{ field: "chats.createdAt", operator: ">", value: 0 }];
  const stored = (key: string) => (c: StoredChat) =>
    sec(
      {
        createdAt: c.createdAt,
        lastMessageAt: c.lastMessageAt,
        lastCustomerMessageAt: c.lastCustomerMessageAt,
        closedAt: c.closedAt,
        updatedAt: c.updatedAt ?? c.lastMessageAt ?? c.createdAt,
      }[key] ?? null,
    ) ?? 0;

  it.each(
    ["createdAt", "lastMessageAt", "lastCustomerMessageAt", "closedAt", "updatedAt"].flatMap((key) => [
      [key, "asc"],
      [key, "DESC"],
    ]),
  )("chats.%s %s: by the value (null as 0), ties by id in the same direction", async (key, order) => {
    const sign = order.toLowerCase() === "asc" ? 1 : -1;
    const want = chats()
      .sort((a, b) => sign * (stored(key)(a) - stored(key)(b) || a.id - b.id))
      .map((c) => c.id);
    expect(await allIds(anyChat, { sort: `chats.${key}`, order })).toEqual(want);
  });

  it("takes unprefixed sort names; defaults to createdAt, newest first", async () => {
    expect(await allIds(anyChat, { sort: "lastCustomerMessageAt", order: "asc" })).toEqual(
      await allIds(anyChat, { sort: "chats.lastCustomerMessageAt", order: "asc" }),
    );
    expect(await allIds(anyChat, { sort: undefined, order: undefined })).toEqual(
      await allIds(anyChat, { sort: "chats.createdAt", order: "desc" }),
    );
  });

  it("pages with offset/limit: consecutive pages join up, the total counts every match", async () => {
    const filter = [{ field: "chats.status", operator: "!=", value: "empty" }];
    const total = expected((c) => c.status !== "empty").length;
    const pages = await Promise.all(
      [0, 7, 14].map((offset) => searchChats(sb, filter, { sort: "chats.lastMessageAt", order: "desc", offset, limit: 7 })),
    );
    const whole = await searchChats(sb, filter, { sort: "chats.lastMessageAt", order: "desc", offset: 0, limit: 21 });
    expect(pages.flatMap((p) => p.json.data ?? []).map((c) => c.id)).toEqual(whole.json.data?.map((c) => c.id));
    for (const page of [...pages, whole]) expect(page.json.meta).toEqual({ total });
    const beyond = await searchChats(sb, filter, { offset: total, limit: 10 });
    expect([beyond.json.data, beyond.json.meta]).toEqual([[], { total }]);
    const sortedDesc = whole.json.data?.map((c) => seconds(c.lastMessageAt) ?? 0) ?? [];
    expect(sortedDesc).toEqual([...sortedDesc].sort((a, b) => b - a));
  });
});

describe("validation errors", () => {
  const ok = { field: "chats.department", operator: "=", value: 1 };
  it.each([
    [
      "a date as a string",
      [{ field: "chats.createdAt", operator: ">", value: "1700000000" }],
      {},
      [["filter[0].value", "This value should be of type numeric."]],
    ],
    [
      "a non-numeric id",
      [ok, { field: "chats.assignee", operator: "=", value: "Priya" }],
      {},
      [["filter[1].value", "This value should be of type numeric."]],
    ],
    ["limit 101", [ok], { limit: 101 }, [["limit", "This value should be less than or equal to 100."]]],
    ["a negative offset", [ok], { offset: -5 }, [["offset", "This value should be greater than or equal to 0."]]],
    ["an empty filter", [], {}, [["filter[0].field", "This value should not be blank."]]],
    [
      "an unknown field",
      [{ field: "chats.lastMessageAt", operator: "=", value: 1 }],
      {},
      [["filter[0].field", "This value is not valid."]],
    ],
    ["~ on a number", [{ field: "chats.department", operator: "~", value: 1 }], {}, [["filter[0].operator", "This value is not valid."]]],
    [
      "> on a string",
      [{ field: "chats.customer.email", operator: ">", value: "a" }],
      {},
      [["filter[0].operator", "This value is not valid."]],
    ],
    ["!= on an array", [{ field: "chats.agents", operator: "!=", value: 1 }], {}, [["filter[0].operator", "This value is not valid."]]],
    ["no value", [{ field: "chats.department", operator: "=" }], {}, [["filter[0].value", "This value should not be blank."]]],
    ["an unknown sort", [ok], { sort: "chats.rating" }, [["sort", "This value is not valid."]]],
    ["a bad order", [ok], { order: "up" }, [["order", "This value is not valid."]]],
    ["a bad comparison", [ok, ok], { comparison: "XOR" }, [["comparison", "This value is not valid."]]],
    [
      "several mistakes at once",
      [
        { field: "chats.createdAt", operator: "=", value: "yesterday" },
        { field: "chats.nope", operator: "=", value: 1 },
      ],
      { limit: 500 },
      [
        ["filter[0].value", "This value should be of type numeric."],
        ["filter[1].field", "This value is not valid."],
        ["limit", "This value should be less than or equal to 100."],
      ],
    ],
  ])("%s → 400 invalid_request + field-path codes", async (_name, filter, extra, fieldErrors) => {
    const r = await searchChats(sb, filter, extra);
    expect(r.status).toBe(400);
    expect(r.json.errors).toEqual([
      { code: "invalid_request", message: "Invalid request" },
      ...fieldErrors.map(([code, message]) => ({ code, message })),
    ]);
  });

  it("a missing filter and a body that is not JSON are refused too", async () => {
    expect(codes(await call(sb, "POST", "/chats/search", { limit: 5 }))).toEqual(["invalid_request", "filter[0].field"]);
    const res = await fetch(`${sb.url}/chats/search`, {
      method: "POST",
      headers: { authorization: `Bearer ${sb.apiKey}` },
      body: "{filter:",
    });
    expect([res.status, await res.json()]).toEqual([400, { errors: [{ code: "invalid_request", message: "Invalid request" }] }]);
  });
});

describe("customer search", () => {
  const customers = () => [...sb.state.customers.values()];
  const find = async (filter: unknown[], extra: Record<string, unknown> = {}) => {
    const r = await call(sb, "POST", "/customers/search", { filter, limit: 100, ...extra });
    expect(r.status, JSON.stringify(r.json.errors)).toBe(200);
    return r;
  };

  it("filters on id, name, email, userId, company and lastSeen, answering {data, meta:{total}}", async () => {
    const someone = customers().find((c) => c.name && c.userId && c.company) as StoredCustomer;
    expect((await find([{ field: "customers.id", operator: "=", value: someone.id }])).json.data?.map((c) => c.id)).toEqual([someone.id]);
    expect((await find([{ field: "customers.userId", operator: "=", value: someone.userId }])).json.data?.map((c) => c.id)).toEqual([
      someone.id,
    ]);
    const byName = await find([{ field: "customers.name", operator: "~", value: (someone.name as string).split(" ")[0]?.toLowerCase() }]);
    expect(byName.json.meta?.total).toBe(
      customers().filter((c) => c.name?.toLowerCase().includes((someone.name as string).split(" ")[0]?.toLowerCase() as string)).length,
    );
    expect((await find([{ field: "customers.company", operator: "=", value: someone.company }])).json.meta?.total).toBe(
      customers().filter((c) => c.company === someone.company).length,
    );
    const day = Math.floor(Date.now() / 1000) - 86_400;
    expect((await find([{ field: "customers.lastSeen", operator: ">=", value: day }])).json.meta?.total).toBe(
      customers().filter((c) => Math.floor(c.lastSeen / 1000) >= day).length,
    );
    const email = await find(
      [
        { field: "customers.email", operator: "=", value: someone.email },
        { field: "customers.id", operator: "=", value: 1 },
      ],
      { comparison: "OR" },
    );
    expect(email.json.data?.map((c) => c.id)).toEqual([someone.id]);
  });

  it("sorts by customers.lastSeen and customers.firstSeen; refuses chat fields", async () => {
    const everyone = [{ field: "customers.id", operator: ">", value: 0 }];
    for (const key of ["lastSeen", "firstSeen"] as const) {
      const r = await find(everyone, { sort: `customers.${key}`, order: "desc", limit: 20 });
      const want = customers()
        .sort((a, b) => Math.floor(b[key] / 1000) - Math.floor(a[key] / 1000) || b.id - a.id)
        .slice(0, 20)
        .map((c) => c.id);
      expect(r.json.data?.map((c) => c.id)).toEqual(want);
    }
    const wrong = await call(sb, "POST", "/customers/search", { filter: [{ field: "chats.status", operator: "=", value: "new" }] });
    expect(codes(wrong)).toEqual(["invalid_request", "filter[0].field"]);
  });
});
