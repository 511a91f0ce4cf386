/** Ids are positive safe integers everywhere: 1e308 used to reach HelpCrunch as "1e+308". */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 6 } });
});
afterAll(() => h.close());
beforeEach(() => h.sandbox.clearRequests());

describe("ids out of range are refused before any request", () => {
  it.each<[string, Record<string, unknown>]>([
    ["get_chat", { chat_id: 1e308 }],
    ["get_chat", { chat_id: 2 ** 53 }],
    ["list_chat_messages", { chat_id: 1e20 }],
    ["snooze_chat", { chat_ids: [1, 1e308], until: "1h" }],
    ["assign_chat", { chat_id: 1, agent: 1e308 }],
    ["search_chats", { assignee: -3 }],
    ["create_chat", { customer: 1, application_id: 1e300 }],
  ])("%s %j", async (tool, args) => {
    const result = await h.call(tool, args);
    expect(result.isError).toBe(true);
    expect(h.sandbox.requests).toEqual([]);
  });

  it("a resource URI with a 20-digit id is refused, not read as 1e20", async () => {
    await expect(h.mcp.readResource({ uri: "helpcrunch://chats/99999999999999999999" })).rejects.toThrow(/Invalid chat id/);
    await expect(h.mcp.readResource({ uri: "helpcrunch://chats/1e3" })).rejects.toThrow(/Invalid chat id/);
    expect(h.sandbox.requests).toEqual([]);
  });
});
