/** send_message: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { sendMessage } from "../../src/tools/send_message.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("send_message", () => {
  const world = goldenWorld();

  it("dry run of a private note: the exact request, nothing sent", async () => {
    const answer = await callOk(world.h, sendMessage, {
      chat_id: world.chat,
      text: "Checking the invoice with finance.",
      private: true,
      agent: "Priya Patel",
      dry_run: true,
    });
    expect(answer.structured.dry_run).toBe(true);
    expect(world.h.writes()).toEqual([]);
    await golden("send_message", answer);
  });
});
