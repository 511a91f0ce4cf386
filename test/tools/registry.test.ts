import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ToolContext } from "../../src/runtime/context.js";
import { TOOLS } from "../../src/tools/index.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { type KnowledgeFixture, knowledgeFixture } from "../helpers/knowledge.js";

const READ_TOOLS = TOOLS.filter((t) => t.kind === "read").map((t) => t.name);
const WRITE_TOOLS = TOOLS.filter((t) => t.kind === "write").map((t) => t.name);

/** Saved replies configured, so search_knowledge is offered like every tool. */
let fixture: KnowledgeFixture;
beforeAll(async () => {
  fixture = await knowledgeFixture({ helpCenter: false });
});
afterAll(() => fixture.close());

describe("tools/list", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ knowledge: fixture.knowledge });
  });
  afterAll(() => h.close());

  it("registers every tool of the contract (more may be added without touching this list)", async () => {
    const { tools } = await h.mcp.listTools();
    const contract = [
      "triage_queue",
      "search_chats",
      "get_chat",
      "list_chat_messages",
      "list_agents",
      "list_departments",
      "search_customers",
      "search_knowledge",
      "chat_stats",
      "snooze_chat",
      "unsnooze_chat",
      "assign_chat",
      "set_chat_department",
      "set_chat_status",
      "send_message",
      "create_chat",
    ];
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(contract));
  });

  it("publishes a JSON Schema listing every parameter of every tool, each described", async () => {
    const { tools } = await h.mcp.listTools();
    for (const def of TOOLS) {
      const listed = tools.find((t) => t.name === def.name);
      const properties = (listed?.inputSchema.properties ?? {}) as Record<string, { description?: string }>;
      expect(Object.keys(properties).sort(), def.name).toEqual(Object.keys(def.inputSchema.shape).sort());
      for (const [param, schema] of Object.entries(properties)) {
        expect(schema.description, `${def.name}.${param} needs a description`).toBeTruthy();
      }
      expect(listed?.outputSchema?.type, def.name).toBe("object");
      expect(Object.keys(listed?.outputSchema?.properties ?? {}).length, def.name).toBeGreaterThan(0);
    }
  });

  it("declares honest annotations on every tool", async () => {
    const { tools } = await h.mcp.listTools();
    for (const tool of tools) {
      const a = tool.annotations ?? {};
      // Spec semantics: destructive/idempotent hints only mean something on a tool that writes;
      // openWorldHint defaults to true. Effective values are checked, not the published keys.
      expect(a.readOnlyHint, tool.name).toBe(READ_TOOLS.includes(tool.name));
      if (!a.readOnlyHint) expect(Object.keys(a), tool.name).toEqual(expect.arrayContaining(["destructiveHint", "idempotentHint"]));
      expect(a.openWorldHint ?? true).toBe(true);
    }
    const byName = Object.fromEntries(tools.map((t) => [t.name, t.annotations]));
    expect(byName.send_message?.idempotentHint).toBe(false);
    expect(byName.create_chat?.idempotentHint).toBe(false);
    expect(byName.assign_chat?.idempotentHint).toBe(true);
    expect(byName.set_chat_status?.destructiveHint).toBe(true);
  });

  it("keeps descriptions short: the whole list costs context in every conversation", () => {
    for (const tool of TOOLS) expect(tool.description.split(/\s+/).length, tool.name).toBeLessThanOrEqual(130);
  });

  // One reviewed snapshot per tool (like github-mcp-server's toolsnaps); after an intended change:
  // npx vitest run test/tools/registry.test.ts -u, then review the diff of test/__snapshots__/tools/.
  it("matches the reviewed snapshot of each tool's published definition", async () => {
    const { tools } = await h.mcp.listTools();
    for (const tool of tools)
      await expect(`${JSON.stringify(tool, null, 2)}\n`).toMatchFileSnapshot(`../__snapshots__/tools/${tool.name}.json`);
  });
});

describe("tool selection", () => {
  it("read-only mode registers no write tool", async () => {
    const h = await startHarness({ config: { readOnly: true }, knowledge: fixture.knowledge });
    try {
      const names = (await h.mcp.listTools()).tools.map((t) => t.name);
      expect(names.sort()).toEqual([...READ_TOOLS].sort());
      expect(names.some((n) => WRITE_TOOLS.includes(n))).toBe(false);
    } finally {
      await h.close();
    }
  });

  it("HELPCRUNCH_TOOLS registers only the named tools", async () => {
    const h = await startHarness({ config: { tools: ["get_chat", "assign_chat"] } });
    try {
      expect((await h.mcp.listTools()).tools.map((t) => t.name).sort()).toEqual(["assign_chat", "get_chat"]);
    } finally {
      await h.close();
    }
  });
});

describe("internal callers go through the same validation as tools/call", () => {
  it("a missing or wrong argument is an error result before the handler runs, and defaults apply", async () => {
    const getChat = TOOLS.find((t) => t.name === "get_chat");
    const noContext = {} as ToolContext; // the handler would need one: validation must answer first
    const missing = await getChat?.run({}, noContext);
    expect(missing).toMatchObject({
      isError: true,
      content: [{ type: "text", text: "Invalid arguments for get_chat: chat_id: Invalid input: expected number, received undefined." }],
    });
    const wrong = await getChat?.run({ chat_id: 1, messages: 500 }, noContext);
    expect(wrong?.isError).toBe(true);
  });
});
