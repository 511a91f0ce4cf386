/** send_approved_reply (the approval card's Send): its golden answer on the golden world, read through its own output schema. */
import { describe, expect, it } from "vitest";
import { sendApprovedReply } from "../../src/tools/send_approved_reply.js";
import { APPS, approvalTokenOf } from "../helpers/apps-host.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("send_approved_reply", () => {
  const world = goldenWorld({ config: { customerMessages: "confirm" }, capabilities: APPS });

  it("posts the person's text once, as the drafted agent, to the drafted chat", async () => {
    const draft = await world.h.call("send_message", { chat_id: world.chat, text: "Draft", agent: "Priya Patel" });
    const answer = await callOk(world.h, sendApprovedReply, { token: approvalTokenOf(draft), text: "Your refund is on its way." });
    expect(answer.structured).toMatchObject({ chat_id: world.chat, edited: true });
    expect(world.h.writes().map((w) => w.path)).toEqual(["/messages"]);
    await golden("send_approved_reply", answer);
  });
});
