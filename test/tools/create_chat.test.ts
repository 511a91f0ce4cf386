/** create_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, expect, it } from "vitest";
import { FIRST_CUSTOMER_ID } from "../../src/sandbox/seed-data.js";
import { createChat } from "../../src/tools/create_chat.js";
import { callOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("create_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact requests, nothing sent", async () => {
    const answer = await callOk(world.h, createChat, {
      customer: FIRST_CUSTOMER_ID,
      application_id: 1,
      department: "Billing",
      dry_run: true,
    });
    expect(answer.structured.dry_run).toBe(true);
    expect(world.h.writes()).toEqual([]);
    await golden("create_chat", answer);
  });
});
