/** set_chat_department: its golden answer on the golden world (test/helpers/typed-call.ts), read through its own output schema. */
import { describe, it } from "vitest";
import { setChatDepartment } from "../../src/tools/set_chat_department.js";
import { dryRunOk, golden, goldenWorld } from "../helpers/typed-call.js";

describe("set_chat_department", () => {
  const world = goldenWorld();

  it("dry run: the exact request, nothing sent", async () => {
    const answer = await dryRunOk(world, setChatDepartment, { chat_id: world.chat, department: "Billing" });
    await golden("set_chat_department", answer);
  });
});
