/** snooze_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { snoozeChat } from "../../src/tools/snooze_chat.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("snooze_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, snoozeChat, { chat_id: world.chat, until: "2h" });
    await golden("snooze_chat", answer);
  });
});
