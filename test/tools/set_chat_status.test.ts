/** set_chat_status: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { setChatStatus } from "../../src/tools/set_chat_status.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("set_chat_status", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await callOk(world.h, setChatStatus, { chat_id: world.chat, status: "pending", dry_run: true });
    expect(answer.structured.dry_run).toBe(true);
    expect(world.h.writes()).toEqual([]);
    await golden("set_chat_status", answer);
  });
});
