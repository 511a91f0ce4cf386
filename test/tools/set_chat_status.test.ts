/** set_chat_status: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { setChatStatus } from "../../src/tools/set_chat_status.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("set_chat_status", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, setChatStatus, { chat_id: world.chat, status: "pending" });
    await golden("set_chat_status", answer);
  });
});
