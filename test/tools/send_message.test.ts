/** send_message: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { sendMessage } from "../../src/tools/send_message.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("send_message", () => {
  const world = goldenWorld();

  it("dry run of a private note: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, sendMessage, {
      chat_id: world.chat,
      text: "Checking the invoice with finance.",
      private: true,
      agent: "Priya Patel",
    });
    await golden("send_message", answer);
  });
});
