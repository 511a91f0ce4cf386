/** discard_reply (the approval card's Discard): its golden answer on the golden world, read through its own output schema. */
import { describe, expect, it } from "vitest";
import { discardReply } from "../../src/tools/discard_reply.js";
import { APPS, approvalTokenOf } from "../helpers/apps-host.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("discard_reply", () => {
  const world = goldenWorld({ config: { customerMessages: "confirm" }, capabilities: APPS });

  it("drops the draft and sends nothing", async () => {
    const draft = await world.h.call("send_message", { chat_id: world.chat, text: "Draft", agent: "Priya Patel" });
    const answer = await callOk(world.h, discardReply, { token: approvalTokenOf(draft) });
    expect(answer.structured.discarded).toBe(true);
    expect(world.h.writes()).toEqual([]);
    await golden("discard_reply", answer);
  });
});
