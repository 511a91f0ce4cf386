/** unsnooze_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { unsnoozeChat } from "../../src/tools/unsnooze_chat.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("unsnooze_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, unsnoozeChat, { chat_id: world.chat });
    await golden("unsnooze_chat", answer);
  });
});
