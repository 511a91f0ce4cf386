import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Agent, Chat } from "../../src/helpcrunch/index.js";
import { assignChat } from "../../src/tools/assign_chat.js";
import { createChat } from "../../src/tools/create_chat.js";
import { setChatDepartment } from "../../src/tools/set_chat_department.js";
import { setChatStatus } from "../../src/tools/set_chat_status.js";
import { snoozeChat } from "../../src/tools/snooze_chat.js";
import { unsnoozeChat } from "../../src/tools/unsnooze_chat.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk, parsed } from "../helpers/typed-call.js";

/** A reversible chat write: they share one output schema (src/tools/kit/chat-write.ts). */
type ChatWrite = Pick<typeof setChatStatus, "name" | "outputSchema">;

const auditFile = join(tmpdir(), `helpcrunch-audit-${process.pid}.jsonl`);
let h: Harness;
let agent: Agent;
let chats: Chat[];

beforeAll(async () => {
  rmSync(auditFile, { force: true });
  h = await startHarness({ sandbox: { seed: 5 }, config: { auditLog: auditFile } });
  agent = (await h.api.listAgents())[1] as Agent;
  chats = (await h.api.searchChats({ statuses: ["opened"], limit: 60 })).data;
});
afterAll(async () => {
  await h.close();
  rmSync(auditFile, { force: true });
});
beforeEach(() => h.sandbox.clearRequests());

describe("chat writes", () => {
  it("reports what changed, before → after", async () => {
    const chat = chats.find((c) => c.assignee?.id !== agent.id) as Chat;
    const r = await h.call("assign_chat", { chat_id: chat.id, agent: agent.email });
    expect(h.text(r).split("\n")[0]).toBe(`#${chat.id} assignee: ${chat.assignee?.name ?? "unassigned"} → ${agent.name}`);
    const again = await h.call("assign_chat", { chat_id: chat.id, agent: "none" });
    expect(h.text(again).split("\n")[0]).toBe(`#${chat.id} assignee: ${agent.name} → unassigned`);
    expect(h.writes().map((w) => w.body)).toEqual([
      { id: chat.id, assignee: agent.id },
      { id: chat.id, assignee: null },
    ]);
  });

  it("requires exactly one of chat_id and chat_ids, before any request", async () => {
    for (const args of [
      { agent: agent.id },
      { chat_id: 1, chat_ids: [2], agent: agent.id },
      { chat_ids: [], agent: agent.id },
      { chat_ids: Array.from({ length: 51 }, (_, i) => i + 1), agent: agent.id },
    ]) {
      expect((await h.call("assign_chat", args)).isError, JSON.stringify(args).slice(0, 60)).toBe(true);
    }
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it("bulk: every chat gets its own result, a failure hides no other", async () => {
    const ids = [chats[0]?.id, 987_654_321, chats[1]?.id, chats[2]?.id] as number[];
    const r = await h.call("set_chat_status", { chat_ids: ids, status: "pending" });
    const s = parsed(setChatStatus, r);
    expect(r.isError).toBeFalsy();
    expect(s.succeeded).toBe(3);
    expect(s.failed).toBe(1);
    expect(s.results.map((x) => x.chat_id)).toEqual(ids);
    expect(s.results[1]).toEqual({ chat_id: 987_654_321, ok: false, error: "Chat 987654321 not found. Use search_chats to find the id." });
    expect(h.writes()).toHaveLength(4);
    const after = await Promise.all([chats[0], chats[1], chats[2]].map((c) => h.api.getChat((c as Chat).id)));
    expect(after.every((c) => c.status === "pending")).toBe(true);
  });

  it("bulk reports progress per chat when the client asks for it, except the last: the result says that one", async () => {
    const progress: number[] = [];
    const ids = chats.slice(10, 16).map((c) => c.id);
    await h.mcp.callTool(
      { name: "unsnooze_chat", arguments: { chat_ids: ids } },
      {
        onprogress: (p) => {
          progress.push(p.progress);
        },
      },
    );
    expect(progress).toEqual([1, 2, 3, 4, 5]);
  });

  it("rejects a snooze in the past with the way out", async () => {
    const r = await h.call("snooze_chat", { chat_id: chats[0]?.id, until: "2020-01-01" });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(/is in the past. Give a future time such as "2h"/);
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ["snooze_chat", { until: "999999999999w" }, "until"],
    ["snooze_chat", { until: "999999999999w", dry_run: true }, "until"],
    ["snooze_chat", { until: "9999-12-31" }, "until"],
    ["chat_stats", { from: "999999999999w" }, "from"],
    ["search_chats", { created_after: "999999999999w" }, "created_after"],
    ["search_chats", { created_before: "1000d1000w99999999999h" }, "created_before"],
  ])("%s %j: times beyond 10 years are refused in one sentence naming the parameter, before any request", async (tool, args, param) => {
    h.sandbox.clearRequests();
    const r = await h.call(tool, { chat_id: chats[0]?.id, ...args });
    expect(r.isError).toBe(true);
    expect(h.text(r)).toMatch(new RegExp(`^${param} ".*" is (too far|more than 10 years)[^\n]*10 years[^\n]*.$`));
    expect(h.sandbox.requests).toHaveLength(0);
  });

  it.each<[string, ChatWrite, Record<string, unknown>]>([
    [setChatDepartment.name, setChatDepartment, { department: "Billing" }],
    [assignChat.name, assignChat, { agent: "Marcus Chen" }],
    [snoozeChat.name, snoozeChat, { until: "2030-01-01T09:00:00Z" }],
    [unsnoozeChat.name, unsnoozeChat, {}],
    [setChatStatus.name, setChatStatus, { status: "pending" }],
  ])("%s dry_run sends nothing and returns the request a real call sends", async (tool, write, args) => {
    const chat = chats[20] as Chat;
    h.sandbox.clearRequests();
    const dry = parsed(write, await h.call(tool, { chat_id: chat.id, ...args, dry_run: true }));
    expect(h.writes()).toHaveLength(0);
    expect((await h.call(tool, { chat_id: chat.id, ...args })).isError).toBeFalsy();
    const sent = h.writes()[0];
    expect(dry.results[0]?.request).toEqual({ method: sent?.method, path: sent?.path, body: sent?.body });
  });

  it("create_chat dry_run matches the real POST /chats", async () => {
    const chat = chats[21] as Chat;
    const args = { customer: chat.customer?.id, application_id: chat.applicationId, assignee: "Marcus Chen", department: "Sales" };
    const dry = (await callOk(h, createChat, { ...args, dry_run: true })).structured;
    expect(h.writes()).toHaveLength(0);
    await h.call("create_chat", args);
    const sent = h.writes()[0];
    expect(dry.requests).toEqual([{ method: sent?.method, path: sent?.path, body: sent?.body }]);
  });

  it("cancellation stops the remaining chats of a bulk change", async () => {
    h.sandbox.addFault({ method: "PUT", path: "/chats/assignee", times: Number.POSITIVE_INFINITY, fault: { type: "delay", ms: 100 } });
    const controller = new AbortController();
    const call = h.mcp.callTool(
      { name: "assign_chat", arguments: { chat_ids: chats.slice(0, 50).map((c) => c.id), agent: agent.id } },
      { signal: controller.signal },
    );
    // Cancel once the first write has reached HelpCrunch, whatever the machine's speed.
    while (h.writes().length === 0) await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    await expect(call).rejects.toThrow();
    await new Promise((r) => setTimeout(r, 400));
    h.sandbox.clearFaults();
    const sent = h.writes().filter((w) => w.path === "/chats/assignee").length;
    expect(sent).toBeGreaterThan(0);
    expect(sent).toBeLessThanOrEqual(8);
  });

  it("writes one audit line per write that reached HelpCrunch", async () => {
    const before = readFileSync(auditFile, "utf8").trim().split("\n").length;
    const chat = chats[30] as Chat;
    await h.call("snooze_chat", { chat_id: chat.id, until: "1d" });
    await h.call("snooze_chat", { chat_id: 987_654_321, until: "1d" });
    const lines = readFileSync(auditFile, "utf8").trim().split("\n");
    expect(lines.length).toBe(before + 1); // the unknown chat failed its read before any write
    const entry = JSON.parse(lines.at(-1) as string);
    expect(entry).toMatchObject({
      tool: "snooze_chat",
      chat_id: chat.id,
      outcome: "ok",
      before: "not snoozed",
      request: { method: "PUT", path: "/chats/snooze" },
    });
    expect(entry.after).toMatch(/^snoozed until \d{4}-/);
    expect(Date.parse(entry.time)).not.toBeNaN();
    expect(readFileSync(auditFile, "utf8")).not.toContain(h.sandbox.apiKey);
  });

  it("audits a write whose outcome is unknown, and one HelpCrunch refused (mutation survivors)", async () => {
    const [lost, refused] = [chats[31] as Chat, chats[32] as Chat];
    // Lost every time: the retries of this idempotent PUT all lose their answers too.
    h.sandbox.addFault({ method: "PUT", path: "/chats/snooze", times: 10, fault: { type: "lose-response" } });
    await h.call("snooze_chat", { chat_ids: [lost.id], until: "1d" });
    h.sandbox.clearFaults();
    h.sandbox.addFault({
      method: "PUT",
      path: "/chats/snooze",
      fault: { type: "status", status: 400, body: { errors: [{ code: "invalid_request", message: "no" }] } },
    });
    await h.call("snooze_chat", { chat_ids: [refused.id], until: "1d" });
    const entries = readFileSync(auditFile, "utf8")
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { chat_id: number; outcome: string });
    expect(entries.find((e) => e.chat_id === lost.id)?.outcome).toBe("unknown");
    expect(entries.find((e) => e.chat_id === refused.id)?.outcome).toBe("error");
  });
});
