/** list_chat_messages: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { listChatMessages } from "../../src/tools/list_chat_messages.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("list_chat_messages", () => {
  const world = goldenWorld();

  it("a page of messages", async () => {
    const answer = await callOk(world.h, listChatMessages, { chat_id: world.chat, limit: 5 });
    expect(answer.structured.messages.length).toBeLessThanOrEqual(5);
    expect(answer.structured.total).toBeGreaterThan(0);
    await golden("list_chat_messages", answer);
  });
});
