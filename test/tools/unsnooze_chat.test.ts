/** unsnooze_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { unsnoozeChat } from "../../src/tools/unsnooze_chat.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("unsnooze_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await callOk(world.h, unsnoozeChat, { chat_id: world.chat, dry_run: true });
    expect(answer.structured.dry_run).toBe(true);
    expect(world.h.writes()).toEqual([]);
    await golden("unsnooze_chat", answer);
  });
});
