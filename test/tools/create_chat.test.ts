/** create_chat: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { FIRST_CUSTOMER_ID } from "../../src/sandbox/seed-data.js";
import { createChat } from "../../src/tools/create_chat.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("create_chat", () => {
  const world = goldenWorld();

  it("dry run: the exact requests, nothing sent", async () => {
    const answer = await dryRunOk(world, createChat, {
      customer: FIRST_CUSTOMER_ID,
      application_id: 1,
      department: "Billing",
    });
    await golden("create_chat", answer);
  });
});
