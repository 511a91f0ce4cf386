/** assign_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { assignChat } from "../../src/tools/assign_chat.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("assign_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, assignChat, { chat_id: world.chat, agent: "Marcus Chen" });
    await golden("assign_chat", answer);
  });
});
