/** Customer text that once broke pages: numeric references past U+10FFFF and lone surrogates. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../helpers/harness.js";

const HOSTILE = "refund &#9999999; please &#55296; now \uD800 or &#x110000; ok";
let h: Harness;
let chatId: number;

beforeAll(async () => {
  h = await startHarness({ sandbox: { seed: 4 } });
  const chat = [...h.sandbox.state.chats.values()].find(
    (c) => c.status === "opened" && (h.sandbox.state.messages.get(c.id)?.length ?? 0) > 0,
  );
  if (!chat) throw new Error("seed has no opened chat with messages");
  chatId = chat.id;
  chat.lastMessageText = HOSTILE;
  for (const message of h.sandbox.state.messages.get(chat.id) ?? []) message.text = HOSTILE;
});
afterAll(() => h.close());

// JSON.stringify writes a lone surrogate as a \ud800 escape, which strict JSON parsers refuse.
const LONE_ESCAPE = /\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f])|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

describe("hostile customer text", () => {
  it.each<[string, () => Record<string, unknown>]>([
    ["search_chats", () => ({ status: ["opened"], limit: 100 })],
    ["get_chat", () => ({ chat_id: chatId })],
    ["list_chat_messages", () => ({ chat_id: chatId })],
    ["triage_queue", () => ({ limit: 50, include_snoozed: true })],
  ])("%s answers, with valid Unicode only", async (tool, args) => {
    const result = await h.call(tool, args());
    expect(result.isError).toBeFalsy();
    const wire = JSON.stringify(result);
    expect(wire).not.toMatch(LONE_ESCAPE);
    if (tool !== "triage_queue") expect(wire).toContain("refund  please  now \uFFFD or  ok".replace(/\s+/g, " "));
  });
});
