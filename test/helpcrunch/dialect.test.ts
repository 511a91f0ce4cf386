/**
 * The client learns the account's dialect from the API's own answers: each test starts a sandbox
 * that speaks exactly one dialect (names; the docs' codes; a random code table; string-only
 * snoozedUntil; one on-hold spelling; restricted search sorts) and accepts nothing else.
 */
import { afterEach, describe, expect, it } from "vitest";
import { CHAT_STATUSES, type ChatStatus, createClient, type HelpCrunchClient, MAX_PROBES } from "../../src/helpcrunch/index.js";
import { DOCS_STATUS_CODES, randomStatusCodes, type SandboxDialect, type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { KEY } from "./helpers.js";

const open: Array<{ sandbox: SandboxHandle; client: HelpCrunchClient }> = [];

afterEach(async () => {
  for (const { sandbox, client } of open.splice(0)) {
    await client.close();
    await sandbox.stop();
  }
});

async function account(dialect: Partial<SandboxDialect>, seed = 17, statusFilter: "auto" | "name" | "code" = "auto") {
  const sandbox = await startSandbox({ apiKey: KEY, seed, dialect });
  const infos: string[] = [];
  const client = createClient({ baseUrl: sandbox.url, apiKey: KEY, retryBaseDelayMs: 5, statusFilter, onInfo: (m) => infos.push(m) });
  open.push({ sandbox, client });
  return { sandbox, client, infos };
}

const storedIds = (sandbox: SandboxHandle, statuses: string[]) =>
  [...sandbox.state.chats.values()]
    .filter((c) => statuses.includes(c.status))
    .map((c) => c.id)
    .sort((a, b) => a - b);

const searches = (sandbox: SandboxHandle) => sandbox.requests.filter((r) => r.path === "/chats/search" || r.path === "/chats");

const STATUS_DIALECTS: Array<[string, Partial<SandboxDialect>]> = [
  ["names", { statusFilter: "names" }],
  ["the docs' codes", { statusFilter: { codes: { ...DOCS_STATUS_CODES } } }],
  ["random codes (seed 1)", { statusFilter: { codes: randomStatusCodes(1) } }],
  ["random codes (seed 2)", { statusFilter: { codes: randomStatusCodes(2) } }],
  ["random codes (seed 99)", { statusFilter: { codes: randomStatusCodes(99) } }],
];

describe.each(STATUS_DIALECTS)("status filter: %s", (_name, dialect) => {
  it("one status, several statuses, and statuses with other filters return exactly the stored chats", async () => {
    const { sandbox, client } = await account(dialect);
    for (const statuses of [["pending"], ["new", "opened"], ["new", "opened", "pending", "onhold"], ["closed"]] as ChatStatus[][]) {
      const result = await client.scanChats({ statuses });
      expect(result.chats.map((c) => c.id).sort((a, b) => a - b)).toEqual(storedIds(sandbox, statuses));
      expect(result.notes).toEqual([]);
    }
    const page = await client.queryChats({ statuses: ["opened", "onhold"], departmentId: 1, limit: 100 });
    const expected = [...sandbox.state.chats.values()].filter((c) => ["opened", "onhold"].includes(c.status) && c.departmentId === 1);
    expect(page.total).toBe(expected.length);
    expect(page.chats.map((c) => c.id).sort((a, b) => a - b)).toEqual(expected.map((c) => c.id).sort((a, b) => a - b));
  });

  it("learns once per process, within the probe budget, shared by concurrent callers", async () => {
    const { sandbox, client, infos } = await account(dialect);
    await Promise.all([
      client.queryChats({ statuses: ["new"] }),
      client.queryChats({ statuses: ["opened"] }),
      client.scanChats({ statuses: ["pending"] }),
    ]);
    const report = client.dialect();
    expect(report.requests.probes).toBeLessThanOrEqual(MAX_PROBES);
    expect(infos.filter((m) => m.startsWith("HelpCrunch status filter"))).toHaveLength(1);
    sandbox.clearRequests();
    await client.queryChats({ statuses: ["closed"] });
    expect(searches(sandbox)).toHaveLength(1); // no more probes
    expect(client.dialect().requests.probes).toBe(report.requests.probes);
  });

  it("reports what it learned, with evidence; statuses asked for later are learned then", async () => {
    const { sandbox, client } = await account(dialect);
    await client.queryChats({ statuses: ["new"] });
    await client.scanChats({ statuses: [...CHAT_STATUSES] });
    const { statusFilter } = client.dialect();
    const codes = sandbox.dialect.statusFilter;
    if (codes === "names") {
      expect(statusFilter.encoding).toBe("name");
    } else {
      expect(statusFilter.encoding).toBe("code");
      // Every status the account has chats of is mapped to the sandbox's code, and nothing is mapped wrongly.
      for (const [status, code] of Object.entries(statusFilter.values)) expect(codes.codes[status as ChatStatus]).toBe(code);
      const present = new Set([...sandbox.state.chats.values()].map((c) => c.status));
      for (const status of present) expect(statusFilter.values[status as ChatStatus]).toBe(codes.codes[status as ChatStatus]);
      expect(statusFilter.evidence.join("\n")).toMatch(/names do not work/);
    }
  });
});

describe("a status with no chats yet", () => {
  it("stays unmapped and says so instead of guessing", async () => {
    const { sandbox, client } = await account({ statusFilter: { codes: { ...DOCS_STATUS_CODES } } });
    for (const chat of sandbox.state.chats.values()) if (chat.status === "empty") chat.status = "new";
    const result = await client.queryChats({ statuses: ["empty"] });
    expect(result.chats).toEqual([]);
    expect(result.notes.join(" ")).toMatch(/"empty" is not known yet/);
    const both = await client.scanChats({ statuses: ["empty", "pending"] });
    expect(both.chats.map((c) => c.id).sort((a, b) => a - b)).toEqual(storedIds(sandbox, ["pending"]));
    expect(client.dialect().requests.probes).toBeLessThanOrEqual(MAX_PROBES);
  });
});

describe("HELPCRUNCH_STATUS_FILTER override", () => {
  it("name sends names without probing", async () => {
    const { sandbox, client } = await account({ statusFilter: "names" }, 17, "name");
    await client.queryChats({ statuses: ["pending"] });
    expect(searches(sandbox)).toHaveLength(1);
    expect(client.dialect().requests.probes).toBe(0);
  });

  it("code skips the name probe", async () => {
    const { sandbox, client } = await account({ statusFilter: { codes: randomStatusCodes(5) } }, 17, "code");
    const result = await client.scanChats({ statuses: ["opened"] });
    expect(result.chats.map((c) => c.id).sort((a, b) => a - b)).toEqual(storedIds(sandbox, ["opened"]));
    expect(client.dialect().statusFilter.evidence.join("\n")).not.toMatch(/^name /m);
  });
});

describe("writes", () => {
  const chatOf = (sandbox: SandboxHandle, status: string) =>
    [...sandbox.state.chats.values()].find((c) => c.status === status)?.id as number;

  it.each(["integer", "string"] as const)("snoozedUntil as %s: learned from one refusal, then prepared right", async (encoding) => {
    const { sandbox, client } = await account({ snoozedUntil: encoding });
    const id = chatOf(sandbox, "opened");
    const until = Date.now() + 3_600_000;
    const first = client.prepare.snooze(id, until);
    expect(first.request.body.snoozedUntil).toBe(Math.floor(until / 1000)); // integer until told otherwise
    const done = await client.execute(first);
    const wire = sandbox.requests.filter((r) => r.path === "/chats/snooze").at(-1)?.body;
    expect(done.sent.body).toEqual(wire);
    expect(typeof (wire as { snoozedUntil: unknown }).snoozedUntil).toBe(encoding === "string" ? "string" : "number");
    expect(Boolean(done.fallback)).toBe(encoding === "string");
    expect(sandbox.state.chats.get(id)?.snoozedUntil).toBe(Math.floor(until / 1000) * 1000);
    // After learning, what dry_run would show is what goes on the wire, with no refusal.
    sandbox.clearRequests();
    const second = client.prepare.snooze(id, until + 60_000);
    const again = await client.execute(second);
    expect(again.fallback).toBeUndefined();
    expect(sandbox.requests.map((r) => r.body)).toEqual([second.request.body]);
  });

  it.each(["on hold", "onhold", "on-hold"] as const)('on-hold written as "%s": found, then sent first', async (spelling) => {
    const { sandbox, client } = await account({ onHoldWrite: spelling });
    const id = chatOf(sandbox, "opened");
    const done = await client.execute(client.prepare.setStatus(id, "onhold"));
    expect(done.sent.body).toEqual({ id, status: spelling });
    expect(sandbox.state.chats.get(id)?.status).toBe("onhold");
    sandbox.clearRequests();
    const next = client.prepare.setStatus(chatOf(sandbox, "opened"), "onhold");
    expect(next.request.body.status).toBe(spelling);
    await client.execute(next);
    expect(sandbox.requests.map((r) => r.body)).toEqual([next.request.body]);
  });

  it("a refusal that no fallback fixes is thrown after trying each form once", async () => {
    const { sandbox, client } = await account({ onHoldWrite: "on hold" });
    sandbox.addFault({
      path: "/chats/status",
      times: Number.POSITIVE_INFINITY,
      fault: { type: "status", status: 400, body: { errors: [{ code: "invalid_chat_value", message: "status value is invalid" }] } },
    });
    await expect(client.execute(client.prepare.setStatus(chatOf(sandbox, "opened"), "onhold"))).rejects.toThrow(/status value is invalid/);
    expect(sandbox.requests.filter((r) => r.path === "/chats/status").map((r) => (r.body as { status: string }).status)).toEqual([
      "on hold",
      "onhold",
      "on-hold",
    ]);
  });
});

describe("search sort", () => {
  it("falls back to a documented sort field once, and says so", async () => {
    const { sandbox, client } = await account({ searchSorts: ["chats.createdAt", "chats.lastCustomerMessageAt"] });
    const result = await client.queryChats({ statuses: ["opened"], sort: "lastMessage", limit: 5 });
    expect(result.chats).toHaveLength(5);
    expect(result.notes.join(" ")).toMatch(/cannot sort by chats.lastMessageAt/);
    sandbox.clearRequests();
    await client.queryChats({ statuses: ["opened"], sort: "lastMessage", limit: 5 });
    expect(searches(sandbox).map((r) => (r.body as { sort: string }).sort)).toEqual(["chats.lastCustomerMessageAt"]);
  });
});
