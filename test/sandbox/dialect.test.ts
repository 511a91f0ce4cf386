/**
 * One dialect at a time: status filter encoding, snooze time type, on-hold write spelling and search
 * sorts each accept exactly what the chosen dialect says, so a client that guesses wrong fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_DIALECT,
  DOCS_STATUS_CODES,
  randomStatusCodes,
  SANDBOX_STATUSES,
  type SandboxDialect,
  type SandboxHandle,
  type SandboxStatus,
  type StoredChat,
  startSandbox,
} from "../../src/sandbox/index.js";
import { call, codes, searchChats } from "./helpers.js";

const started: SandboxHandle[] = [];
async function sandbox(dialect?: Partial<SandboxDialect>, seed = 5): Promise<SandboxHandle> {
  const sb = await startSandbox({ seed, dialect });
  started.push(sb);
  return sb;
}
afterAll(() => Promise.all(started.map((sb) => sb.stop())));

const invalidRequest = { code: "invalid_request", message: "Invalid request" };
const statusIs = (value: unknown, operator = "=") => ({ field: "chats.status", operator, value });

/** Every id a search matches (all pages), sorted. */
async function ids(sb: SandboxHandle, filter: unknown[], extra: Record<string, unknown> = {}): Promise<number[]> {
  const out: number[] = [];
  for (let offset = 0; ; offset += 100) {
    const r = await searchChats(sb, filter, { ...extra, offset, limit: 100 });
    expect(r.status, JSON.stringify(r.json.errors)).toBe(200);
    out.push(...(r.json.data ?? []).map((c) => c.id as number));
    if (offset + 100 >= (r.json.meta?.total as number)) return out.sort((a, b) => a - b);
  }
}
const total = async (sb: SandboxHandle, filter: unknown[], extra: Record<string, unknown> = {}) =>
  (await searchChats(sb, filter, extra)).json.meta?.total;
const stored = (sb: SandboxHandle, keep: (c: StoredChat) => boolean) =>
  [...sb.state.chats.values()]
    .filter(keep)
    .map((c) => c.id)
    .sort((a, b) => a - b);

describe("defaults and randomStatusCodes", () => {
  it("DEFAULT_DIALECT: names, integer snooze times, `on hold`, every chat sort; the handle shows the effective dialect", async () => {
    expect(DEFAULT_DIALECT).toEqual({
      statusFilter: "names",
      snoozedUntil: "integer",
      onHoldWrite: "on hold",
      searchSorts: ["chats.createdAt", "chats.lastMessageAt", "chats.lastCustomerMessageAt", "chats.closedAt", "chats.updatedAt"],
    });
    expect((await sandbox()).dialect).toEqual(DEFAULT_DIALECT);
    expect((await sandbox({ snoozedUntil: "string" })).dialect).toEqual({ ...DEFAULT_DIALECT, snoozedUntil: "string" });
  });

  it("is deterministic: 7 distinct codes from 0..7, one per status; other seeds give other tables", () => {
    const tables = Array.from({ length: 12 }, (_, seed) => randomStatusCodes(seed));
    expect(randomStatusCodes(3)).toEqual(randomStatusCodes(3));
    for (const table of tables) {
      expect(Object.keys(table).sort()).toEqual([...SANDBOX_STATUSES].sort());
      const values = Object.values(table);
      expect(new Set(values).size).toBe(7);
      for (const v of values) expect(["0", "1", "2", "3", "4", "5", "6", "7"]).toContain(v);
    }
    expect(new Set(tables.map((t) => JSON.stringify(t))).size).toBe(tables.length);
    expect(tables.some((t) => JSON.stringify(t) === JSON.stringify(DOCS_STATUS_CODES))).toBe(false);
  });

  it("refuses a code table with duplicate codes and unknown search sorts at start", async () => {
    await expect(startSandbox({ dialect: { statusFilter: { codes: { ...DOCS_STATUS_CODES, empty: "1" } } } })).rejects.toThrow(/distinct/);
    await expect(startSandbox({ dialect: { searchSorts: ["chats.rating"] } })).rejects.toThrow(/searchSorts/);
  });
});

describe.each([
  ["random codes (seed 7)", randomStatusCodes(7)],
  ["random codes (seed 1234)", randomStatusCodes(1234)],
  ["the docs' codes", DOCS_STATUS_CODES as Record<SandboxStatus, string>],
])("status filters by %s", (_name, table) => {
  let sb: SandboxHandle;
  beforeAll(async () => {
    sb = await sandbox({ statusFilter: { codes: table } });
  });

  it.each(SANDBOX_STATUSES.map((s) => [s]))(
    "%s: its code (string or number) finds exactly the stored chats; its name finds none",
    async (status) => {
      const want = stored(sb, (c) => c.status === status);
      expect(want.length).toBeGreaterThan(0);
      expect(await ids(sb, [statusIs(table[status])])).toEqual(want);
      expect(await ids(sb, [statusIs(Number(table[status]))])).toEqual(want);
      expect(await total(sb, [statusIs(status)])).toBe(0);
    },
  );

  it("names in any spelling, the unused code and other numbers match nothing, without an error", async () => {
    const unused = ["0", "1", "2", "3", "4", "5", "6", "7", "8"].filter((c) => !Object.values(table).includes(c));
    for (const value of ["on hold", "onhold", "open", "New", ...unused, "04", "", 99])
      expect(await total(sb, [statusIs(value)]), String(value)).toBe(0);
  });

  it("OR of two codes; != a code; != a value that means nothing matches every chat", async () => {
    const either = await ids(sb, [statusIs(table.new), statusIs(table.onhold)], { comparison: "OR" });
    expect(either).toEqual(stored(sb, (c) => c.status === "new" || c.status === "onhold"));
    expect(await ids(sb, [statusIs(table.closed, "!=")])).toEqual(stored(sb, (c) => c.status !== "closed"));
    expect(await ids(sb, [statusIs("closed", "!=")])).toEqual(stored(sb, () => true));
    expect(await ids(sb, [statusIs(table.new, "!="), statusIs(table.empty, "!=")])).toEqual(
      stored(sb, (c) => c.status !== "new" && c.status !== "empty"),
    );
  });

  it("a value that is neither string nor number is a type error", async () => {
    const r = await searchChats(sb, [statusIs(true)]);
    expect([r.status, r.json.errors]).toEqual([
      400,
      [invalidRequest, { code: "filter[0].value", message: "This value should be of type string." }],
    ]);
  });
});

describe("status filters by name (explicit)", () => {
  it("codes of any table match nothing; the names match exactly the stored chats", async () => {
    const sb = await sandbox({ statusFilter: "names" });
    for (const status of SANDBOX_STATUSES) {
      expect(await ids(sb, [statusIs(status)])).toEqual(stored(sb, (c) => c.status === status));
      expect(await total(sb, [statusIs(DOCS_STATUS_CODES[status])])).toBe(0);
      expect(await total(sb, [statusIs(randomStatusCodes(7)[status])])).toBe(0);
    }
    expect(await total(sb, [statusIs("on hold")])).toBe(0);
    expect(await ids(sb, [statusIs("on hold", "!=")])).toEqual(stored(sb, () => true));
  });
});

describe("PUT /chats/snooze per dialect", () => {
  const chatOf = (sb: SandboxHandle) => ([...sb.state.chats.values()].find((c) => c.status === "opened") as StoredChat).id;
  const until = Math.floor(Date.now() / 1000) + 3_600;
  const snooze = (sb: SandboxHandle, snoozedUntil: unknown) => call(sb, "PUT", "/chats/snooze", { id: chatOf(sb), snoozedUntil });
  const typeError = (type: string) => ({
    errors: [invalidRequest, { code: "snoozedUntil", message: `This value should be of type ${type}.` }],
  });

  it("integer: a JSON integer only", async () => {
    const sb = await sandbox({ snoozedUntil: "integer" });
    expect((await snooze(sb, until)).json.snoozedUntil).toBe(`${until}.000`);
    for (const bad of [String(until), "tomorrow", 1.5, true]) {
      const r = await snooze(sb, bad);
      expect([r.status, r.json], String(bad)).toEqual([400, typeError("integer")]);
    }
    expect(sb.state.chats.get(chatOf(sb))?.snoozedUntil).toBe(until * 1000);
    expect((await snooze(sb, null)).json.snoozedUntil).toBeNull();
  });

  it("string: a numeric string only", async () => {
    const sb = await sandbox({ snoozedUntil: "string" });
    expect((await snooze(sb, String(until))).json.snoozedUntil).toBe(`${until}.000`);
    const r = await snooze(sb, until + 60);
    expect([r.status, r.json]).toEqual([
      400,
      { errors: [invalidRequest, { code: "snoozedUntil", message: "This value should be of type string." }] },
    ]);
    expect([(await snooze(sb, 1.5)).json, (await snooze(sb, "tomorrow")).json]).toEqual([typeError("string"), typeError("numeric")]);
    expect(sb.state.chats.get(chatOf(sb))?.snoozedUntil).toBe(until * 1000);
    expect((await snooze(sb, null)).json.snoozedUntil).toBeNull();
  });

  it("either: both, nothing else", async () => {
    const sb = await sandbox({ snoozedUntil: "either" });
    expect((await snooze(sb, until)).json.snoozedUntil).toBe(`${until}.000`);
    expect((await snooze(sb, String(until + 60))).json.snoozedUntil).toBe(`${until + 60}.000`);
    expect([(await snooze(sb, 1.5)).json, (await snooze(sb, "tomorrow")).json]).toEqual([typeError("numeric"), typeError("numeric")]);
  });
});

describe.each([["onhold"], ["on hold"], ["on-hold"]] as const)("PUT /chats/status with onHoldWrite %j", (spelling) => {
  it("takes that spelling only; other statuses by their canonical name", async () => {
    const sb = await sandbox({ onHoldWrite: spelling });
    const chat = [...sb.state.chats.values()].find((c) => c.status === "opened") as StoredChat;
    const put = (status: unknown) => call(sb, "PUT", "/chats/status", { id: chat.id, status });
    for (const other of ["onhold", "on hold", "on-hold", "On Hold", "on_hold"].filter((s) => s !== spelling)) {
      const r = await put(other);
      expect([r.status, r.json], other).toEqual([400, { errors: [{ code: "invalid_chat_value", message: "status value is invalid" }] }]);
      expect(chat.status).toBe("opened");
    }
    expect((await put(spelling)).status).toBe(200);
    expect(chat.status).toBe("onhold");
    for (const status of ["new", "pending", "no communication", "closed", "opened"]) {
      expect((await put(status)).status, status).toBe(200);
      expect(chat.status).toBe(status);
    }
    for (const bad of ["empty", "Closed", "4", DOCS_STATUS_CODES.pending])
      expect(codes(await put(bad)), bad).toEqual(["invalid_chat_value"]);
  });
});

describe("search sorts per dialect", () => {
  it("POST /chats/search refuses sorts outside the dialect's list; GET /chats takes every chat sort", async () => {
    const sb = await sandbox({ searchSorts: ["chats.createdAt", "lastMessageAt"] });
    const any = [{ field: "chats.createdAt", operator: ">", value: 0 }];
    for (const sort of ["chats.createdAt", "createdAt", "chats.lastMessageAt", "lastMessageAt", undefined])
      expect((await searchChats(sb, any, { sort })).status, String(sort)).toBe(200);
    for (const sort of ["chats.updatedAt", "closedAt", "chats.lastCustomerMessageAt", "chats.rating"]) {
      const r = await searchChats(sb, any, { sort });
      expect([r.status, r.json.errors], sort).toEqual([400, [invalidRequest, { code: "sort", message: "This value is not valid." }]]);
    }
    expect((await call(sb, "GET", "/chats?sort=chats.updatedAt&limit=5")).status).toBe(200);
    expect((await call(sb, "GET", "/chats?sort=closedAt&limit=5")).status).toBe(200);
  });
});

describe("ignored search sorts", () => {
  const open = [statusIs("opened")];
  const pageIds = async (sb: SandboxHandle, extra: Record<string, unknown>) => {
    const r = await searchChats(sb, open, { limit: 30, ...extra });
    expect(r.status, JSON.stringify(r.json.errors)).toBe(200);
    return (r.json.data ?? []).map((c) => c.id as number);
  };

  it("accepts an ignored sort without error and answers in the default order, whatever `order` says", async () => {
    const sb = await sandbox({ ignoredSearchSorts: ["lastCustomerMessageAt"] });
    const byDefault = await pageIds(sb, {});
    const newestFirst = [...sb.state.chats.values()]
      .filter((c) => c.status === "opened")
      .sort((a, b) => Math.floor(b.createdAt / 1000) - Math.floor(a.createdAt / 1000) || b.id - a.id)
      .slice(0, 30)
      .map((c) => c.id);
    expect(byDefault).toEqual(newestFirst);
    for (const sort of ["chats.lastCustomerMessageAt", "lastCustomerMessageAt"])
      for (const order of ["asc", "desc", undefined]) expect(await pageIds(sb, { sort, order }), `${sort} ${order}`).toEqual(byDefault);
    // Other sorts are still honoured, and a bad `order` is still refused.
    const byLastMessage = await pageIds(sb, { sort: "chats.lastMessageAt", order: "asc" });
    expect(byLastMessage).not.toEqual(byDefault);
    expect((await searchChats(sb, open, { sort: "lastCustomerMessageAt", order: "sideways" })).status).toBe(400);
  });

  it("an ignored key is accepted even when searchSorts leaves it out; an unknown one is refused at start", async () => {
    const sb = await sandbox({ searchSorts: ["chats.createdAt"], ignoredSearchSorts: ["chats.closedAt"] });
    expect(await pageIds(sb, { sort: "closedAt", order: "asc" })).toEqual(await pageIds(sb, {}));
    expect((await searchChats(sb, open, { sort: "chats.lastMessageAt" })).status).toBe(400);
    expect(sb.dialect.ignoredSearchSorts).toEqual(["chats.closedAt"]);
    await expect(startSandbox({ dialect: { ignoredSearchSorts: ["chats.rating"] } })).rejects.toThrow(/ignoredSearchSorts/);
  });
});
