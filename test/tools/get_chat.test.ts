/** get_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { getChat } from "../../src/tools/get_chat.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("get_chat", () => {
  const world = goldenWorld();

  it("the chat with its newest messages", async () => {
    const answer = await callOk(world.h, getChat, { chat_id: world.chat, messages: 5 });
    expect(answer.structured.chat.id).toBe(world.chat);
    expect(answer.structured.messages.length).toBeLessThanOrEqual(5);
    await golden("get_chat", answer);
  });
});
