/**
 * End to end: the built server spawned over stdio, talking to the sandbox over real HTTP.
 * Every tool's happy path, and for every write tool the exact HTTP call the sandbox received.
 */
import type { CallToolResult, Client } from "@modelcontextprotocol/client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, type HelpCrunchClient } from "../../src/helpcrunch/index.js";
import { type SandboxHandle, startSandbox } from "../../src/sandbox/index.js";
import { createChat } from "../../src/tools/create_chat.js";
import { getChat } from "../../src/tools/get_chat.js";
import { selectTools, TOOLS } from "../../src/tools/index.js";
import { searchChats } from "../../src/tools/search_chats.js";
import { searchCustomers } from "../../src/tools/search_customers.js";
import { triageQueue } from "../../src/tools/triage_queue.js";
import { connectStdio } from "../helpers/spawn.js";
import { parsed } from "../helpers/typed-call.js";

let sandbox: SandboxHandle;
let api: HelpCrunchClient;
let mcp: Client;
let stderr: string[];
let close: () => Promise<void>;
let chatIds: number[];
let agent: { id: number; name: string | null; email: string | null };
let department: { id: number; name: string | null };
let customerId: number;
let applicationId: number;

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  const result = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
  const tool = TOOLS.find((t) => t.name === name);
  if (!result.isError) expect(tool?.outputSchema.safeParse(result.structuredContent).success, `${name} structuredContent`).toBe(true);
  return result;
}

const writes = () => sandbox.requests.filter((r) => r.method !== "GET" && !r.path.endsWith("/search"));
const textOf = (r: CallToolResult) => (r.content[0]?.type === "text" ? r.content[0].text : "");

beforeAll(async () => {
  sandbox = await startSandbox({ seed: 7 });
  api = createClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
  const [agents, departments, apps, open] = await Promise.all([
    api.listAgents(),
    api.listDepartments(),
    api.listApplications(),
    api.searchChats({ statuses: ["opened"], limit: 10 }),
  ]);
  agent = agents[0] as typeof agent;
  department = departments[1] as typeof department;
  applicationId = (apps[0] as { id: number }).id;
  chatIds = open.data.map((c) => c.id);
  customerId = open.data[0]?.customer?.id as number;
  ({
    client: mcp,
    stderr,
    close,
  } = await connectStdio({
    HELPCRUNCH_BASE_URL: sandbox.url,
    HELPCRUNCH_API_KEY: sandbox.apiKey,
    HELPCRUNCH_ALLOW_CUSTOMER_MESSAGES: "true",
    HELPCRUNCH_DEFAULT_AGENT: agent.email ?? String(agent.id),
  }));
});

afterAll(async () => {
  await close?.();
  await api?.close();
  await sandbox?.stop();
});

beforeEach(() => sandbox.clearRequests());

describe("read tools over stdio", () => {
  it("lists tools with schemas and annotations", async () => {
    const { tools } = await mcp.listTools();
    // No HELPCRUNCH_KNOWLEDGE_URL or HELPCRUNCH_SAVED_REPLIES here: search_knowledge is not offered.
    expect(tools).toHaveLength(selectTools({ readOnly: false, knowledge: false }).length);
    for (const t of tools) {
      expect(t.inputSchema.type).toBe("object");
      expect(t.annotations?.readOnlyHint).toBeTypeOf("boolean");
    }
  });

  it("triage_queue ranks the open queue", async () => {
    const r = await call("triage_queue", { limit: 5 });
    const s = parsed(triageQueue, r);
    expect(s.counts.open).toBeGreaterThan(0);
    expect(s.chats).toHaveLength(5);
    expect(s.chats.every((c) => c.reason.length > 0)).toBe(true);
    expect(textOf(r)).toMatch(/^Open queue: \d+ chats/);
  });

  it("search_chats filters by status and pages", async () => {
    const r = await call("search_chats", { status: ["opened"], limit: 5 });
    const s = parsed(searchChats, r);
    expect(s.chats).toHaveLength(5);
    expect(s.chats.every((c) => c.status === "opened")).toBe(true);
    expect(s.next_offset).toBe(5);
    expect(sandbox.requests.map((q) => `${q.method} ${q.path}`)).toEqual(["POST /chats/search"]);
  });

  it("get_chat returns the summary and messages oldest → newest", async () => {
    const r = await call("get_chat", { chat_id: chatIds[0], messages: 5 });
    const s = parsed(getChat, r);
    expect(s.chat.id).toBe(chatIds[0]);
    const times = s.messages.map((m) => m.created_at ?? "");
    expect(times).toEqual([...times].sort());
  });

  it("list_chat_messages, list_agents, list_departments, search_customers answer", async () => {
    expect((await call("list_chat_messages", { chat_id: chatIds[0], limit: 3 })).isError).toBeFalsy();
    expect((await call("list_agents", {})).structuredContent).toHaveProperty("agents");
    expect((await call("list_departments", {})).structuredContent).toHaveProperty("departments");
    const customers = parsed(searchCustomers, await call("search_customers", { query: String(customerId) }));
    expect(customers.customers[0]?.id).toBe(customerId);
  });
});

describe("resources and prompts over stdio", () => {
  it("reads the queue briefing and a chat resource", async () => {
    const queue = await mcp.readResource({ uri: "helpcrunch://queue" });
    expect((queue.contents[0] as { text: string }).text).toMatch(/^Open queue: \d+ chats/);
    const listed = await mcp.listResources();
    const chatResource = listed.resources.find((r) => r.uri.startsWith("helpcrunch://chats/"));
    expect(chatResource).toBeDefined();
    const chat = await mcp.readResource({ uri: chatResource?.uri as string });
    expect((chat.contents[0] as { text: string }).text).toMatch(/^#\d+ /);
    const templates = await mcp.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain("helpcrunch://chats/{chat_id}");
  });

  it("completes chat ids for the chat resource", async () => {
    const completion = await mcp.complete({
      ref: { type: "ref/resource", uri: "helpcrunch://chats/{chat_id}" },
      argument: { name: "chat_id", value: "" },
    });
    expect(completion.completion.values.length).toBeGreaterThan(0);
    expect(completion.completion.values.every((v) => /^\d+$/.test(v))).toBe(true);
  });

  it("gets the triage_inbox, summarize_chat and team_report prompts", async () => {
    const { prompts } = await mcp.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(["summarize_chat", "team_report", "triage_inbox"]);
    const report = await mcp.getPrompt({ name: "team_report", arguments: { window: "30d", department: "Billing" } });
    const reportText = (report.messages[0]?.content as { text: string }).text;
    expect(reportText).toContain('chat_stats with from: "30d", department: "Billing", group_by: "agent", response_times: true');
    expect(reportText).toContain('triage_queue with department: "Billing"');
    const triage = await mcp.getPrompt({ name: "triage_inbox", arguments: { department: "Billing" } });
    const text = (triage.messages[0]?.content as { text: string }).text;
    expect(text).toMatch(/triage_queue with department: "Billing"/);
    expect(text).toMatch(/Ask me before making any change/);
    const summary = await mcp.getPrompt({ name: "summarize_chat", arguments: { chat_id: String(chatIds[0]) } });
    expect((summary.messages[0]?.content as { text: string }).text).toContain(`get_chat with chat_id ${chatIds[0]}`);
  });
});

describe("write tools over stdio send exactly the documented request", () => {
  it("assign_chat → PUT /chats/assignee", async () => {
    const r = await call("assign_chat", { chat_id: chatIds[1], agent: agent.name });
    expect(r.isError).toBeFalsy();
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "PUT", path: "/chats/assignee", body: { id: chatIds[1], assignee: agent.id } },
    ]);
    expect(textOf(r)).toContain(`assignee: `);
  });

  it("snooze_chat → PUT /chats/snooze with integer seconds; unsnooze_chat → null", async () => {
    const before = Math.floor(Date.now() / 1000) + 7200;
    await call("snooze_chat", { chat_id: chatIds[2], until: "2h" });
    await call("unsnooze_chat", { chat_id: chatIds[2] });
    const [snooze, unsnooze] = writes();
    expect(snooze).toMatchObject({ method: "PUT", path: "/chats/snooze", body: { id: chatIds[2] } });
    const until = (snooze?.body as { snoozedUntil: number }).snoozedUntil;
    expect(Number.isInteger(until)).toBe(true);
    expect(until).toBeGreaterThanOrEqual(before - 5);
    expect(until).toBeLessThanOrEqual(before + 5);
    expect(unsnooze).toMatchObject({ method: "PUT", path: "/chats/snooze", body: { id: chatIds[2], snoozedUntil: null } });
  });

  it("set_chat_department → PUT /chats/department", async () => {
    await call("set_chat_department", { chat_id: chatIds[3], department: department.name });
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "PUT", path: "/chats/department", body: { id: chatIds[3], department: department.id } },
    ]);
  });

  it("set_chat_status → PUT /chats/status", async () => {
    await call("set_chat_status", { chat_id: chatIds[4], status: "pending" });
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "PUT", path: "/chats/status", body: { id: chatIds[4], status: "pending" } },
    ]);
  });

  it("send_message → POST /messages with the agent", async () => {
    const r = await call("send_message", { chat_id: chatIds[5], text: "Checked the logs, refund is on its way.", private: true });
    expect(r.isError).toBeFalsy();
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      {
        method: "POST",
        path: "/messages",
        body: { chat: chatIds[5], text: "Checked the logs, refund is on its way.", agent: agent.id, type: "private" },
      },
    ]);
  });

  it("create_chat → POST /chats then POST /messages", async () => {
    const r = await call("create_chat", {
      customer: customerId,
      application_id: applicationId,
      message: "Hi, following up on your order.",
    });
    expect(r.isError).toBeFalsy();
    const chat = parsed(createChat, r).chat;
    expect(chat).toBeDefined();
    const created = chat?.id;
    expect(writes().map(({ method, path, body }) => ({ method, path, body }))).toEqual([
      { method: "POST", path: "/chats", body: { customer: customerId, application: applicationId } },
      {
        method: "POST",
        path: "/messages",
        body: { chat: created, text: "Hi, following up on your order.", agent: agent.id, type: "message" },
      },
    ]);
  });

  it("wrote nothing but JSON-RPC to stdout and logged each write to the audit trail", () => {
    // The SDK client would have failed to parse a stray stdout line; stderr carries the audit lines.
    expect(stderr.join("")).toMatch(/audit \{"time":.*"tool":"assign_chat"/);
  });
});
