import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Chat } from "../../src/helpcrunch/index.js";
import { getChat } from "../../src/tools/get_chat.js";
import { send } from "../helpcrunch/helpers.js";
import { type Harness, startHarness } from "../helpers/harness.js";
import { callOk } from "../helpers/typed-call.js";

let h: Harness;
let chat: Chat;

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 4 } });
  chat = (await h.api.searchChats({ statuses: ["opened"], limit: 1 })).data[0] as Chat;
});
afterAll(() => h.close());

describe("output limits", () => {
  it("truncates a 200 KB message with a note", async () => {
    const agent = (await h.api.listAgents())[0];
    await send(
      h.api,
      h.api.prepare.createMessage({
        chat: chat.id,
        text: `BIG ${"lorem ipsum ".repeat(17_000)}`,
        agent: agent?.id as number,
        type: "private",
      }),
    );
    const { text, structured } = await callOk(h, getChat, { chat_id: chat.id, messages: 3 });
    expect(text.length).toBeLessThan(10_000);
    expect(text).toContain("[truncated]");
    const messages = structured.messages;
    expect(messages.some((m) => m.truncated === true && m.text.length <= 1500)).toBe(true);
  });
});

describe("concurrency", () => {
  it("100 parallel tool calls all answer while HelpCrunch sees a bounded number in flight", async () => {
    h.sandbox.clearRequests();
    h.sandbox.addFault({ method: "GET", path: /^\/chats\/\d+$/, times: Number.POSITIVE_INFINITY, fault: { type: "delay", ms: 40 } });
    const results = await Promise.all(Array.from({ length: 100 }, () => h.call("get_chat", { chat_id: chat.id, messages: 0 })));
    h.sandbox.clearFaults();
    expect(results.every((r) => !r.isError)).toBe(true);
    const arrivals = h.sandbox.requests.filter((r) => r.path === `/chats/${chat.id}`).map((r) => r.at);
    expect(arrivals).toHaveLength(100);
    // Each answer takes ≥ 40 ms, so with at most 4 in flight no 35 ms window sees more than 4 arrivals.
    const maxInWindow = Math.max(...arrivals.map((t) => arrivals.filter((u) => u >= t && u < t + 35).length));
    expect(maxInWindow).toBeLessThanOrEqual(4);
  });
});
