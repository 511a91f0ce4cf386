/** The server's instructions name exactly the registered tools. */
import { describe, expect, it } from "vitest";
import { selectTools, TOOL_NAMES } from "../../src/tools/index.js";
import { startHarness } from "../helpers/harness.js";
import { knowledgeFixture } from "../helpers/knowledge.js";

const mentioned = (text: string) => TOOL_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text));

describe("server instructions", () => {
  it.each([
    ["default", {}],
    ["read-only", { readOnly: true }],
    ["allowlist", { tools: ["search_chats", "get_chat", "snooze_chat"] }],
  ])("%s mode mentions every registered tool and no other", async (_mode, config) => {
    const h = await startHarness({ config });
    const instructions = h.mcp.getInstructions() ?? "";
    const listed = (await h.mcp.listTools()).tools.map((t) => t.name);
    await h.close();
    expect(mentioned(instructions).sort()).toEqual([...listed].sort());
    if ("readOnly" in config) expect(instructions).toMatch(/read-only: it cannot change chats/);
  });

  it("every tool has a phrase (a new tool cannot be left out silently)", async () => {
    const all = selectTools({ readOnly: false }).map((t) => t.name);
    const fixture = await knowledgeFixture({ helpCenter: false });
    const h = await startHarness({ knowledge: fixture.knowledge });
    const instructions = h.mcp.getInstructions() ?? "";
    await h.close();
    await fixture.close();
    expect(mentioned(instructions).sort()).toEqual([...all].sort());
    expect(instructions).toMatch(/<knowledge> comes from help-center pages/);
  });

  it("without a knowledge source, search_knowledge is neither listed nor mentioned", async () => {
    const h = await startHarness();
    const instructions = h.mcp.getInstructions() ?? "";
    const listed = (await h.mcp.listTools()).tools.map((t) => t.name);
    await h.close();
    expect(listed).not.toContain("search_knowledge");
    expect(instructions).not.toMatch(/search_knowledge|<knowledge>/);
  });
});
